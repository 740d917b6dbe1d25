package dev.mapscope.agent.boot.race;

/**
 * Tier 2: a map written by two threads with no happens-before order between the writes, and no monitor
 * held in common, is reported even if the writes never overlapped in time.
 */
final class Sharing {
    /*
     * Per map we keep the last writer and its epoch (FastTrack's write epoch), in a striped table indexed by
     * identity hash. A stripe holds one map at a time, identified by (identity hash, class) rather than a
     * reference, so that the table retains no map: a new map in the stripe evicts the old one's state (its
     * history is forgotten: a missed race, never a false one), and two live maps with equal identity hash
     * and class would be confused (about 2^-31 per pair).
     *
     * Fast path, every write: the stripe names this map, this thread, and this thread's current epoch.
     * That is a ThreadLocal read, an array load and four compares; no store, no lock, no allocation.
     *
     * Slow path, under the stripe's monitor, taken when the epoch or the writer changed:
     *   - a new map in the stripe: claim it (Exclusive, in Eraser's terms);
     *   - same writer, new epoch: remember the epoch;
     *   - another writer, and its vector clock covers the previous writer's epoch: ordered (Thread.start/join,
     *     a lock, a latch, a queue, a future): hand over;
     *   - another writer, unordered: Eraser's lockset over java monitors, which tier 2 cannot see as edges.
     *     The candidate set C is the monitors held at every unordered change of writer so far (identity
     *     hashes, from Locks). C empty: report. The previous writer's locks are not known when it became the
     *     writer without a check, so the first unordered change starts C from the new writer's locks
     *     (Eraser's Shared-Modified transition). Locks are sampled, see Locks.
     *
     * Stacks: recording the writer's stack on every claim would cost microseconds per new map, so a map's
     * writers are recorded only once it has raced (or when the second writer arrives and the first is
     * known). The first finding on a map carries the other thread's stack as of now (if alive) or none;
     * later findings on it carry the stack of the other thread's write.
     */
    static final int STRIPES = 1 << 14;
    /** findings per map stripe built in full; later ones only add to the last one's count */
    static final int FULL_REPORTS = 8;

    static final class MapState {
        // All fields guarded by this object's monitor for writes; the fast path reads them plainly, and a
        // stale read only sends it to the slow path, or (for one write) skips a check.
        int hash;
        Class<?> type;
        int epoch;
        /** written last in a change of writer, read first on the fast path */
        volatile ThreadState writer;
        /** candidate lockset (sorted identity hashes), or null when not started */
        int[] lockset;

        int lockChecks;
        String op;
        /** the writer's stack at its first write in its current run, when recording */
        StackTraceElement[] writerStack;

        boolean recording;
        int reports;
        long lastKey;
    }

    private static final MapState[] STATES = new MapState[STRIPES];

    private Sharing() {}

    static void write(Object map, int h, String op, Object key, int hash, Object[] table) {
        ThreadState t = ThreadState.current();
        if (t.busy || t.idx < 0) {
            return;
        }
        MapState s = STATES[h & (STRIPES - 1)]; // plain read: null or stale goes to the slow path
        if (s != null && s.writer == t && s.epoch == t.clock && s.hash == h && s.type == map.getClass()) {
            return;
        }
        slowWrite(map, h, op, key, hash, table, t, s);
    }

    private static void slowWrite(
            Object map, int h, String op, Object key, int hash, Object[] table, ThreadState t, MapState s) {
        t.busy = true;
        try {
            if (s == null) {
                s = stripe(h & (STRIPES - 1));
            }
            Race race;
            synchronized (s) {
                race = decide(s, map, h, op, key, hash, table, t);
            }
            if (race != null) {
                long k = MapWatch.report(race);
                synchronized (s) {
                    s.lastKey = k;
                }
            }
        } finally {
            t.busy = false;
        }
    }

    private static MapState stripe(int i) {
        synchronized (STATES) {
            MapState s = STATES[i];
            if (s == null) {
                s = new MapState();
                STATES[i] = s; // published by the monitor to anyone who takes it; plain readers retry here
            }
            return s;
        }
    }

    /** Decides one write under the stripe's monitor; returns a race to report, or null. */
    static Race decide(MapState s, Object map, int h, String op, Object key, int hash, Object[] table, ThreadState t) {
        Class<?> type = map.getClass();
        ThreadState w = s.writer;
        if (w == null || s.hash != h || s.type != type) {
            s.hash = h;
            s.type = type;
            s.epoch = t.clock;
            s.lockset = null;
            s.lockChecks = 0;
            s.op = op;
            s.writerStack = null;
            s.recording = false;
            s.reports = 0;
            s.lastKey = 0;
            s.writer = t;
            return null;
        }
        if (w == t) {
            s.epoch = t.clock;
            return null;
        }
        if (t.happensAfter(w.idx, s.epoch)) {
            handOver(s, t, op);
            return null;
        }
        int[] held = Locks.held(map, s);
        if (held == null) {
            handOver(s, t, op); // not sampled this time: assume the common lock still holds
            return null;
        }
        s.lockset = s.lockset == null ? held : Locks.intersect(s.lockset, held);
        if (s.lockset.length > 0) {
            handOver(s, t, op);
            return null;
        }
        // Unordered and no common monitor.
        Race race = null;
        if (s.reports < FULL_REPORTS) {
            StackTraceElement[] mine = Thread.currentThread().getStackTrace();
            StackTraceElement[] theirs = s.writerStack;
            String at = Race.AT_WRITE;
            if (theirs == null) {
                if (w.thread.isAlive()) {
                    theirs = w.thread.getStackTrace();
                    at = Race.AT_NOW;
                } else {
                    theirs = new StackTraceElement[0];
                    at = Race.AT_UNKNOWN;
                }
            }
            int kh = MapWatch.keyHash(map, key, hash);
            race = new Race(
                    Race.UNSYNCHRONIZED,
                    map,
                    op,
                    kh,
                    MapWatch.bucket(kh, table),
                    t.thread,
                    mine,
                    w.thread,
                    s.op,
                    theirs,
                    at);
            s.reports++;
            s.recording = true;
            s.op = op;
            s.epoch = t.clock;
            s.writerStack = mine;
            s.lockset = null;
            s.writer = t;
            return race;
        }
        MapWatch.repeat(s.lastKey);
        handOver(s, t, op);
        s.lockset = null;
        return null;
    }

    private static void handOver(MapState s, ThreadState t, String op) {
        s.epoch = t.clock;
        s.op = op;
        s.writerStack = s.recording ? Thread.currentThread().getStackTrace() : null;
        s.writer = t;
    }
}
