package dev.mapscope.agent.boot;

import java.lang.ref.WeakReference;

/**
 * Tier 2: a map written by two threads with no happens-before order between the writes is reported even if
 * the writes never overlapped in time.
 */
final class Sharing {
    /*
     * Per map we keep the last writer and its epoch (FastTrack's write epoch, Flanagan and Freund, PLDI
     * 2009). Java maps have no spare field, so the state lives in a table of stripes indexed by the map's
     * identity hash, and the table must neither retain a map nor confuse two of them. Each stripe has:
     *
     *   - a young slot: the map most recently claimed in the stripe, named by (identity hash, class) only,
     *     no reference. Claiming costs no allocation, so millions of thread-confined maps (created, two puts,
     *     dropped) cost one reused slot each. (hash, class) is not an identity: two maps can share it (a
     *     live pair, or a new map and a dead one; with 31-bit hashes, a few times per million maps). A
     *     young state is therefore never evidence of a race: it only orders hand-overs and arms suspicion.
     *   - KEPT exact slots: maps named by a WeakReference, compared by reference. A map moves there when
     *     its writer changed with no happens-before order (suspected), or when one thread has written it in
     *     KEEP_AFTER epochs (long-lived: the young slot would be lost to the next map of the stripe). Only
     *     these maps allocate, and they are few. A kept slot whose map was collected is free again; a kept
     *     slot taken from a live map is counted (evicted()).
     *
     * A race is reported only from an exact slot, between two writes of that very map, both stacks known:
     *   1. an unordered change of writer on a young state moves the map to a kept slot, suspected, and
     *      starts recording the stack of each change of writer (the new writer's stack now);
     *   2. the next unordered change of writer on it is a race: the current stack, and the stack the other
     *      thread recorded at its write. A kept map not yet recording starts recording instead.
     * So a map is reported from its second unordered change of writer on: a race that happens once is left
     * to tier 1. Recording costs a stack walk per change of writer of a suspected map, bounded by
     * STACKS_PER_SECOND over the JVM; beyond it races are counted (unexamined()), not built.
     *
     * Fast path, every write: a slot of the stripe names this thread, its current epoch, this hash and
     * class. A ThreadLocal read, loads and compares; no store, no lock, no allocation. A stale read only
     * sends a write to the slow path or skips recording one write (a missed race, never a false one).
     * Slow path under the stripe's monitor (never a java.util.concurrent lock: the agent would observe itself).
     */
    static final int STRIPES = 1 << 14;
    static final int KEPT = 2;
    /** epochs one writer writes a young map in before the map is kept exactly (a long-lived map) */
    static final int KEEP_AFTER = 64;
    static final int STACKS_PER_SECOND = 2000;

    static final class MapState {
        // Written under the stripe's monitor; the fast path reads them plainly (see the essay).
        int hash;
        Class<?> type;
        /** the map, in a kept slot; null in the young slot */
        WeakReference<Object> ref;
        /** written last when a state changes hands, read first on the fast path; null when the slot is free */
        volatile ThreadState writer;
        int epoch;
        String op;
        /** the writer's stack at its write, while recording */
        StackTraceElement[] writerStack;
        boolean recording;
        /** young: epochs the current writer has written the map in */
        int epochs;
        /** the sink's key of this map's last race, for counting repeats that are not examined */
        long lastKey;
        /** Locks: candidate lockset (sorted identity hashes), or null when not started */
        int[] lockset;
        int lockChecks;

        boolean holds(Object map, int h, Class<?> c) {
            if (writer == null) {
                return false;
            }
            return ref != null ? ref.get() == map : hash == h && type == c;
        }

        boolean current(ThreadState t, int h, Class<?> c) {
            return writer == t && epoch == t.clock && hash == h && type == c;
        }

        void claim(int h, Class<?> c, WeakReference<Object> r, ThreadState t, String o) {
            hash = h;
            type = c;
            ref = r;
            epoch = t.clock;
            op = o;
            writerStack = null;
            recording = false;
            epochs = 1;
            lastKey = 0;
            lockset = null;
            lockChecks = 0;
            writer = t;
        }

        void copy(MapState from, WeakReference<Object> r) {
            hash = from.hash;
            type = from.type;
            ref = r;
            epoch = from.epoch;
            op = from.op;
            writerStack = from.writerStack;
            recording = from.recording;
            epochs = from.epochs;
            lastKey = from.lastKey;
            lockset = from.lockset;
            lockChecks = from.lockChecks;
            writer = from.writer;
        }

        void clear() {
            writer = null;
            ref = null;
            writerStack = null;
            type = null;
        }
    }

    static final class Stripe {
        final MapState young = new MapState();
        final MapState[] kept = new MapState[KEPT];
        /** guarded by this: the kept slot to take next when all hold live maps */
        int victim;

        Stripe() {
            for (int i = 0; i < KEPT; i++) {
                kept[i] = new MapState();
            }
        }
    }

    private static final Stripe[] TABLE = new Stripe[STRIPES];

    /** guarded by Sharing.class */
    private static long evicted;
    private static long unexamined;
    private static long windowStart;
    private static int stacksInWindow;

    private Sharing() {
    }

    static void write(Object map, int h, String op, Object key, int hash, Object[] table) {
        ThreadState t = ThreadState.tracked();
        if (t.busy || t.idx < 0) {
            return;
        }
        Stripe st = TABLE[h & (STRIPES - 1)]; // plain read: null or stale goes to the slow path
        if (st != null) {
            Class<?> c = map.getClass();
            if (st.young.current(t, h, c)) {
                return;
            }
            for (MapState k : st.kept) {
                if (k.current(t, h, c)) {
                    return;
                }
            }
        }
        t.busy = true;
        try {
            slowWrite(map, h, op, key, hash, table, t, st == null ? stripe(h & (STRIPES - 1)) : st);
        } finally {
            t.busy = false;
        }
    }

