package dev.mapscope.agent.boot.race;

/**
 * What one suspected map was seen doing (tier 2 counts it from the moment it suspects the map): reads,
 * writes, iterations, distinct reader and writer threads, check-then-act, access order. The profile a fix is
 * chosen from; a race carries a frozen copy ({@link #snapshot}).
 */
public final class Counts {
    /*
     * Counted only for maps tier 2 keeps as suspected, never for every map. The counters are plain fields
     * incremented by every thread that touches the map without a lock: two threads incrementing at the same
     * instant can lose one increment, so the counts are a lower bound of what happened (a deliberate benign
     * race: a LOCK-prefixed add per read of a racy map would cost more than the answer is worth). The sets of
     * distinct threads are guarded by this object's monitor, entered only when a thread other than the last
     * one counted shows up.
     */
    /** distinct threads remembered per side; more are counted as this many */
    static final int MAX_THREADS = 64;

    public long reads;
    public long writes;
    public long iterations;
    public long checkThenAct;
    public boolean accessOrder;
    /** System.nanoTime() when counting began */
    final long since;
    /** milliseconds counted, set in a snapshot */
    public long millis;

    private final long[] readers = new long[MAX_THREADS];
    private final long[] writers = new long[MAX_THREADS];
    /** guarded by this */
    private int readerCount;
    /** guarded by this */
    private int writerCount;
    /** the thread counted last on each side (plain: a stale value only sends a thread to the monitor) */
    private ThreadState lastReader;

    private ThreadState lastWriter;

    Counts() {
        this.since = System.nanoTime();
    }

    private Counts(Counts from) {
        this.since = from.since;
        this.reads = from.reads;
        this.writes = from.writes;
        this.iterations = from.iterations;
        this.checkThenAct = from.checkThenAct;
        this.accessOrder = from.accessOrder;
        synchronized (from) {
            this.readerCount = from.readerCount;
            this.writerCount = from.writerCount;
        }
        this.millis = (System.nanoTime() - from.since) / 1_000_000L;
    }

    /** A frozen copy for a race, with {@link #millis} set. */
    public Counts snapshot() {
        return new Counts(this);
    }

    public synchronized int readerThreads() {
        return readerCount;
    }

    public synchronized int writerThreads() {
        return writerCount;
    }

    void read(ThreadState t, boolean iteration) {
        if (iteration) {
            iterations++;
        } else {
            reads++;
        }
        if (lastReader != t) {
            lastReader = t;
            synchronized (this) {
                readerCount = add(readers, readerCount, t);
            }
        }
    }

    void write(ThreadState t, boolean checkThenAct, boolean accessOrdered) {
        writes++;
        if (checkThenAct) {
            this.checkThenAct++;
        }
        if (accessOrdered) {
            accessOrder = true;
        }
        if (lastWriter != t) {
            lastWriter = t;
            synchronized (this) {
                writerCount = add(writers, writerCount, t);
            }
        }
    }

    /** Adds t's thread id to {@code ids} unless there; guarded by this. Returns the new count. */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+; the same value on 17
    private static int add(long[] ids, int n, ThreadState t) {
        long id = t.thread.getId();
        for (int i = 0; i < Math.min(n, MAX_THREADS); i++) {
            if (ids[i] == id) {
                return n;
            }
        }
        if (n < MAX_THREADS) {
            ids[n] = id;
            return n + 1;
        }
        return n; // saturated: more than MAX_THREADS distinct threads are reported as MAX_THREADS
    }
}
