package dev.mapscope.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A deterministic JSON document of about {@code bytes} bytes: an array of records with nested objects,
 * arrays, strings and numbers, the kind a service reads into {@code Map}s.
 */
final class AgentJson {
    private AgentJson() {}

    static byte[] generate(long seed, int bytes) {
        SplittableRandom r = new SplittableRandom(seed);
        StringBuilder b = new StringBuilder(bytes + 1024).append('[');
        int n = 0;
        while (b.length() < bytes) {
            if (n++ > 0) {
                b.append(',');
            }
            b.append("{\"id\":")
                    .append(r.nextLong(1_000_000_000L))
                    .append(",\"name\":\"")
                    .append(word(r, 12))
                    .append('"')
                    .append(",\"active\":")
                    .append(r.nextBoolean())
                    .append(",\"score\":")
                    .append(r.nextDouble() * 100)
                    .append(",\"tags\":[");
            int tags = r.nextInt(5);
            for (int t = 0; t < tags; t++) {
                b.append(t > 0 ? "," : "").append('"').append(word(r, 6)).append('"');
            }
            b.append("],\"address\":{\"street\":\"")
                    .append(word(r, 10))
                    .append("\",\"city\":\"")
                    .append(word(r, 8))
                    .append("\",\"zip\":\"")
                    .append(r.nextInt(10000, 99999))
                    .append("\"}")
                    .append(",\"attributes\":{");
            int attrs = 2 + r.nextInt(8);
            for (int a = 0; a < attrs; a++) {
                b.append(a > 0 ? "," : "")
                        .append("\"attr")
                        .append(a)
                        .append("\":\"")
                        .append(word(r, 7))
                        .append('"');
            }
            b.append("}}");
        }
        return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String word(SplittableRandom r, int len) {
        char[] c = new char[len];
        for (int i = 0; i < len; i++) {
            c[i] = (char) ('a' + r.nextInt(26));
        }
        return new String(c);
    }
}
