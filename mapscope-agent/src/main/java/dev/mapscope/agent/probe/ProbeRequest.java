package dev.mapscope.agent.probe;

import dev.mapscope.agent.boot.probe.ProbeHook;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arguments of a {@code probe} request (docs/AGENT-PROTOCOL.md): space-separated {@code key=value}
 * pairs, values percent-encoded. Every mistake is one sentence naming the key and the value.
 */
final class ProbeRequest {
    static final String[] OPS = {"put", "get", "remove", "resize", "clear"};
    static final int DEFAULT_LIMIT = 100;
    static final int DEFAULT_RATE = 1000;
    static final long DEFAULT_DURATION_MILLIS = 60_000;
    static final int DEFAULT_STACK = 16;
    static final int MAX_STACK = 256;
    static final String DEFAULT_CAPTURE = "thread,op,keyHash,bucket";

    /** bit (1 << op) per operation */
    int ops = 1 << ProbeHook.PUT;

    String map = "any";
    String condition = "";
    String capture = DEFAULT_CAPTURE;
    long limit = DEFAULT_LIMIT;
    long rate = DEFAULT_RATE;
    long durationMillis = DEFAULT_DURATION_MILLIS;
    int stack = DEFAULT_STACK;
    /** 0 when the same-bucket detector is off */
    long sameBucketMicros;

    static Map<String, String> pairs(String args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : args.strip().split(" +")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("request arguments are key=value pairs; got " + part);
            }
            String v;
            try {
                v = URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "the value of " + part.substring(0, eq) + " is not percent-encoded: " + part.substring(eq + 1));
            }
            m.put(part.substring(0, eq), v);
        }
        return m;
    }

    static ProbeRequest parse(String args) {
        ProbeRequest r = new ProbeRequest();
        for (Map.Entry<String, String> e : pairs(args).entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            switch (k) {
                case "on":
                    r.ops = ops(v);
                    break;
                case "map":
                    r.map = v;
                    break;
                case "if":
                    r.condition = v;
                    break;
                case "capture":
                    r.capture = v;
                    break;
                case "limit":
                    r.limit = positive(k, v, Integer.MAX_VALUE);
                    break;
                case "rate":
                    r.rate = positive(k, v, Integer.MAX_VALUE);
                    break;
                case "duration":
                    r.durationMillis = positive(k, v, Long.MAX_VALUE / 1_000_000);
                    break;
                case "stack":
                    r.stack = (int) positive(k, v, MAX_STACK);
                    break;
                case "same-bucket-within":
                    r.sameBucketMicros = positive(k, v, Long.MAX_VALUE / 1_000);
                    break;
                default:
                    throw new IllegalArgumentException("probe has no argument " + k + " (in " + k + "=" + v + ")");
            }
        }
        if (r.sameBucketMicros > 0 && r.ops != (1 << ProbeHook.PUT)) {
            throw new IllegalArgumentException("same-bucket-within needs on=put alone; got on=" + names(r.ops));
        }
        return r;
    }

    static int ops(String v) {
        int bits = 0;
        for (String name : v.split(",")) {
            int op = op(name.strip());
            if (op < 0) {
                throw new IllegalArgumentException("on names an unknown operation " + name.strip()
                        + " (operations: put, get, remove, resize, clear)");
            }
            bits |= 1 << op;
        }
        return bits;
    }

    static int op(String name) {
        for (int i = 0; i < OPS.length; i++) {
            if (OPS[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    static String names(int ops) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < OPS.length; i++) {
            if ((ops & (1 << i)) != 0) {
                b.append(b.length() == 0 ? "" : ",").append(OPS[i]);
            }
        }
        return b.toString();
    }

    private static long positive(String key, String v, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number; got " + key + "=" + v);
        }
        if (n < 1 || n > max) {
            throw new IllegalArgumentException(key + " must be between 1 and " + max + "; got " + key + "=" + v);
        }
        return n;
    }
}
