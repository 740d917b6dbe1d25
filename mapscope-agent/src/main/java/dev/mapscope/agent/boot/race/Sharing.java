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
     *   - a young state: the map most recently claimed in the stripe, named by its identity hash only, no
     *     reference, packed into a few longs of one array (Young) and claimed without a monitor. Claiming
     *     costs no allocation and touches no object of the agent's, so millions of thread-confined maps
     *     (created, two puts, dropped) cost one reused slot each. A hash is not an identity: two maps can
     *     share it (a live pair, or a new map and a dead one; with 31-bit hashes, a few times per million
     *     maps). A young state is therefore never evidence of a race: it only orders hand-overs and arms
     *     suspicion.
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
     * Fast path, every write: the young state's word is this thread's write of this hash in its current
     * epoch (one load and a compare), or a kept slot names this thread, its epoch, this hash and class. No
     * store, no lock, no allocation. A stale read only sends a write to a slower path or skips recording one
     * write (a missed race, never a false one). A new map, the writer's next epoch and an ordered hand-over
     * store the young state's two words without a monitor (youngWrite; see Young for why a torn pair is
     * harmless). Everything else, every decision about a kept state and every unordered change of writer,
     * is taken under the stripe's monitor (never a java.util.concurrent lock: the agent would observe itself).
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
     *     reference), so a young state inherited from another map (equal hash, no fp to tell:
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
        int b = Young.base(h);
        long w = Young.w(b);
        long tag = Young.tag(h, t.idx, t.clock);
        if (w == tag) {
            return; // this thread's write of the young map in its current epoch
        }
        MapStripe st = null;
        if (Young.mayKeep(Young.kept(b), h)) {
            st = TABLE[h & (STRIPES - 1)]; // plain read: null or stale goes to the slow path
            if (st != null) {
                Class<?> c = map.getClass();
                for (MapState k : st.kept) {
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
        } else if (youngWrite(b, w, tag, h, op, t)) {
            return;
        }
        t.busy = true;
        try {
            slowWrite(map, h, op, key, hash, table, t, st == null ? stripe(h & (STRIPES - 1)) : st, b);
        } finally {
            t.busy = false;
        }
    }

    /**
     * A write of a map no kept slot may hold, without the stripe's monitor: a new map claims the young state, its
     * writer's next epoch and an ordered hand-over update it. False when the monitor must decide (an unordered
     * change of writer, or a long-lived map to keep).
     */
    private static boolean youngWrite(int b, long w, long tag, int h, String op, ThreadState t) {
        if (!Young.names(w, h)) {
            Young.claim(b, tag, op, t);
            return true;
        }
        int wi = Young.writer(w);
        if (wi == t.idx) {
            long x = Young.x(b);
            int n = Young.epochs(x) + 1;
            if (n >= KEEP_AFTER) {
                return false;
            }
            Young.set(b, tag, Young.nextEpoch(x, n, Young.opId(op, t)));
            return true;
        }
        if (t.happensAfter(wi, Young.epoch(w))) {
            Young.claim(b, tag, op, t);
            return true;
        }
        return false;
    }

    /**
     * A read ({@code iteration} false: a lookup, {@code found} whether the key was there) or the start of an
     * iteration of {@code map} by the current thread. See the essay: the fast path stores nothing.
     */
    static void read(Object map, int h, String op, Object key, boolean found, Object[] table, boolean iteration) {
        int b = Young.base(h);
        MapStripe st = null;
        if (Young.mayKeep(Young.kept(b), h)) {
            st = TABLE[h & (STRIPES - 1)]; // plain: null only means no kept state was made here
            if (st != null) {
                Class<?> c = map.getClass();
                for (MapState k : st.kept) {
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
            }
        }
        long w = Young.w(b);
        if (!Young.names(w, h)) {
            return; // no write of this map seen (or not since another map's)
        }
        if (st == null) {
            st = TABLE[h & (STRIPES - 1)];
        }
        if (st != null && youngMemoHit(st, w)) {
            return;
        }
        ThreadState t = ThreadState.tracked();
        if (t.busy || t.idx < 0 || t.writing == map) {
            return;
        }
        int wi = Young.writer(w);
        if (wi == t.idx) {
            return;
        }
        if (t.happensAfter(wi, Young.epoch(w))) {
            youngMemo(st == null ? stripe(h & (STRIPES - 1)) : st, t, w);
            return;
        }
        int fp = Young.fpBy(Young.x(b), wi);
        if (table != null && fp != 0 && fp != System.identityHashCode(table)) {
            return; // the young state's table is not this map's: another map's state
        }
        t.busy = true;
        try {
            suspectFromRead(stripe(h & (STRIPES - 1)), b, map, h, table, t, iteration);
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

    /** The current thread was found ordered after the young state's write W (see MapStripe.youngReaders). */
    @SuppressWarnings("deprecation")
    private static boolean youngMemoHit(MapStripe st, long w) {
        long id = Thread.currentThread().getId();
        return st.youngReaders[(int) id & (MEMO_SLOTS - 1)] == (id << 32 | ((int) w ^ (int) (w >>> 32)) & 0xffffffffL);
    }

    @SuppressWarnings("deprecation")
    private static void youngMemo(MapStripe st, ThreadState t, long w) {
        long id = t.thread.getId();
        st.youngReaders[(int) id & (MEMO_SLOTS - 1)] = id << 32 | ((int) w ^ (int) (w >>> 32)) & 0xffffffffL;
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
            if (w == t || ordered(t, w.idx, s.epoch)) {
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
            MapStripe st, int b, Object map, int h, Object[] table, ThreadState t, boolean iteration) {
        synchronized (st) {
            if (find(st, map, h, map.getClass()) != null) {
                return; // kept meanwhile
            }
            long w = Young.w(b);
            if (!Young.names(w, h)) {
                return;
            }
            int wi = Young.writer(w);
            int fp = Young.fpBy(Young.x(b), wi);
            if (table != null && fp != 0 && fp != System.identityHashCode(table)) {
                return;
            }
            if (wi == t.idx || ordered(t, wi, Young.epoch(w))) {
                return;
            }
            MapState k = keep(st, b, w, map);
            if (k == null) {
                return;
            }
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
     * the earlier write was to this very map. Stored only while the young state is this thread's write of the
     * map's hash: a stale value only makes that check fail (see Young for a claim it overwrites).
     */
    static void written(Object map, int h, Object[] table, ThreadState t) {
        if (t.idx < 0) {
            return;
        }
        int b = Young.base(h);
        long w = Young.w(b);
        if (Young.names(w, h) && Young.writer(w) == t.idx) {
            Young.fp(b, Young.x(b), System.identityHashCode(table), t.idx);
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
            Object map, int h, String op, Object key, int hash, Object[] table, ThreadState t, MapStripe st, int b) {
        Race race;
        MapState s;
        MapState now = null;
        boolean readRace = false;
        synchronized (st) {
            Class<?> c = map.getClass();
            s = find(st, map, h, c);
            if (s == null) {
                decideYoung(st, b, map, h, op, key, hash, table, t);
                return;
            }
            race = decide(st, s, map, op, key, hash, table, t);
            now = find(st, map, h, c);
            if (now != null && now.counts != null) {
                countWrite(now, map, h, op, key, hash, t);
                if (race == null) {
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

    /** The kept state of {@code map}, or null; under the stripe's monitor (exact: kept states hold a reference). */
    private static MapState find(MapStripe st, Object map, int h, Class<?> c) {
        for (MapState k : st.kept) {
            if (k.holds(map, h, c)) {
                return k;
            }
        }
        return null;
    }

    /**
     * A write of a map with no kept state, under the stripe's monitor: what youngWrite left to it (an unordered
     * change of writer, a long-lived map) or a state that changed since. Reports nothing: an unordered change of
     * writer keeps the map exactly from now on, recording, and waits for a second change. A young state names its
     * map by identity hash only, so it may be another map's; when its table's identity is this map's table as well,
     * the earlier write was to this map, and the race is held (one stack) until the map races again with both
     * stacks known, or until exit.
     */
    private static void decideYoung(
            MapStripe st, int b, Object map, int h, String op, Object key, int hash, Object[] table, ThreadState t) {
        long w = Young.w(b);
        long tag = Young.tag(h, t.idx, t.clock);
        if (w == tag || youngWrite(b, w, tag, h, op, t)) {
            return; // a case without a monitor after all (a kept map's hash matched, or the state changed since)
        }
        int wi = Young.writer(w);
        if (wi == t.idx) { // a long-lived map: kept exactly from now on
            if (keep(st, b, w, map) != null) {
                decide(st, find(st, map, h, map.getClass()), map, op, key, hash, table, t);
            }
            return;
        }
        if (ordered(t, wi, Young.epoch(w))) { // ordered by a class initialisation youngWrite did not join
            Young.claim(b, tag, op, t);
            return;
        }
        long x = Young.x(b);
        int fp = Young.fpBy(x, wi);
        boolean same = table != null && fp != 0 && fp == System.identityHashCode(table);
        String earlierOp = Young.op(x);
        MapState k = keep(st, b, w, map);
        if (k == null) {
            Young.claim(b, tag, op, t); // the earlier writer is not known any more
            return;
        }
        ThreadState other = k.writer;
        suspect(k);
        handOver(k, t, op);
        if (same && k.writerStack != null) {
            k.held = held(map, op, key, hash, table, t, other, earlierOp, k.writerStack);
        }
    }

    /** Decides one write of a kept map under the stripe's monitor; returns a race to report, or null. */
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
            return null;
        }
        if (ordered(t, w.idx, s.epoch)) {
            handOver(s, t, op);
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
    private static boolean ordered(ThreadState t, int w, int epoch) {
        if (t.happensAfter(w, epoch)) {
            return true;
        }
        Clocks.joinClassInits(t);
        return t.happensAfter(w, epoch);
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

    /**
     * Moves the young state {@code w} of stripe {@code b} to a kept slot, where {@code map} is named exactly from now
     * on; returns the kept state, or null when the young state's writer is no longer known (its index was given to
     * another thread since). Under the stripe's monitor.
     */
    private static MapState keep(MapStripe st, int b, long w, Object map) {
        ThreadState writer = ThreadState.owner(Young.writer(w), Young.epoch(w));
        if (writer == null) {
            return null;
        }
        long x = Young.x(b);
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
        int h = System.identityHashCode(map);
        k.claim(h, map.getClass(), new WeakReference<>(map), writer, Young.epoch(w), Young.op(x));
        Young.setKept(
                b, st.kept[0].writer != null ? st.kept[0].hash : 0, st.kept[1].writer != null ? st.kept[1].hash : 0);
        Young.free(b, w);
        return k;
    }

    private static void handOver(MapState s, ThreadState t, String op) {
        s.epoch = t.clock;
        s.op = op;
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
