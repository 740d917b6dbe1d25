package dev.mapscope.agent.boot.race;

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
     * A race is reported only between two writes of one map known to be that very map:
     *   1. an unordered change of writer on a young state moves the map to a kept slot and starts
     *      recording the stack of each change of writer (the new writer's stack now). If the young state
     *      also holds the identity hash of the map's table after the earlier write (HashMap family, see
     *      written()) and it is this map's table, the earlier write was to this map unless two independent
     *      31-bit identity hashes both collide: the race is held, with one stack, in the kept state;
     *   2. the next unordered change of writer on the kept map is a race with both stacks: the current one,
     *      and the one the other thread recorded at its write. It supersedes a held race.
     *   3. A held race that no repeat superseded is reported at exit or detach (flushHeld), with the
     *      earlier write's stack missing and said to be missing.
     * A map seen by tier 2 only as a young state (TreeMap, WeakHashMap, IdentityHashMap) is reported from
     * its second unordered change of writer on. Recording costs a stack walk per change of writer of a
     * suspected map, bounded by STACKS_PER_SECOND over the JVM; beyond it races are counted
     * (unexamined()), not built.
     *
     * Fast path, every write: a slot of the stripe names this thread, its current epoch, this hash and
     * class. A ThreadLocal read, loads and compares; no store, no lock, no allocation. A stale read only
     * sends a write to the slow path or skips recording one write (a missed race, never a false one).
     * Slow path under the stripe's monitor (never a java.util.concurrent lock: the agent would observe itself).
     *
     * Reads and iterations (read()) check the other direction: the map's last write happens before this
     * read (FastTrack's read check against the write epoch). Reads are far more frequent than writes and
     * most maps are read by threads that the writer's hand-over ordered, so the fast path stores nothing:
     * a ThreadLocal read, the stripe's slots compared, the writer's epoch compared with the reader's clock.
     * A read never claims a slot, so a map that is only read (many threads reading a table built before they
     * started) costs no state and can never become suspected. An unordered read:
     *   - of a young state proves nothing by itself (the state may be another map's). Unless the young
     *     state's table identity (fp) is known and is not this map's table, the map is kept exactly and
     *     recording, like after an unordered change of writer, with no writer's stack. Nothing is reported
     *     until the writer's stack is taken at a write of this very map (kept states are compared by
     *     reference), so a young state inherited from another map (equal hash and class, no fp to tell:
     *     TreeMap, WeakHashMap, IdentityHashMap) can make a map suspected, never reported;
     *   - of a kept, recording map whose writer's stack is known (and not ordered before this read) is a race
     *     with both stacks: the reader's now, the writer's at its write. One report per (reader, writer
     *     epoch) pair: a reader spinning on a racy map is not a stack walk per read.
     * While a map is suspected, reads are also recorded, FastTrack's way (an epoch for one reader, a
     * read-shared vector once two readers are not ordered with each other; a read in an epoch already
     * recorded stores nothing), and a write that is not in its writer's current epoch checks that every
     * read since the last write happens before it. The first such unordered read whose stack is not known
     * makes later reads record their stack (within the stack budget) until the race is reported with both
     * stacks: the writer's now, the reader's at its read. A map that is not suspected records no read, so a
     * single read followed by a single unordered write of a map never suspected is missed.
     *
     * While a map is suspected (kept and recording) its reads, writes, iterations, reader and writer
     * threads, check-then-act writes and access-order moves are counted (Counts), the profile a fix is
     * chosen from. Nothing is counted for other maps.
     */
    static final int STRIPES = 1 << 14;
    static final int KEPT = 2;
    /** epochs one writer writes a young map in before the map is kept exactly (a long-lived map) */
    static final int KEEP_AFTER = 64;

    static final int STACKS_PER_SECOND = 2000;
    /** reader memo slots per state (see MapState.orderedReaders) */
    static final int MEMO_SLOTS = 4;

    static class MapState {
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
        /** young: identity hash of the map's table after its writer's last write (HashMap family), or 0 */
        int fp;
        /** kept: a race on this map whose earlier write's stack was not recorded, waiting for a repeat */
        Race held;
        /** the writer's clock when writerStack was taken */
        int stackEpoch;
        /** while recording (suspected): what the map is seen doing; null otherwise */
        Counts counts;
        /**
         * The last read race reported on this map: its reader, writer and write epoch. A read of the same
         * triple is the same race again and is not examined (plain; read on the fast path: a stale value
         * only sends a read to the slow path, which checks again under the monitor).
         */
        ThreadState raceReader;

        ThreadState raceWriter;
        int raceEpoch;
        /** the sink's key of this map's last read race */
        long readKey;
        /**
         * Bumped (under the stripe's monitor) after every change of writer or epoch, and when the slot is
         * claimed, copied or cleared: what a reader's memo (ordered) was checked against.
         */
        volatile int version;
        /**
         * Readers found ordered after the current write: slot (thread id & 3) holds the reader's thread id
         * and the version it was checked at, so that a thread reading the map again in the same write epoch
         * skips its ThreadLocal and its clock (see read()). Plain stores by readers: a torn or stale memo
         * only sends a read to the full check, or (a thread id paired with another's version) skips the check
         * of one read: a miss, never a false report.
         */
        final long[] orderedReaders = new long[MEMO_SLOTS];
        /*
         * FastTrack's read state, kept only while the map is suspected (recording): the reads since the last
         * write that did not come from the writer itself. One reader: `reader` at `readEpoch`; several
         * readers not ordered with each other: the read-shared vector `readVc` (component = thread index,
         * value = that reader's epoch at its last read). Guarded by the stripe's monitor; the fast path reads
         * them plainly to skip a read in an epoch already recorded.
         */
        ThreadState reader;

        int readEpoch;
        int[] readVc;
        /**
         * A write found a read it is not ordered after, whose stack was not known: later reads record their
         * stack (one per new read epoch, within the stack budget) until such a race is reported.
         */
        boolean wantReadStacks;
        /** the last read whose stack was recorded: its thread, epoch, operation and kind */
        StackTraceElement[] readStack;

        ThreadState readStackOwner;
        int readStackEpoch;
        String readOp;
        boolean readIteration;

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
            // The references only when they change: a reference stored into this old object costs G1 a card to
            // refine, one per new map of a thread-confined churn, where the stripe's last map had the same class,
            // writer and operation. Nulls cost no card. The volatile version below orders all of it for readers.
            hash = h;
            if (type != c) {
                type = c;
            }
            if (ref != r) {
                ref = r;
            }
            epoch = t.clock;
            if (op != o) {
                op = o;
            }
            writerStack = null;
            recording = false;
            epochs = 1;
            lastKey = 0;
            fp = 0;
            held = null;
            stackEpoch = 0;
            counts = null;
            raceReader = null;
            raceWriter = null;
            readKey = 0;
            clearReads();
            readStack = null;
            readStackOwner = null;
            wantReadStacks = false;
            if (writer != t) {
                writer = t;
            }
            version++;
        }

        void clearReads() {
            reader = null;
            readVc = null;
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
            fp = from.fp;
            held = from.held;
            stackEpoch = from.stackEpoch;
            counts = from.counts;
            raceReader = from.raceReader;
            raceWriter = from.raceWriter;
            raceEpoch = from.raceEpoch;
            readKey = from.readKey;
            reader = from.reader;
            readEpoch = from.readEpoch;
            readVc = from.readVc;
            wantReadStacks = from.wantReadStacks;
            readStack = from.readStack;
            readStackOwner = from.readStackOwner;
            readStackEpoch = from.readStackEpoch;
            readOp = from.readOp;
            readIteration = from.readIteration;
            writer = from.writer;
            version++;
        }

        void clear() {
            writer = null;
            version++;
            ref = null;
            held = null;
            writerStack = null;
            type = null;
            counts = null;
            raceReader = null;
            raceWriter = null;
            clearReads();
            readStack = null;
            readStackOwner = null;
        }
    }

    private static final MapState[] NONE_KEPT = new MapState[0];

    private static final MapStripe[] TABLE = new MapStripe[STRIPES];

    /** guarded by Sharing.class */
    private static long evicted;

    private static long unexamined;
    private static long windowStart;
    private static int stacksInWindow;

    private Sharing() {}

    /** A write of {@code map} by the thread whose state is {@code current}. */
    static void write(Object map, int h, String op, Object key, int hash, Object[] table, ThreadState current) {
        ThreadState t = ThreadState.tracked(current);
        if (t.busy || t.idx < 0) {
            return;
        }
        MapStripe st = TABLE[h & (STRIPES - 1)]; // plain read: null or stale goes to the slow path
        if (st != null) {
            Class<?> c = map.getClass();
            if (st.young.current(t, h, c)) {
                return;
            }
            for (MapState k : st.mayKeep(h) ? st.kept : NONE_KEPT) {
                if (k.current(t, h, c)) {
                    Counts u = k.counts;
                    if (u == null) {
                        return;
                    }
                    if (k.writerStack != null) { // else a read race waits for this writer's stack: slow path
                        t.busy = true;
                        try {
                            countWrite(k, map, h, op, key, hash, t);
                        } finally {
                            t.busy = false;
                        }
                        return;
                    }
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

    /**
     * A read ({@code iteration} false: a lookup, {@code found} whether the key was there) or the start of an
     * iteration of {@code map} by the current thread. See the essay: the fast path stores nothing.
     */
    static void read(Object map, int h, String op, Object key, boolean found, Object[] table, boolean iteration) {
        MapStripe st = TABLE[h & (STRIPES - 1)]; // plain: null only means no write of this stripe was seen
        if (st == null) {
            return;
        }
        Class<?> c = map.getClass();
        for (MapState k : st.mayKeep(h) ? st.kept : NONE_KEPT) {
            if (k.hash == h && k.type == c) {
                WeakReference<Object> r = k.ref;
                ThreadState w = k.writer;
                if (r != null && w != null && r.get() == map) {
                    if (k.counts == null && memoHit(k)) {
                        return;
                    }
                    ThreadState t = ThreadState.tracked();
                    if (t.busy || t.idx < 0 || t.writing == map) {
                        return; // the agent's own, untracked, or a read inside this thread's own write
                    }
                    readKept(st, k, w, map, h, op, key, found, table, iteration, t);
                    return;
                }
            }
        }
        MapState y = st.young;
        if (y.hash != h || y.type != c || memoHit(y)) {
            return;
        }
        ThreadState t = ThreadState.tracked();
        if (t.busy || t.idx < 0 || t.writing == map) {
            return;
        }
        int v = y.version; // before writer and epoch: a change after this read makes the memo stale
        ThreadState w = y.writer;
        if (w == null || w == t) {
            return;
        }
        if (t.happensAfter(w.idx, y.epoch)) {
            memo(y, t, v);
            return;
        }
        if (table != null && y.fp != 0 && y.fp != System.identityHashCode(table)) {
            return; // the young state's table is not this map's: another map's state
        }
        t.busy = true;
        try {
            suspectFromRead(st, map, h, c, table, t, iteration);
        } finally {
            t.busy = false;
        }
    }

    /** The current thread was found ordered after s's current write (version unchanged since): no ThreadLocal. */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+; the same value on 17
    private static boolean memoHit(MapState s) {
        long id = Thread.currentThread().getId();
        return s.orderedReaders[(int) id & (MEMO_SLOTS - 1)] == (id << 32 | (s.version & 0xffffffffL));
    }

    @SuppressWarnings("deprecation")
    private static void memo(MapState s, ThreadState t, int version) {
        long id = t.thread.getId();
        s.orderedReaders[(int) id & (MEMO_SLOTS - 1)] = id << 32 | (version & 0xffffffffL); // plain: see the field
    }

    private static void readKept(
            MapStripe st,
            MapState k,
            ThreadState w,
            Object map,
            int h,
            String op,
            Object key,
            boolean found,
            Object[] table,
            boolean iteration,
            ThreadState t) {
        Counts u = k.counts;
        if (u != null) {
            t.busy = true;
            try {
                u.read(t, iteration);
                if (!found && !iteration) {
                    t.missMap = h;
                    t.missKey = MapWatch.keyHash(map, key, MapWatch.NO_HASH);
                }
            } finally {
                t.busy = false;
            }
            if (w != t && !readRecorded(k, t)) {
                t.busy = true;
                try {
                    synchronized (st) {
                        if (k.ref != null && k.ref.get() == map) {
                            recordRead(k, t, op, iteration);
                        }
                    }
                } finally {
                    t.busy = false;
                }
            }
        }
        int v = k.version;
        if (w == t || t.happensAfter(w.idx, k.epoch)) {
            if (u == null && w != t && k.writer == w) {
                memo(k, t, v);
            }
            return;
        }
        if (k.raceReader == t && k.raceWriter == w && k.raceEpoch == k.epoch) {
            return; // this pair was reported (plain reads: a stale one goes to the slow path)
        }
        t.busy = true;
        try {
            slowRead(st, map, h, op, key, table, iteration, t);
        } finally {
            t.busy = false;
        }
    }

    /** True if t's read in its current epoch is already in k's read state (plain reads: see MapState). */
    private static boolean readRecorded(MapState k, ThreadState t) {
        if (k.wantReadStacks) {
            return false;
        }
        if (k.reader == t && k.readEpoch == t.clock) {
            return true;
        }
        int[] rv = k.readVc;
        return rv != null && t.idx < rv.length && rv[t.idx] == t.clock;
    }

    /** FastTrack's read rules (exclusive epoch, else read-shared vector); under the stripe's monitor. */
    private static void recordRead(MapState s, ThreadState t, String op, boolean iteration) {
        if (s.readVc == null) {
            ThreadState r = s.reader;
            if (r == null || r == t || t.happensAfter(r.idx, s.readEpoch)) {
                s.reader = t; // read exclusive: this read is ordered after the one it replaces
                s.readEpoch = t.clock;
            } else {
                int[] rv = new int[Math.max(r.idx, t.idx) + 1]; // read-shared: two unordered readers
                rv[r.idx] = s.readEpoch;
                rv[t.idx] = t.clock;
                s.readVc = rv;
                s.reader = null;
            }
        } else {
            if (t.idx >= s.readVc.length) {
                s.readVc = java.util.Arrays.copyOf(s.readVc, t.idx + 1);
            }
            s.readVc[t.idx] = t.clock;
        }
        if (s.wantReadStacks && !(s.readStackOwner == t && s.readStackEpoch == t.clock)) {
            StackTraceElement[] mine = stack();
            if (mine != null) {
                s.readStack = mine;
                s.readStackOwner = t;
                s.readStackEpoch = t.clock;
                s.readOp = op;
                s.readIteration = iteration;
            }
        }
    }

    /**
     * A write by t of a suspected map, after its own checks: FastTrack's write check against the reads since
     * the last write. Returns a race with both stacks when the read whose stack is known is not ordered
     * before this write; asks for reads' stacks when an unordered read's stack is not known. Clears the read
     * state (later writes are ordered after this one, or race with it). Under the stripe's monitor.
     */
    private static Race checkReads(
            MapState s, Object map, String op, Object key, int hash, Object[] table, ThreadState t) {
        boolean unordered = false;
        ThreadState r = s.reader;
        if (r != null && r != t && !t.happensAfter(r.idx, s.readEpoch)) {
            unordered = true;
        }
        int[] rv = s.readVc;
        if (rv != null) {
            for (int i = 0; i < rv.length && !unordered; i++) {
                if (i != t.idx && rv[i] != 0 && !t.happensAfter(i, rv[i])) {
                    unordered = true;
                }
            }
        }
        s.clearReads();
        if (!unordered) {
            return null;
        }
        ThreadState o = s.readStackOwner;
        if (s.readStack == null || o == null || o == t || t.happensAfter(o.idx, s.readStackEpoch)) {
            s.wantReadStacks = true; // the racing read's stack is not known: the next ones record theirs
            MapWatch.repeat(s.readKey);
            return null;
        }
        StackTraceElement[] mine = stack();
        if (mine == null) {
            countUnexamined();
            MapWatch.repeat(s.readKey);
            return null;
        }
        int kh = MapWatch.keyHash(map, key, hash);
        Race race = new Race(
                s.readIteration ? Race.UNSYNCHRONIZED_ITERATION : Race.UNSYNCHRONIZED_READ,
                map,
                op,
                kh,
                MapWatch.bucket(kh, table),
                t.thread,
                mine,
                o.thread,
                s.readOp,
                s.readStack,
                Race.AT_WRITE);
        s.wantReadStacks = false; // reported: reads stop paying for stacks
        s.readStack = null;
        s.readStackOwner = null;
        return race;
    }

    /** An unordered read of a kept map, under the stripe's monitor; reports a read race when both stacks are known. */
    private static void slowRead(
            MapStripe st, Object map, int h, String op, Object key, Object[] table, boolean iteration, ThreadState t) {
        Race race;
        MapState s;
        Class<?> c = map.getClass();
        synchronized (st) {
            s = find(st, map, h, c);
            if (s == null || s.ref == null) {
                return;
            }
            ThreadState w = s.writer;
            if (w == t || ordered(t, w, s.epoch)) {
                return;
            }
            if (!s.recording) {
                suspect(s); // the writer's stack is taken at its next write; the next such read reports
                s.writerStack = null;
                return;
            }
            if (s.writerStack == null) {
                return; // waiting for the writer's next write
            }
            if (t.happensAfter(w.idx, s.stackEpoch)) {
                s.writerStack = null; // the recorded write is ordered before this read: take a later one
                return;
            }
            if (s.raceReader == t && s.raceWriter == w && s.raceEpoch == s.epoch) {
                return;
            }
            StackTraceElement[] mine = stack();
            s.raceReader = t;
            s.raceWriter = w;
            s.raceEpoch = s.epoch;
            if (mine == null) {
                countUnexamined();
                MapWatch.repeat(s.readKey);
                return;
            }
            int kh = MapWatch.keyHash(map, key, MapWatch.NO_HASH);
            race = new Race(
                    iteration ? Race.UNSYNCHRONIZED_ITERATION : Race.UNSYNCHRONIZED_READ,
                    map,
                    op,
                    kh,
                    MapWatch.bucket(kh, table),
                    t.thread,
                    mine,
                    w.thread,
                    s.op,
                    s.writerStack,
                    Race.AT_WRITE);
            race.usage = s.counts == null ? null : s.counts.snapshot();
        }
        long k = MapWatch.report(race);
        synchronized (st) {
            if (s.holds(map, h, c)) {
                s.readKey = k;
            }
        }
    }

    /** An unordered read whose young state is this map's by its table's identity: keep the map, suspected. */
    private static void suspectFromRead(
            MapStripe st, Object map, int h, Class<?> c, Object[] table, ThreadState t, boolean iteration) {
        synchronized (st) {
            MapState y = st.young;
            if (!y.holds(map, h, c) || (table != null && y.fp != 0 && y.fp != System.identityHashCode(table))) {
                return;
            }
            ThreadState w = y.writer;
            if (w == t || ordered(t, w, y.epoch)) {
                return;
            }
            MapState k = keep(st, y, map);
            suspect(k);
            k.writerStack = null; // taken at the writer's next write
            k.counts.read(t, iteration);
        }
    }

    /** The map is suspected: record its writers' stacks and count what it does. Under the stripe's monitor. */
    private static void suspect(MapState s) {
        s.recording = true;
        if (s.counts == null) {
            s.counts = new Counts();
        }
    }

    /** Counts a write of a suspected map; check-then-act when this thread's last lookup of it missed this key. */
    private static void countWrite(MapState s, Object map, int h, String op, Object key, int hash, ThreadState t) {
        Counts u = s.counts;
        if (u == null) {
            return;
        }
        boolean checkThenAct = false;
        if (t.missMap == h) {
            checkThenAct = key != null && t.missKey == MapWatch.keyHash(map, key, hash);
            t.missMap = 0;
        }
        u.write(t, checkThenAct, op.equals("afterNodeAccess"));
    }

    /** What tier 2 counted on {@code map} while it suspected it (a frozen copy), or null. */
    static Counts usage(Object map) {
        int h = System.identityHashCode(map);
        MapStripe st = TABLE[h & (STRIPES - 1)];
        if (st == null) {
            return null;
        }
        synchronized (st) {
            for (MapState k : st.kept) {
                if (k.ref != null && k.holds(map, h, map.getClass()) && k.counts != null) {
                    return k.counts.snapshot();
                }
            }
            return null;
        }
    }

    /**
     * The end of a write of a HashMap-family map by {@code t}: remember the identity hash of its table in
     * the young state, so that an unordered change of writer can tell (with a second 31-bit identity) that
     * the earlier write was to this very map. Plain stores: a stale value only makes that check fail.
     */
    static void written(Object map, int h, Object[] table, ThreadState t) {
        MapStripe st = TABLE[h & (STRIPES - 1)];
        if (st == null) {
            return;
        }
        MapState y = st.young;
        if (y.writer == t && y.hash == h && y.type == map.getClass()) {
            int f = System.identityHashCode(table);
            if (y.fp != f) {
                y.fp = f;
            }
        }
    }

    /** Reports every held race (a race that did not repeat, so one stack is missing): at exit, at detach. */
    static void flushHeld() {
        ThreadState me = ThreadState.current();
        boolean wasBusy = me.busy;
        me.busy = true;
        try {
            for (MapStripe st : TABLE) {
                if (st == null) {
                    continue;
                }
                Race[] out = new Race[KEPT];
                synchronized (st) {
                    for (int i = 0; i < KEPT; i++) {
                        out[i] = st.kept[i].held;
                        st.kept[i].held = null;
                    }
                }
                for (Race r : out) {
                    if (r != null) {
                        MapWatch.report(r);
                    }
                }
            }
            Race r;
            while ((r = takeOrphan()) != null) {
                MapWatch.report(r);
            }
        } finally {
            me.busy = wasBusy;
        }
    }

    private static MapStripe stripe(int i) {
        synchronized (TABLE) {
            MapStripe s = TABLE[i];
            if (s == null) {
                s = new MapStripe();
                TABLE[i] = s; // published by the monitor to anyone who takes it; plain readers retry here
            }
            return s;
        }
    }

    private static void slowWrite(
            Object map, int h, String op, Object key, int hash, Object[] table, ThreadState t, MapStripe st) {
        Race race;
        MapState s;
        MapState now = null;
        boolean readRace = false;
        synchronized (st) {
            Class<?> c = map.getClass();
            s = find(st, map, h, c);
            if (s == null) {
                st.young.claim(h, c, null, t, op);
                return;
            }
            race = decide(st, s, map, op, key, hash, table, t);
            now = find(st, map, h, c);
            if (now != null && now.counts != null) {
                countWrite(now, map, h, op, key, hash, t);
                if (race == null && now.ref != null) {
                    race = checkReads(now, map, op, key, hash, table, t);
                    readRace = race != null;
                }
                if (race != null) {
                    race.usage = now.counts.snapshot();
                }
            }
        }
        if (race != null) {
            long k = MapWatch.report(race);
            synchronized (st) {
                if (readRace) {
                    if (now.holds(map, h, map.getClass())) {
                        now.readKey = k;
                    }
                } else if (s.holds(map, h, map.getClass())) {
                    s.lastKey = k;
                }
            }
        }
    }

    private static MapState find(MapStripe st, Object map, int h, Class<?> c) {
        for (MapState k : st.mayKeep(h) ? st.kept : NONE_KEPT) { // exact under the monitor: keep() writes both
            if (k.holds(map, h, c)) {
                return k;
            }
        }
        return st.young.holds(map, h, c) ? st.young : null;
    }

    /** Decides one write under the stripe's monitor; returns a race to report, or null. */
    static Race decide(
            MapStripe st, MapState s, Object map, String op, Object key, int hash, Object[] table, ThreadState t) {
        ThreadState w = s.writer;
        if (w == t) {
            s.epoch = t.clock; // the stack recorded at the start of this writer's run stays
            s.version++;
            s.op = op;
            if (s.recording && s.writerStack == null) {
                s.writerStack = stack(); // a read race waits for it (slowRead)
                s.stackEpoch = t.clock;
            }
            if (s == st.young && ++s.epochs >= KEEP_AFTER) {
                keep(st, s, map);
            }
            return null;
        }
        if (ordered(t, w, s.epoch)) {
            handOver(s, t, op);
            return null;
        }
        if (s.ref == null) {
            // Unordered, but a young state names the map only by (hash, class): it may be another map's.
            // Keep this one exactly from now on, recording, and wait for a second change. When the young
            // state's table identity is this map's table, the earlier write was to this map: hold the race
            // (one stack) until the map races again with both stacks known, or until exit.
            boolean same = table != null && s.fp != 0 && s.fp == System.identityHashCode(table);
            String earlierOp = s.op;
            MapState k = keep(st, s, map);
            suspect(k);
            handOver(k, t, op);
            if (same && k.writerStack != null) {
                k.held = held(map, op, key, hash, table, t, w, earlierOp, k.writerStack);
            }
            return null;
        }
        if (!s.recording || s.writerStack == null) {
            // A kept map raced for the first time: its writers' stacks are not known yet.
            String earlierOp = s.op;
            suspect(s);
            handOver(s, t, op);
            if (s.writerStack != null && s.held == null) {
                s.held = held(map, op, key, hash, table, t, w, earlierOp, s.writerStack);
            }
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
        Race race = new Race(
                Race.UNSYNCHRONIZED,
                map,
                op,
                kh,
                MapWatch.bucket(kh, table),
                t.thread,
                mine,
                w.thread,
                s.op,
                s.writerStack,
                Race.AT_WRITE);
        s.held = null; // a race with both stacks supersedes the one that waited for it
        s.epoch = t.clock;
        s.op = op;
        s.writerStack = mine;
        s.stackEpoch = t.clock;
        s.writer = t;
        s.version++;
        return race;
    }

    /**
     * True if the write of {@code w} at {@code epoch} happens before the current write of {@code t}. Before
     * saying no, joins every class initialisation so far (Clocks.joinClassInits): a map filled by a static
     * initializer is ordered before any use of the class by another thread (JLS 12.4.2), which that thread's
     * first use waited for without a hook of ours.
     */
    private static boolean ordered(ThreadState t, ThreadState w, int epoch) {
        if (t.happensAfter(w.idx, epoch)) {
            return true;
        }
        Clocks.joinClassInits(t);
        return t.happensAfter(w.idx, epoch);
    }

    /** A race with one stack, held without a reference to the map (which it must not keep alive). */
    private static Race held(
            Object map,
            String op,
            Object key,
            int hash,
            Object[] table,
            ThreadState t,
            ThreadState w,
            String earlierOp,
            StackTraceElement[] mine) {
        int kh = MapWatch.keyHash(map, key, hash);
        return new Race(
                Race.UNSYNCHRONIZED,
                null,
                map.getClass().getName(),
                System.identityHashCode(map),
                op,
                kh,
                MapWatch.bucket(kh, table),
                t.thread,
                mine,
                w.thread,
                earlierOp,
                new StackTraceElement[0],
                Race.AT_UNKNOWN);
    }

    /** Moves a young state to a kept slot, exactly named from now on; returns the kept state. */
    private static MapState keep(MapStripe st, MapState young, Object map) {
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
            if (k.held != null) {
                orphan(k.held);
            }
        }
        k.copy(young, new WeakReference<>(map));
        if (k == st.kept[0]) {
            st.keptHash0 = k.hash;
        } else {
            st.keptHash1 = k.hash;
        }
        young.clear();
        return k;
    }

    private static void handOver(MapState s, ThreadState t, String op) {
        s.epoch = t.clock;
        s.op = op;
        s.epochs = 1;
        s.writerStack = s.recording ? stack() : null;
        s.stackEpoch = t.clock;
        s.writer = t;
        s.version++; // after writer and epoch: see memoHit
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

    /** guarded by Sharing.class: held races of maps whose kept slot was taken by another map */
    private static final Race[] ORPHANS = new Race[256];

    private static int orphans;

    private static synchronized void orphan(Race r) {
        if (orphans < ORPHANS.length) {
            ORPHANS[orphans++] = r;
        } else {
            unexamined++;
        }
    }

    private static synchronized Race takeOrphan() {
        if (orphans == 0) {
            return null;
        }
        Race r = ORPHANS[--orphans];
        ORPHANS[orphans] = null;
        return r;
    }

    private static synchronized void countUnexamined() {
        unexamined++;
    }

    /** For tests: the map is kept exactly and recording (its writer changed once with no order). */
    static boolean suspected(Object map) {
        int h = System.identityHashCode(map);
        MapStripe st = TABLE[h & (STRIPES - 1)];
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
