package dev.mapscope.agent.probe;

/** Appends JSON strings, escaped per RFC 8259, to the lines and files that probes and inspect write. */
final class JsonText {
    private JsonText() {
    }

    static StringBuilder str(StringBuilder b, String s) {
        if (s == null) {
            return b.append("null");
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"');
    }

    static String str(String s) {
        return str(new StringBuilder(), s).toString();
    }
}
