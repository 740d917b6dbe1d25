package dev.mapscope.agent.boot.race;

/**
 * What a detector saw, handed to the {@link Sink} by the thread that completes it (the detecting thread, or
 * for tier 1 the other thread at the end of its write). Plain data, built only on the
 * slow path; the sink turns it into a finding (stacks trimmed, deduplicated, written out).
 */
public final class Race {
    public static final String CONCURRENT = "concurrent-write";
    public static final String UNSYNCHRONIZED = "unsynchronized-write";
    /** a read (get, containsKey...) that met a write of the same map: Go's "concurrent map read and map write" */
    public static final String CONCURRENT_READ = "concurrent-read-write";

    public static final String UNSYNCHRONIZED_READ = "unsynchronized-read-write";
    /** an iteration step that met a write: Go's "concurrent map iteration and map write" */
    public static final String CONCURRENT_ITERATION = "concurrent-iteration-write";

    public static final String UNSYNCHRONIZED_ITERATION = "unsynchronized-iteration-write";

    /** where the other thread's stack comes from */
    public static final String AT_WRITE = "write";

    public static final String AT_NOW = "now";
    public static final String AT_UNKNOWN = "unknown";
    /** tier 1: the other thread had not left the map after MapWatch.PENDING_NANOS; its stack is taken there */
    public static final String AT_STILL_INSIDE = "inside";
    /** tier 1, while the race waits for the other thread to finish its write */
    static final String AT_PENDING = "pending";

    public final String kind;
    /** the map; held only while the finding is built; null for a held race whose map was collected */
    public final Object map;
    /** the map's class name and identity hash (also when {@code map} is null) */
    public final String mapClass;

    public final int mapHash;
    public final String operation;
    /** key hash as the map spreads it, or -1 */
    public final int keyHash;
    /** bucket index in the table at the time, or -1 */
    public final int bucket;

    public final Thread thread;
    public final StackTraceElement[] stack;
    public final Thread other;
    /** the other thread's operation; for a tier-1 read race set by the writer when it completes the race */
    public String otherOperation;
    /** set once, before the race reaches the sink (tier 1 completes it on the other thread) */
    public StackTraceElement[] otherStack;
    /** one of AT_WRITE, AT_NOW, AT_STILL_INSIDE, AT_UNKNOWN; set with otherStack */
    public String otherStackAt;
    /**
     * What tier 2 counted on the map while it suspected it (a frozen copy), or null when the map was not
     * counted (mode=overlap, or a map tier 2 never suspected); set before the race reaches the sink.
     */
    public Counts usage;
    /** tier 1, while pending: the other thread's state, and when the race was found (System.nanoTime) */
    ThreadState otherState;

    long since;

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
        this(
                kind,
                map,
                map.getClass().getName(),
                System.identityHashCode(map),
                operation,
                keyHash,
                bucket,
                thread,
                stack,
                other,
                otherOperation,
                otherStack,
                otherStackAt);
    }

    Race(
            String kind,
            Object map,
            String mapClass,
            int mapHash,
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
        this.mapClass = mapClass;
        this.mapHash = mapHash;
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

    /** True for the tier-1 kinds: the other thread was seen inside a write of the map at that moment. */
    public static boolean overlapped(String kind) {
        return kind.equals(CONCURRENT) || kind.equals(CONCURRENT_READ) || kind.equals(CONCURRENT_ITERATION);
    }

    /** The tier-1 kind of the same pair of accesses as {@code kind} (itself when it is one). */
    public static String overlapKindOf(String kind) {
        switch (kind) {
            case UNSYNCHRONIZED:
                return CONCURRENT;
            case UNSYNCHRONIZED_READ:
                return CONCURRENT_READ;
            case UNSYNCHRONIZED_ITERATION:
                return CONCURRENT_ITERATION;
            default:
                return kind;
        }
    }

    void complete(StackTraceElement[] otherStack, String at) {
        this.otherStack = otherStack;
        this.otherStackAt = at;
        this.otherState = null;
    }
}