    private static Stripe stripe(int i) {
        synchronized (TABLE) {
            Stripe s = TABLE[i];
            if (s == null) {
                s = new Stripe();
                TABLE[i] = s; // published by the monitor to anyone who takes it; plain readers retry here
            }
            return s;
        }
    }

    private static void slowWrite(Object map, int h, String op, Object key, int hash, Object[] table,
            ThreadState t, Stripe st) {
        Race race;
        MapState s;
        synchronized (st) {
            Class<?> c = map.getClass();
            s = find(st, map, h, c);
            if (s == null) {
                st.young.claim(h, c, null, t, op);
                return;
            }
            race = decide(st, s, map, op, key, hash, table, t);
        }
        if (race != null) {
            long k = MapWatch.report(race);
            synchronized (st) {
                if (s.holds(map, h, map.getClass())) {
                    s.lastKey = k;
                }
            }
        }
    }

    private static MapState find(Stripe st, Object map, int h, Class<?> c) {
        for (MapState k : st.kept) {
            if (k.holds(map, h, c)) {
                return k;
            }
        }
        return st.young.holds(map, h, c) ? st.young : null;
    }

    /** Decides one write under the stripe's monitor; returns a race to report, or null. */
    static Race decide(Stripe st, MapState s, Object map, String op, Object key, int hash, Object[] table,
            ThreadState t) {
        ThreadState w = s.writer;
        if (w == t) {
            s.epoch = t.clock; // the stack recorded at the start of this writer's run stays
            s.op = op;
            if (s == st.young && ++s.epochs >= KEEP_AFTER) {
                keep(st, s, map);
            }
            return null;
        }
        if (ordered(t, w, s.epoch, map, s, st)) {
            handOver(s, t, op);
            return null;
        }
        if (s.ref == null) {
            // Unordered, but a young state names the map only by (hash, class): it may be another map's.
            // Suspect this one: keep it exactly from now on, recording, and wait for a second change.
            MapState k = keep(st, s, map);
            k.recording = true;
            handOver(k, t, op);
            return null;
        }
        if (!s.recording || s.writerStack == null) {
            s.recording = true; // a kept map raced for the first time: its writers' stacks are not known yet
            handOver(s, t, op);
            return null;
        }
        StackTraceElement[] mine = stack();
        if (mine == null) {
            countUnexamined();
            MapWatch.repeat(s.lastKey);
            handOver(s, t, op);
            return null;
        }
        int kh = MapWatch.keyHash(map, key, hash);
        Race race = new Race(Race.UNSYNCHRONIZED, map, op, kh, MapWatch.bucket(kh, table), t.thread, mine,
                w.thread, s.op, s.writerStack, Race.AT_WRITE);
        s.epoch = t.clock;
        s.op = op;
        s.writerStack = mine;
        s.writer = t;
        return race;
    }

    /** True if the write of {@code w} at {@code epoch} happens before the current write of {@code t}. */
    private static boolean ordered(ThreadState t, ThreadState w, int epoch, Object map, MapState s, Stripe st) {
        if (t.happensAfter(w.idx, epoch)) {
            return true;
        }
        // Java monitors, until they are followed as edges: the lockset of the unordered writers (Locks).
        int[] held = Locks.held(map, s, st);
        if (held == null) {
            return true; // not sampled this time: assume the common lock still holds
        }
        s.lockset = s.lockset == null ? held : Locks.intersect(s.lockset, held);
        if (s.lockset.length > 0) {
            return true;
        }
        s.lockset = null;
        return false;
    }

    /** Moves a young state to a kept slot, exactly named from now on; returns the kept state. */
    private static MapState keep(Stripe st, MapState young, Object map) {
        MapState k = null;
        for (MapState m : st.kept) {
            if (m.writer == null || m.ref == null || m.ref.get() == null) {
                k = m;
                break;
            }
        }
        if (k == null) {
            k = st.kept[st.victim];
            st.victim = (st.victim + 1) % KEPT;
            synchronized (Sharing.class) {
                evicted++;
            }
        }
        k.copy(young, new WeakReference<>(map));
        young.clear();
        return k;
    }

    private static void handOver(MapState s, ThreadState t, String op) {
        s.epoch = t.clock;
        s.op = op;
        s.epochs = 1;
        s.writerStack = s.recording ? stack() : null;
        s.writer = t;
    }

    /** The current thread's stack, or null over the budget. */
    private static StackTraceElement[] stack() {
        synchronized (Sharing.class) {
            long now = System.nanoTime();
            if (now - windowStart > 1_000_000_000L) {
                windowStart = now;
                stacksInWindow = 0;
            }
            if (stacksInWindow >= STACKS_PER_SECOND) {
                return null;
            }
            stacksInWindow++;
        }
        return Thread.currentThread().getStackTrace();
    }

    private static synchronized void countUnexamined() {
        unexamined++;
    }

    /** For tests: the map is kept exactly and recording (its writer changed once with no order). */
    static boolean suspected(Object map) {
        int h = System.identityHashCode(map);
        Stripe st = TABLE[h & (STRIPES - 1)];
        if (st == null) {
            return false;
        }
        synchronized (st) {
            for (MapState k : st.kept) {
                if (k.ref != null && k.holds(map, h, map.getClass()) && k.recording) {
                    return true;
                }
            }
            return false;
        }
    }

    static synchronized long evicted() {
        return evicted;
    }

    static synchronized long unexamined() {
        return unexamined;
    }
}
