package dev.mapscope.agent.boot.profile;

/**
 * Receives what the map profile's advice saw, on the thread that saw it, with that thread's busy flag set
 * (so the sink may use maps). Implemented by the agent's tooling part (not bootstrap-visible), which keeps
 * the tables and emits the JFR events. None of these is called on the fast path.
 */
public interface ProfileSink {
    /** A sampled operation ({@link ProfileGate#GET} ...); {@code bucket} -1 when unknown, capacity in buckets. */
    void sample(Object map, int family, int op, int bucket, int capacity);

    /**
     * A write to a map that more than one thread has written. {@code previousWriter} is the thread that wrote
     * the map before, when this write changed the writer thread, else null; {@code sameBucket} the other thread that wrote the
     * same bucket {@code gapNanos} ago, within the window, else null.
     */
    void sharedWrite(
            Object map,
            int family,
            int op,
            int bucket,
            int capacity,
            Thread previousWriter,
            Thread sameBucket,
            long gapNanos);

    /** A resize step of kind {@link ProfileGate#HASH_MAP_RESIZE} ... that began at {@code startNanos} (nanoTime). */
    void resize(Object map, int kind, int oldCapacity, int newCapacity, long startNanos, long durationNanos);
}
