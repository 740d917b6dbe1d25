package dev.mapscope.agent.probe;

/**
 * The same-bucket sequence detector ({@code same-bucket-within=MICROS}): per probed map and bucket the last
 * writer, and a hit when a different thread writes the same bucket within the window. The delve script of
 * the Go article, as a probe.
 */
final class SameBucket {
    /*
     * A fixed table of CELLS cells indexed by a mix of the map's identity hash and the bucket; a cell holds
     * the last write to one (map, bucket). Two (map, bucket) pairs that share a cell overwrite each other:
     * the detector then misses a sequence (best effort, like the rest of mapscope) but never reports a false
     * one, since a cell is compared by map identity and bucket before use.
     *
     * Each cell is guarded by its own monitor (not a j.u.c lock, which the race detector would follow and
     * take for synchronisation between the application's threads). The monitor is taken only on probed
     * writes whose condition held, so for a 1 ms window (the delve script's, in the Chinese handbook on Go's
     * concurrent map writes that mapscope follows) contention is what is measured.
     *
     * The earlier writer's stack is not captured at its write: a stack walk on every probed write costs
     * microseconds (ProbeCostBench.stackAtWrite) where the check costs nanoseconds. On a detection the
     * earlier thread's stack is taken as of then ("stackAt":"now" in the hit): with a 1 ms window that
     * thread is usually still near the write.
     */
    static final int CELLS = 1 << 14;

    static final class Cell {
        Object map;
        int bucket;
        Thread thread;
        long nanos;
    }

    /** What a detection reports about the earlier write. */
    static final class Earlier {
        final Thread thread;
        final long gapNanos;

        Earlier(Thread thread, long gapNanos) {
            this.thread = thread;
            this.gapNanos = gapNanos;
        }
    }

    private final Cell[] cells = new Cell[CELLS];
    private final long windowNanos;

    SameBucket(long windowNanos) {
        this.windowNanos = windowNanos;
        for (int i = 0; i < CELLS; i++) {
            cells[i] = new Cell();
        }
    }

    /**
     * Records a write of {@code bucket} of {@code map} by {@code me} at {@code now}; returns the earlier
     * write by another thread within the window, or null.
     */
    Earlier write(Object map, int bucket, Thread me, long now) {
        if (bucket < 0) {
            return null;
        }
        int h = System.identityHashCode(map) * 0x9E3779B9 + bucket * 0x85EBCA6B;
        Cell c = cells[(h ^ (h >>> 15)) & (CELLS - 1)];
        synchronized (c) {
            // Read the clock under the monitor: a reading taken before it can be older than the cell's when this
            // thread was descheduled in between (gaps of -1.7 ms and -32 ms were reported on 2 busy cores).
            now = Math.max(now, System.nanoTime());
            Earlier found = null;
            if (c.map == map
                    && c.bucket == bucket
                    && c.thread != me
                    && c.thread != null
                    && now - c.nanos <= windowNanos) {
                found = new Earlier(c.thread, now - c.nanos);
            }
            c.map = map;
            c.bucket = bucket;
            c.thread = me;
            c.nanos = now;
            return found;
        }
    }

    /** Drops every reference (maps, threads) when the probe ends. */
    void clear() {
        for (Cell c : cells) {
            synchronized (c) {
                c.map = null;
                c.thread = null;
            }
        }
    }
}
