package dev.mapscope.agent.boot.race;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the race detector's inlined advice calls. Every method here may run inside any JDK map or lock
 * operation of the application: none throws, none blocks on the fast path, none allocates on it.
 */
public final class MapWatch {
    /*
     * Tier 1, the overlap check, is Go's hashWriting flag moved beside the map. Java's maps have no spare
     * field and a retransformed class cannot gain one, so the "writing" mark lives in a striped table indexed
     * by the map's identity hash. A stripe is a pair (map, thread), padded to its own 64-byte cache line so
     * that threads writing different maps do not false-share:
     *
     *   enter: if the stripe is empty, store (map, me) and return a token naming the stripe.
     *          if it holds (this map, another thread), that thread is inside a write of this map: report.
     *          if it holds (this map, me), this is a nested call (putAll -> putVal -> resize): not the owner.
     *          if it holds another map, the stripe is busy: this write goes unchecked (best effort, like Go).
     *   exit:  if the stripe still holds (map, me), clear it. If it holds (map, another thread), both threads
     *          entered at the same instant and the other overwrote us: report (Go's re-check before clear).
     *
     * No CAS: two threads that both see an empty stripe both store, and the later one is found at exit. A CAS on
     * entry measured +11 ns per put (JDK 17, 2 cores); plain stores and a release store on exit
     * are what Go does with its flag. Detection is best effort for the same reason Go's is.
     *
     * Tier 2 (Sharing) runs before the tier-1 mark on every write when enabled.
     */
    static final int STRIPES = 4096;
    /** references per stripe: 16 x 4 bytes = one 64-byte line with compressed oops (two lines without) */
    static final int STRIDE = 16;

    private static final Object[] MARKS = new Object[STRIPES * STRIDE];
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    /** passed as {@code hash} by advice that has no precomputed hash */
    public static final int NO_HASH = Integer.MIN_VALUE;

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

    /** Threads created after {@link ThreadState#MAX_THREADS} that tier 2 does not follow. */
    public static int untrackedThreads() {
        return ThreadState.untracked();
    }

    /**
     * A mutating operation begins. Returns the token to pass to {@link #exit}: 0 when this call does not own
     * the stripe, else the stripe's index + 1.
     */
    public static int enter(Object map, String op, Object key, int hash, Object[] table) {
        if (!enabled) {
            return 0;
        }
        int h = System.identityHashCode(map);
        if (sharing) {
            // Before the mark, so that tier 2's slow path (a lockset query, a stack walk) never widens the
            // window in which another writer would find this one inside the map.
            try {
                Sharing.write(map, h, op, key, hash, table);
            } catch (Throwable e) {
                // never into the application
            }
        }
        int i = (h & (STRIPES - 1)) * STRIDE;
        Thread me = Thread.currentThread();
        int token = 0;
        Object marked = MARKS[i]; // plain read: a stale value only makes the check miss or pick the slow path
        if (marked == null) {
            MARKS[i] = map; // plain stores, ordered before the map's own stores by the fence below
            MARKS[i + 1] = me;
            VarHandle.storeStoreFence(); // the mark is visible no later than the mutation it guards
            token = i + 1;
        } else if (marked == map) {
            Object owner = MARKS[i + 1];
            if (owner != me && owner != null) {
                overlap(map, op, key, hash, table, (Thread) owner);
            }
        }
        return token;
    }

    /** The operation that {@link #enter} returned {@code token} for has ended (normally or by an exception). */
    public static void exit(Object map, String op, int token) {
        if (token == 0) {
            return;
        }
        int i = token - 1;
        Object owner = MARKS[i + 1];
        if (MARKS[i] != map) {
            return; // cleared by a thread that overwrote us; nothing left to check
        }
        if (owner == Thread.currentThread()) {
            MARKS[i + 1] = null; // plain: the release store below orders it
            SLOT.setRelease(MARKS, i, null); // the map's stores happen before the stripe reads as free
        } else if (owner != null && enabled) {
            overlap(map, op, null, NO_HASH, null, (Thread) owner);
        }
    }

    /** A release of a synchronizer (unlock, countDown, queue offer, future completion). */
    public static void released(Object sync, boolean shared) {
        if (!sharing || (shared && isReadWriteLock(sync))) {
            return;
        }
        Clocks.release(sync);
    }

    /** A successful acquire of a synchronizer (lock, await, queue poll, future get). */
    public static void acquired(Object sync, boolean shared) {
        if (!sharing || (shared && isReadWriteLock(sync))) {
            return;
        }
        Clocks.acquire(sync);
    }

    public static void threadStarting(Thread child) {
        if (sharing) {
            Clocks.start(child);
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
     * A read lock's acquire and release are not exclusions: two threads can hold it at once, so writes made
     * under it are not ordered by it. Shared-mode operations of ReentrantReadWriteLock are therefore not
     * edges; CountDownLatch and Semaphore, also shared mode, are.
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
    private static void overlap(Object map, String op, Object key, int hash, Object[] table, Thread other) {
        ThreadState t = ThreadState.current();
        if (t.busy) {
            return;
        }
        t.busy = true;
        try {
            StackTraceElement[] mine = Thread.currentThread().getStackTrace();
            StackTraceElement[] theirs = other.getStackTrace();
            int kh = keyHash(map, key, hash);
            report(new Race(
                    Race.CONCURRENT,
                    map,
                    op,
                    kh,
                    bucket(kh, table),
                    Thread.currentThread(),
                    mine,
                    other,
                    null,
                    theirs,
                    Race.AT_NOW));
        } catch (Throwable ignored) {
            // never into the application
        } finally {
            t.busy = false;
        }
    }

    /** Hands a race to the sink; the caller has set its busy flag. Returns the sink's key or 0. */
    static long report(Race race) {
        Sink s = sink;
        if (s == null) {
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
