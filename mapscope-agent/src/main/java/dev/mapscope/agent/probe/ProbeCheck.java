package dev.mapscope.agent.probe;

import dev.mapscope.agent.condition.Capture;
import dev.mapscope.agent.condition.Condition;
import dev.mapscope.agent.condition.ConditionException;
import dev.mapscope.agent.condition.Subject;
import dev.mapscope.agent.condition.Subject.Name;
import dev.mapscope.agent.protocol.Frames;
import dev.mapscope.agent.protocol.Json;

/**
 * A probe's condition and capture list: what decides a hit, and what a hit writes (one JSON line of
 * ID.hits.jsonl: n, epochNanos, op and map, then only the captured names).
 */
final class ProbeCheck {
    final Condition condition;
    final Capture capture;
    /** the key hash and bucket are computed for the Subject only when something reads them */
    final boolean needsHash;

    private ProbeCheck(Condition condition, Capture capture, boolean sameBucket) {
        this.condition = condition;
        this.capture = capture;
        int read = condition.mask() | capture.mask();
        this.needsHash = sameBucket || (read & (Name.KEY_HASH.bit() | Name.BUCKET.bit())) != 0;
    }

    /** Parses the condition (if=) and the capture list; a mistake is one sentence with its position. */
    static ProbeCheck of(String condition, String capture, boolean sameBucket) {
        Condition c;
        try {
            c = condition.isBlank() ? Condition.ALWAYS : Condition.parse(condition);
        } catch (ConditionException e) {
            throw new IllegalArgumentException("if=" + condition + " is not a valid condition: " + e.getMessage()
                    + " (at character " + (e.position() + 1) + ")");
        }
        Capture k;
        try {
            k = Capture.parse(capture);
        } catch (ConditionException e) {
            throw new IllegalArgumentException("capture=" + capture + " is not a valid capture list: " + e.getMessage()
                    + " (at character " + (e.position() + 1) + ")");
        }
        return new ProbeCheck(c, k, sameBucket);
    }

    /** Fills {@code s} from {@code e} and tests the condition. Allocates nothing. */
    boolean test(ProbeEvent e, Subject s) {
        int keyHash = 0;
        int bucket = 0;
        if (needsHash) {
            keyHash = e.keyHash();
            bucket = e.bucket(keyHash);
        }
        s.begin(e.thread, e.opName(), e.map, e.key, e.value, keyHash, bucket);
        return condition.test(s);
    }

    /** One line of ID.hits.jsonl for hit number {@code n}; {@code s} holds the operation (see #test). */
    String json(Subject s, long n, long epochNanos, String mapId, int stackDepth, SameBucket.Earlier earlier) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"n\":")
                .append(n)
                .append(",\"epochNanos\":")
                .append(epochNanos)
                .append(",\"op\":");
        Json.str(b, s.op()).append(",\"map\":");
        Json.str(b, mapId);
        boolean name = capture.uses(Name.THREAD_NAME);
        boolean id = capture.uses(Name.THREAD_ID);
        if (name || id) {
            b.append(",\"thread\":{");
            if (name) {
                Json.str(b.append("\"name\":"), s.threadName());
            }
            if (id) {
                b.append(name ? "," : "").append("\"id\":").append(s.threadId());
            }
            b.append('}');
        }
        for (Name k : capture.names()) {
            switch (k) {
                case THREAD_NAME:
                case THREAD_ID:
                case OP:
                case STACK:
                    break;
                default:
                    b.append(",\"").append(k.text()).append("\":");
                    if (k.isInteger()) {
                        b.append(s.integer(k));
                    } else {
                        Json.str(b, s.string(k));
                    }
            }
        }
        if (capture.uses(Name.STACK)) {
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

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    private static void thread(StringBuilder b, Thread t) {
        Json.str(b.append("{\"name\":"), t.getName())
                .append(",\"id\":")
                .append(t.getId())
                .append('}');
    }

    /** The frames below the agent's: everything down to the deepest frame of the probe or boot package. */
    static void stack(StringBuilder b, StackTraceElement[] stack, int depth) {
        int from = 0;
        for (int i = 0; i < stack.length; i++) {
            String c = stack[i].getClassName();
            if (c.startsWith("dev.mapscope.agent.probe.")
                    || c.startsWith("dev.mapscope.agent.condition.")
                    || c.startsWith("dev.mapscope.agent.protocol.")
                    || c.startsWith("dev.mapscope.agent.boot.")) {
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
            Json.str(b.append(n == 0 ? "" : ","), Frames.format(f));
            n++;
        }
        b.append(']');
    }
}
