package dev.mapscope.agent.race;

/**
 * What one map under suspicion was seen doing, counted by the agent from the moment it suspected the map until
 * the finding was written: the profile a fix is chosen from. Plain immutable data; {@link #json()} is the
 * finding's {@code usage} object.
 */
public final class Usage {
    /** gets, containsKey/containsValue, navigation: lookups that do not change the map */
    public final long reads;
    /** puts, removes, clears, computes: operations that may change the map */
    public final long writes;
    /** iterations started (iterators, spliterators, forEach, toString, hashCode, equals, copies of the map) */
    public final long iterations;
    /** distinct threads that read or iterated the map while it was counted */
    public final int readerThreads;
    /** distinct threads that wrote the map while it was counted */
    public final int writerThreads;
    /** writes of a key that the same thread had just looked up and missed (get/containsKey, then put) */
    public final long checkThenAct;
    /** the map is a LinkedHashMap in access order (an LRU cache: every get is a write) */
    public final boolean accessOrder;
    /** milliseconds the map was counted for */
    public final long millis;

    public Usage(
            long reads,
            long writes,
            long iterations,
            int readerThreads,
            int writerThreads,
            long checkThenAct,
            boolean accessOrder,
            long millis) {
        this.reads = reads;
        this.writes = writes;
        this.iterations = iterations;
        this.readerThreads = readerThreads;
        this.writerThreads = writerThreads;
        this.checkThenAct = checkThenAct;
        this.accessOrder = accessOrder;
        this.millis = millis;
    }

    /** The JSON object of AGENT-PROTOCOL.md's {@code usage}. */
    public String json() {
        return "{\"reads\":" + reads + ",\"writes\":" + writes + ",\"iterations\":" + iterations
                + ",\"readerThreads\":" + readerThreads + ",\"writerThreads\":" + writerThreads
                + ",\"checkThenAct\":" + checkThenAct + ",\"accessOrder\":" + accessOrder + ",\"millis\":"
                + millis + '}';
    }
}
