package dev.mapscope.agent.boot.race;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The one entry point of mapscope's inlined advice. Every method here may run inside any JDK map or lock
 * operation of the application: none throws, none blocks on the fast path, none allocates on it.
 */
public final class MapWatch {
    /*
     * Tier 1, the overlap check, is Go's hashWriting flag (runtime/map.go) moved beside the map. Java's maps
     * have no spare field and a retransformed class cannot gain one, so the mark is split in two:
     *
     *   - each thread's ThreadState.writing names the one map it is inside a write of (or null), written
     *     only by that thread;
     *   - a striped table indexed by the map's identity hash names the last thread that entered a write of
     *     a map of that stripe (one reference per stripe, padded to its own cache line).
     *
     *   enter: the stripe names another thread whose `writing` is this very map: that thread is inside a
     *          write of this map: a race. Then set my `writing`, and name me in the stripe.
     *   exit:  the same check again (Go's re-check before clearing): another thread entered meanwhile.
     *          Then clear my `writing`.
     *
     * A report needs `other.writing == map`, a comparison of references, so two maps are never confused:
     * not by equal identity hashes, not by a shared stripe, not by torn stores (each store is one
     * reference). Reading `writing` plainly is enough for that: the value read was written by the other
     * thread when it entered this map, and if its clearing store happened-before this read the JMM forbids
     * reading the older value (happens-before consistency, JLS 17.4.5). So a thread seen inside the map was
     * inside it with no happens-before order to this write: a real race. A stale or overwritten stripe only
     * makes the check miss (two threads writing two maps of one stripe): best effort, like Go's flag.
     *
     * Both stacks: the thread that finds another inside the map takes its own stack, and hands the race to
     * the other thread (ThreadState.seen), which completes it with its own stack when its write ends, still
     * inside the racing call path. A thread that never leaves the map (a loop in a corrupted bin) is
     * completed by the agent's flusher after PENDING_NANOS with its stack as it is then, inside the map.
     *
     * Tier 2 (Sharing) runs before the tier-1 mark on every write when enabled.
     *
     * Reads and iterations (Go's "concurrent map read and map write", "concurrent map iteration and map
     * write") only look: a lookup that ends, an iterator that starts or steps, a forEach that starts or ends,
     * finds the stripe naming another thread whose `writing` is this very map: that thread is inside a write
     * of the map while this one reads it. A reader leaves no mark (no store on the fast path, so reads cost
     * an identity hash and two loads and never contend), which is why only the reader can find the pair: a
     * writer entering a map that a reader is inside is not seen, as in Go. The race then goes the same way
     * as a write's: the reader takes its own stack and the writer completes it at the end of its write.
     */
    static final int STRIPES = 4096;
    /** references per stripe: 16 x 4 bytes = one 64-byte line with compressed oops (two lines without) */
    static final int STRIDE = 16;

