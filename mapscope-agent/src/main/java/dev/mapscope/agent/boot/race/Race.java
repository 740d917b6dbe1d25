package dev.mapscope.agent.boot.race;

/**
 * What a detector saw, handed to the {@link Sink} on the detecting thread. Plain data, built only on the
 * slow path; the sink turns it into a finding (stacks trimmed, deduplicated, written out).
 */
public final class Race {
    public static final String CONCURRENT = "concurrent-write";
    public static final String UNSYNCHRONIZED = "unsynchronized-write";

    /** where the other thread's stack comes from */
    public static final String AT_WRITE = "write";

    public static final String AT_NOW = "now";
    public static final String AT_UNKNOWN = "unknown";

    public final String kind;
    /** the map; held only while the finding is built */
    public final Object map;

    public final String operation;
    /** key hash as the map spreads it, or -1 */
    public final int keyHash;
    /** bucket index in the table at the time, or -1 */
    public final int bucket;

    public final Thread thread;
    public final StackTraceElement[] stack;
    public final Thread other;
    public final String otherOperation;
    public final StackTraceElement[] otherStack;
    /** one of AT_WRITE, AT_NOW, AT_UNKNOWN */
    public final String otherStackAt;

    public Race(
            String kind,
            Object map,
            String operation,
            int keyHash,
            int bucket,
            Thread thread,
            StackTraceElement[] stack,
            Thread other,
            String otherOperation,
            StackTraceElement[] otherStack,
            String otherStackAt) {
        this.kind = kind;
        this.map = map;
        this.operation = operation;
        this.keyHash = keyHash;
        this.bucket = bucket;
        this.thread = thread;
        this.stack = stack;
        this.other = other;
        this.otherOperation = otherOperation;
        this.otherStack = otherStack;
        this.otherStackAt = otherStackAt;
    }
}
