package dev.mapscope.agent.protocol;

/** The little JSON the agent writes (findings, status, profiles, probes): strings escaped per RFC 8259. */
public final class Json {
    private Json() {}

    /**
     * {@code epochMillis} as an ISO-8601 UTC time with milliseconds ({@code 2026-12-07T13:20:11.123Z}), the form
     * Instant.parse reads. Written here rather than by Instant.toString: java.time's formatter classes take about
     * 25 ms to load and initialise, paid at the exit of every JVM that runs the agent.
     */
    public static String time(long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        long ms = Math.floorMod(epochMillis, 86_400_000L);
        // the civil date of a day count: 400-year eras of 146,097 days, years starting on 1 March
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder b = new StringBuilder(24);
        b.append(year < 1000 ? "0" : "").append(year < 100 ? "0" : "").append(year < 10 ? "0" : "");
        b.append(year).append('-');
        two(b, month).append('-');
        two(b, day).append('T');
        two(b, ms / 3_600_000).append(':');
        two(b, ms / 60_000 % 60).append(':');
        two(b, ms / 1000 % 60).append('.');
        long milli = ms % 1000;
        return b.append(milli < 100 ? "0" : "")
                .append(milli < 10 ? "0" : "")
                .append(milli)
                .append('Z')
                .toString();
    }

    private static StringBuilder two(StringBuilder b, long v) {
        return b.append(v < 10 ? "0" : "").append(v);
    }

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