    private static final Object[] MARKS = new Object[STRIPES * STRIDE];
    /** races waiting for the other thread's stack; a full table reports with the stack as it is then */
    private static final Race[] PENDING = new Race[64];

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Race[].class);
    /** how long a race waits for the other thread to leave the map before its stack is taken where it is */
    public static final long PENDING_NANOS = 500_000_000L;

    /** passed as {@code hash} by advice that has no precomputed hash */
    public static final int NO_HASH = Integer.MIN_VALUE;
    /** the token of a call that is not watched: disabled, the agent's own, or nested in a write of the map */
    public static final Object NOT_WATCHED = new Object();

    /** Off until installed, off again after detach: instrumented code still running then does nothing. */
    private static volatile boolean enabled;
    /** tier 2 on (mode=full) */
    private static volatile boolean sharing;

    private static volatile Sink sink;

    private static final Class<?> RW_NONFAIR =
            classOrNull("java.util.concurrent.locks.ReentrantReadWriteLock$NonfairSync");
    private static final Class<?> RW_FAIR = classOrNull("java.util.concurrent.locks.ReentrantReadWriteLock$FairSync");

    private MapWatch() {}

    /** Starts watching: {@code withSharing} turns tier 2 on; races go to {@code to}. */
    public static void start(boolean withSharing, Sink to) {
        sink = to;
        sharing = withSharing;
        enabled = true;
    }

    /** Stops watching; advice that still runs returns at once. */
    public static void stop() {
        enabled = false;
        sharing = false;
    }

    /** The current thread is one of the agent's own (flusher, control): nothing it does is watched. */
    public static void ignoreCurrentThread() {
        ThreadState.current().busy = true;
    }

    public static boolean enabled() {
        return enabled;
    }

    /** Threads that wanted a tier-2 index while every index belonged to a live thread. */
    public static long untrackedThreads() {
        return ThreadState.untracked();
    }

    /** Tier-2 indices taken back from ended threads. */
    public static long reclaimedThreads() {
        return ThreadState.reclaimed();
    }

    /** Tier-2 histories of live maps pushed out of the table by other maps (see Sharing). */
    /** Threads whose happens-before clock stopped at its maximum (more than two billion releases). */
    public static long saturatedClocks() {
        return ThreadState.saturated();
    }

    public static long evictedHistories() {
        return Sharing.evicted();
    }

    /** Tier-2 races counted but not examined (over the stack budget). */
    public static long unexamined() {
        synchronized (MapWatch.class) {
            return Sharing.unexamined() + stacklessRaces;
        }
    }

    /** guarded by MapWatch.class: races whose other thread had ended before its stack was taken */
    private static long stacklessRaces;

    /**
     * A mutating operation begins. Returns the token to pass to {@link #exit}: {@link #NOT_WATCHED}, this
     * thread's state, or (a write nested in a write of another map) that other map.
     */
    public static Object enter(Object map, String op, Object key, int hash, Object[] table) {
        if (!enabled) {
            return NOT_WATCHED;
        }
        ThreadState t = ThreadState.current();
        Object outer = t.writing;
        if (outer == map || t.busy) {
            return NOT_WATCHED; // putAll -> putVal -> resize: the outermost call owns the mark
        }
        int h = System.identityHashCode(map);
        if (sharing) {
            // Before the mark, so that tier 2's slow path (a stack walk) never widens the window in which
            // another writer would find this one inside the map.
            try {
                Sharing.write(map, h, op, key, hash, table, t);
            } catch (Throwable e) {
                // never into the application
            }
        }
        int i = (h & (STRIPES - 1)) * STRIDE;
        Object o = MARKS[i]; // plain: a stale value only makes the check miss
        if (o != t && o != null && ((ThreadState) o).writing == map) {
            overlap(Race.CONCURRENT, map, op, key, hash, table, (ThreadState) o, t);
        }
        t.writing = map; // plain stores: see the essay for why a stale read can only miss
        if (o != t) {
            // Only when it changes: a reference stored into this large array costs G1 a card mark (a fence and a
            // card for its refinement threads), and most writes are one of several to the map this thread marked.
            MARKS[i] = t;
        }
        VarHandle.storeStoreFence(); // the mark is visible no later than the mutation it guards
        return outer == null ? t : outer;
    }

    /**
     * The operation that {@link #enter} returned {@code token} for has ended (normally or by an exception).
     * {@code table} is the map's table after the write (HashMap family), or null.
     */
    public static void exit(Object map, String op, Object token, Object[] table) {
        if (token == NOT_WATCHED) {
            return;
        }
        ThreadState t;
        Object outer;
        if (token instanceof ThreadState) {
            t = (ThreadState) token;
            outer = null;
        } else {
            t = ThreadState.current();
            outer = token;
        }
        if (enabled) {
            int h = System.identityHashCode(map);
            Object o = MARKS[(h & (STRIPES - 1)) * STRIDE];
            if (o != t && o != null && ((ThreadState) o).writing == map) {
                overlap(Race.CONCURRENT, map, op, null, NO_HASH, null, (ThreadState) o, t);
            }
            if (sharing && table != null) {
                try {
                    Sharing.written(map, h, table, t);
                } catch (Throwable e) {
                    // never into the application
                }
            }
        }
        Race asked = t.seen;
        if (asked != null && asked.map == map) {
            answer(t, asked, op);
        }
        t.writing = outer; // plain: see the essay
    }

    /**
     * A lookup of {@code map} ended (get, containsKey, getOrDefault, navigation...): tier 1 looks for a writer
     * inside the map, tier 2 checks that the map's last write happens before this read. {@code found}: the
     * key was present (a miss followed by a put of the key is counted as check-then-act). {@code table}: the
     * map's table (HashMap family, WeakHashMap, IdentityHashMap) or null.
     */
    public static void read(Object map, String op, Object key, boolean found, Object[] table) {
        if (!enabled) {
            return;
        }
        int h = System.identityHashCode(map);
        Object o = MARKS[(h & (STRIPES - 1)) * STRIDE]; // plain: a stale value only makes the check miss
        if (o != null && ((ThreadState) o).writing == map) {
            seenInside(map, Race.CONCURRENT_READ, op, key, table, (ThreadState) o);
        }
        if (sharing) {
            try {
                Sharing.read(map, h, op, key, found, table, false);
            } catch (Throwable e) {
                // never into the application
            }
        }
    }

    /**
     * An iteration of {@code map} starts: an iterator or spliterator of the map or of one of its views is made,
     * a forEach begins (toString, hashCode, equals, putAll and copy constructors iterate a source map). Tier 1
     * as for a read, tier 2 checks the last write, and a suspected map counts an iteration.
     */
    public static void iterationStarts(Object map, String op, Object[] table) {
        if (!enabled) {
            return;
        }
        int h = System.identityHashCode(map);
        Object o = MARKS[(h & (STRIPES - 1)) * STRIDE];
        if (o != null && ((ThreadState) o).writing == map) {
            seenInside(map, Race.CONCURRENT_ITERATION, op, null, table, (ThreadState) o);
        }
        if (sharing) {
            try {
                Sharing.read(map, h, op, null, true, table, true);
            } catch (Throwable e) {
                // never into the application
            }
        }
    }

    /**
     * An iteration step (next, tryAdvance) or the end of a forEach: tier 1 only, an identity hash and two loads.
     * Tier 2 checked the iteration when it started; a write since then that is still running is what this
     * check finds, and a finished one is what the map's own ConcurrentModificationException is for.
     */
    public static void iterationStep(Object map, String op) {
        if (!enabled) {
            return;
        }
        Object o = MARKS[(System.identityHashCode(map) & (STRIPES - 1)) * STRIDE];
        if (o != null && ((ThreadState) o).writing == map) {
            seenInside(map, Race.CONCURRENT_ITERATION, op, null, null, (ThreadState) o);
        }
    }

    /** Tier 1 saw {@code other} inside a write of {@code map} from a read or iteration of the current thread. */
    private static void seenInside(Object map, String kind, String op, Object key, Object[] table, ThreadState other) {
        ThreadState me = ThreadState.current();
        if (other == me || me.busy || me.writing == map) {
            return; // a read inside this thread's own write of the map (TreeMap.remove finds the entry first)
        }
        Race owed = other.seen;
        if (owed != null && owed.map == map && owed.thread == me.thread) {
            return; // this reader's race with that write waits for the writer's stack: the same race again
        }
        overlap(kind, map, op, key, NO_HASH, table, other, me);
    }

    /** Reports the tier-2 races that waited for a repeat that never came (at exit and at detach). */
    public static void flushHeld() {
        try {
            Sharing.flushHeld();
        } catch (Throwable e) {
            // never into the application
        }
    }

    /** Completes the racing threads' stacks that waited longer than {@link #PENDING_NANOS}; the flusher calls it. */
    public static void completeOverdue(long now) {
        for (int i = 0; i < PENDING.length; i++) {
            Race r = (Race) SLOT.getAcquire(PENDING, i);
            if (r == null || now - r.since <= PENDING_NANOS) {
                continue;
            }
            ThreadState other = r.otherState; // null once the other thread completed it (then it leaves the slot)
            if (other != null && other.withdraw(r)) {
                SLOT.compareAndSet(PENDING, i, r, null);
                r.complete(r.other.getStackTrace(), Race.AT_STILL_INSIDE);
                report(r);
            }
        }
    }

    /** A release of a synchronizer (unlock, countDown, queue offer, future completion). */
    public static void released(Object sync, boolean shared) {
        if (!sharing) {
            return;
        }
        if (shared && isReadWriteLock(sync)) {
            Clocks.releaseRead(sync);
        } else {
            Clocks.release(sync);
        }
    }

    /** A successful acquire of a synchronizer (lock, await, queue poll, future get). */
    public static void acquired(Object sync, boolean shared) {
        if (!sharing) {
            return;
        }
        if (!shared && isReadWriteLock(sync)) {
            Clocks.acquireWrite(sync);
        } else {
            Clocks.acquire(sync); // a read lock: the last write unlock (see isReadWriteLock)
        }
    }

    /** Thread.start, on the parent: the child's start site, and in tier 2 the parent's past happens before it. */
    public static void threadStarting(Thread child) {
        if (!enabled) {
            return;
        }
        ThreadState t = ThreadState.current();
        if (t.busy || t.idx == ThreadState.IGNORED) {
            return;
        }
        t.busy = true;
        try {
            Starts.record(child);
        } catch (Throwable e) {
            // never into the application
        } finally {
            t.busy = false;
        }
        if (sharing) {
            Clocks.start(child);
        }
    }

    /**
     * Links what recording a start site uses (StackWalker) before any advice can reach it. Records nothing: the
     * thread that installs the agent (main, for -javaagent) was not started where the agent is installed.
     */
    public static void warmUp() {
        Starts.warmUp();
        // Link every VarHandle call site of the boot classes now, before any advice runs: a call site links on its
        // first execution, which can load classes (VarHandle$AccessDescriptor), and a first execution inside a class
        // load that the agent's hook watches fails with ClassCircularityError, in the application (seen on the
        // corpus with an earlier Young). Each call leaves its slot as it was (null).
        completeOverdue(Long.MIN_VALUE);
        park(null);
        unpark(null);
        ThreadState probe = ThreadState.current();
        probe.offer(null);
        probe.withdraw(null);
    }

    /** Where {@code thread} was started (its Thread.start call site), or null when not recorded. */
    public static StackTraceElement[] startedAt(Thread thread) {
        try {
            return Starts.site(thread);
        } catch (Throwable e) {
            return null;
        }
    }

    public static void threadExiting() {
        if (sharing) {
            Clocks.exit();
        }
    }

    public static void threadEnded(Thread ended) {
        if (sharing) {
            Clocks.ended(ended);
        }
    }

    /*
     * A read lock is not an exclusion: two threads can hold it at once, so what they do under it is not
     * ordered between them. A read unlock is therefore released into the lock's read-unlock clock, which only
     * a write lock acquires (the lock's state is one word, so a writer does see every reader that left
     * before it); a read lock acquires what write unlocks released. CountDownLatch and Semaphore, also shared
     * mode, are plain edges.
     */

    private static boolean isReadWriteLock(Object sync) {
        Class<?> c = sync.getClass();
        return c == RW_NONFAIR || c == RW_FAIR;
    }

    private static Class<?> classOrNull(String name) {
        try {
            return Class.forName(name, false, null);
        } catch (Throwable e) {
            return null;
        }
    }

    /** Tier 1 found {@code other} inside a write of {@code map}. */
    private static void overlap(
            String kind,
            Object map,
            String op,
            Object key,
            int hash,
            Object[] table,
            ThreadState other,
            ThreadState me) {
        if (me.busy) {
            return;
        }
        me.busy = true;
        try {
            int kh = keyHash(map, key, hash);
            Race r = new Race(
                    kind,
                    map,
                    op,
                    kh,
                    bucket(kh, table),
                    me.thread,
                    Thread.currentThread().getStackTrace(),
                    other.thread,
                    null,
                    null,
                    Race.AT_PENDING);
            r.otherState = other;
            r.since = System.nanoTime();
            if (sharing) {
                r.usage = Sharing.usage(map);
            }
            // A read or iteration whose writer cannot hand over its stack at its write is not reported: the
            // writer's stack now says nothing of its write (reads are short and frequent, so the writer has
            // often left, or ended, by the time the reader's own stack is taken); the race shows again.
            boolean write = kind.equals(Race.CONCURRENT);
            if (!other.offer(r)) {
                // the other thread already owes a stack to an earlier race: take its stack as it is now
                if (write) {
                    r.complete(other.thread.getStackTrace(), Race.AT_NOW);
                    report(r);
                }
                return;
            }
            if (!park(r)) {
                if (other.withdraw(r) && write) {
                    r.complete(other.thread.getStackTrace(), Race.AT_NOW);
                    report(r);
                }
                return;
            }
            if (other.writing != map && other.withdraw(r)) {
                // it left the map before it could see the request; its stack there is gone
                unpark(r);
                if (write) {
                    r.complete(other.thread.getStackTrace(), Race.AT_NOW);
                    report(r);
                }
            }
        } catch (Throwable ignored) {
            // never into the application
        } finally {
            me.busy = false;
        }
    }

    /** The current thread, at the end of its write of {@code asked.map}, owes its stack to {@code asked}. */
    private static void answer(ThreadState t, Race asked, String op) {
        if (t.busy || !t.withdraw(asked)) {
            return;
        }
        if (asked.otherOperation == null) {
            asked.otherOperation = op; // a reader's race: the write it met (this thread owns the race now)
        }
        t.busy = true;
        try {
            unpark(asked);
            asked.complete(Thread.currentThread().getStackTrace(), Race.AT_WRITE);
            report(asked);
        } catch (Throwable ignored) {
            // never into the application
        } finally {
            t.busy = false;
        }
    }

    private static boolean park(Race r) {
        for (int i = 0; i < PENDING.length; i++) {
            if (SLOT.compareAndSet(PENDING, i, null, r)) {
                return true;
            }
        }
        return false;
    }

    private static void unpark(Race r) {
        for (int i = 0; i < PENDING.length; i++) {
            if (SLOT.compareAndSet(PENDING, i, r, null)) {
                return;
            }
        }
    }

    /** Hands a race to the sink; the caller has set its busy flag. Returns the sink's key or 0. */
    static long report(Race race) {
        Sink s = sink;
        if (s == null) {
            return 0;
        }
        if (race.otherStack != null
                && race.otherStack.length == 0
                && (race.otherStackAt.equals(Race.AT_NOW) || race.otherStackAt.equals(Race.AT_STILL_INSIDE))) {
            // the other thread ended before its stack could be taken: a finding with one stack would say less
            // than the next sighting of the same race; counted as unexamined, never silent
            synchronized (MapWatch.class) {
                stacklessRaces++;
            }
            return 0;
        }
        try {
            return s.report(race);
        } catch (Throwable e) {
            return 0;
        }
    }

    static void repeat(long key) {
        Sink s = sink;
        if (s != null && key != 0) {
            try {
                s.repeat(key);
            } catch (Throwable ignored) {
                // never into the application
            }
        }
    }

    /** The key hash as the map itself spreads it (HashMap family), from the advice's hash or the key. */
    static int keyHash(Object map, Object key, int hash) {
        if (hash != NO_HASH) {
            return hash;
        }
        if (key == null) {
            return -1;
        }
        try {
            int h = key.hashCode();
            return map instanceof java.util.HashMap || map instanceof java.util.WeakHashMap ? h ^ (h >>> 16) : h;
        } catch (Throwable e) {
            return -1; // a key whose hashCode throws: the map will throw too, not us
        }
    }

    static int bucket(int keyHash, Object[] table) {
        if (table == null || table.length == 0 || keyHash == -1) {
            return -1;
        }
        return (table.length - 1) & keyHash;
    }
}
