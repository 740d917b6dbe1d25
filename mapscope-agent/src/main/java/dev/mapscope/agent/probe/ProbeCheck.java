package dev.mapscope.agent.probe;

import java.util.List;

/**
 * A probe's condition and capture list: what decides a hit, and what a hit writes (one JSON line of
 * ID.hits.jsonl, only the captured names besides n, epochNanos, op and map).
 */
final class ProbeCheck {
    static final int THREAD = 1;
    static final int KEY_HASH = 1 << 1;
    static final int BUCKET = 1 << 2;
    static final int KEY = 1 << 3;
    static final int VALUE_CLASS = 1 << 4;
    static final int MAP_SIZE = 1 << 5;
    static final int MAP_CLASS = 1 << 6;
    static final int MAP_ID = 1 << 7;
    static final int OP = 1 << 8;
    static final int STACK = 1 << 9;
    static final int MAP_CAPACITY = 1 << 10;
    static final List<String> NAMES = List.of("thread", "thread.name", "thread.id", "keyHash", "bucket", "key",
            "value.class", "map.size", "map.class", "map.id", "op", "stack", "map.capacity");

    private final int capture;

    private ProbeCheck(int capture) {
        this.capture = capture;
    }

    static ProbeCheck of(String condition, String capture) {
        if (!condition.isBlank()) {
            throw new IllegalArgumentException("conditions (if=) are not supported by this agent build yet");
        }
        return new ProbeCheck(captureBits(capture));
    }

    static int captureBits(String list) {
        int bits = 0;
        for (String n : list.split(",")) {
            String name = n.strip();
            if (name.isEmpty()) {
                continue;
            }
            switch (name) {
                case "thread":
                case "thread.name":
                case "thread.id":
                    bits |= THREAD;
                    break;
                case "keyHash":
                    bits |= KEY_HASH;
                    break;
                case "bucket":
                    bits |= BUCKET;
                    break;
                case "key":
                    bits |= KEY;
                    break;
                case "value.class":
                    bits |= VALUE_CLASS;
                    break;
                case "map.size":
                    bits |= MAP_SIZE;
                    break;
                case "map.class":
                    bits |= MAP_CLASS;
                    break;
                case "map.id":
                    bits |= MAP_ID;
                    break;
                case "op":
                    bits |= OP;
                    break;
                case "stack":
                    bits |= STACK;
                    break;
                case "map.capacity":
                    bits |= MAP_CAPACITY;
                    break;
                default:
                    throw new IllegalArgumentException("capture names an unknown value " + name + " (names: "
                            + String.join(", ", NAMES) + ")");
            }
        }
        return bits;
    }

    /** The condition: true when the operation is a hit. Allocates nothing. */
    boolean test(ProbeEvent e) {
        return true;
    }

    /** One line of ID.hits.jsonl for hit number {@code n}. */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    String json(ProbeEvent e, long n, long epochNanos, String mapId, int stackDepth, SameBucket.Earlier earlier) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"n\":").append(n).append(",\"epochNanos\":").append(epochNanos).append(",\"op\":\"")
                .append(e.opName()).append("\",\"map\":");
        JsonText.str(b, mapId);
        if ((capture & THREAD) != 0) {
            thread(b.append(",\"thread\":"), e.thread);
        }
        if ((capture & KEY_HASH) != 0) {
            b.append(",\"keyHash\":").append(e.keyHash());
        }
        if ((capture & BUCKET) != 0) {
            b.append(",\"bucket\":").append(e.bucket());
        }
        if ((capture & KEY) != 0) {
            JsonText.str(b.append(",\"key\":"), e.keyString());
        }
        if ((capture & VALUE_CLASS) != 0) {
            JsonText.str(b.append(",\"value.class\":"), e.valueClass());
        }
        if ((capture & MAP_SIZE) != 0) {
            b.append(",\"map.size\":").append(e.mapSize());
        }
        if ((capture & MAP_CAPACITY) != 0) {
            b.append(",\"map.capacity\":").append(e.capacity());
        }
        if ((capture & MAP_CLASS) != 0) {
            JsonText.str(b.append(",\"map.class\":"), e.map.getClass().getName());
        }
        if ((capture & MAP_ID) != 0) {
            JsonText.str(b.append(",\"map.id\":"), mapId);
        }
        if ((capture & STACK) != 0) {
            stack(b.append(",\"stack\":"), Thread.currentThread().getStackTrace(), stackDepth);
        }
        if (earlier != null) {
            b.append(",\"sameBucket\":{\"gapNanos\":").append(earlier.gapNanos).append(",\"thread\":");
            thread(b, earlier.thread);
            stack(b.append(",\"stack\":"), earlier.thread.getStackTrace(), stackDepth);
            b.append(",\"stackAt\":\"now\"}");
        }
        return b.append('}').toString();
    }

    @SuppressWarnings("deprecation")
    private static void thread(StringBuilder b, Thread t) {
        JsonText.str(b.append("{\"name\":"), t.getName()).append(",\"id\":").append(t.getId()).append('}');
    }

    /** The frames below the agent's: everything down to the deepest frame of the probe or boot package. */
    static void stack(StringBuilder b, StackTraceElement[] stack, int depth) {
        int from = 0;
        for (int i = 0; i < stack.length; i++) {
            String c = stack[i].getClassName();
            if (c.startsWith("dev.mapscope.agent.probe.") || c.startsWith("dev.mapscope.agent.boot.")) {
                from = i + 1;
            }
        }
        b.append('[');
        int n = 0;
        for (int i = from; i < stack.length && n < depth; i++) {
            StackTraceElement f = stack[i];
            if (f.getClassName().equals("java.lang.Thread") && f.getMethodName().equals("getStackTrace")) {
                continue;
            }
            JsonText.str(b.append(n == 0 ? "" : ","), frame(f));
            n++;
        }
        b.append(']');
    }

    static String frame(StackTraceElement e) {
        String where;
        if (e.isNativeMethod()) {
            where = "Native Method";
        } else if (e.getFileName() == null) {
            where = "Unknown Source";
        } else if (e.getLineNumber() >= 0) {
            where = e.getFileName() + ":" + e.getLineNumber();
        } else {
            where = e.getFileName();
        }
        return e.getClassName() + "." + e.getMethodName() + "(" + where + ")";
    }
}
