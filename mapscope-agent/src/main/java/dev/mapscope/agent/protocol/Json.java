package dev.mapscope.agent.protocol;

/** The little JSON the agent writes (findings, status, profiles, probes): strings escaped per RFC 8259. */
public final class Json {
    private Json() {}

    public static String str(String s) {
        return s == null ? "null" : str(new StringBuilder(s.length() + 2), s).toString();
    }

    /** Appends {@code s} as a JSON string (or null) to {@code b}. */
    public static StringBuilder str(StringBuilder b, String s) {
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
}
