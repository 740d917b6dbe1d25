package dev.mapscope.agent.boot.profile;

import dev.mapscope.agent.boot.race.ThreadState;

/**
 * What the map profile's inlined advice calls (HashMap, ConcurrentHashMap, GoMap). Installed only
 * while a profile runs; every method returns at once when none does. Nothing here throws into the map.
 */
public final class ProfileGate {
    /*
     * Three costs, paid by ever fewer operations:
     *
     * 1. Every operation (fast path): one volatile read of `active`, then the thread's stripe of THREADS,
     *    indexed by thread id: a count of operations and a countdown to the next sample. Plain loads and
     *    stores, no allocation, no lock, no ThreadLocal. Two threads whose ids share a stripe (ids 1024
     *    apart) race on it: a lost count or a sample taken early, never an error. The countdown is reset
     *    to a random value in [1, 2N-1] (mean N), so a program that alternates operations in a fixed
     *    pattern is not sampled on one kind only.
     *
     * 2. Every write also looks up the map's identity hash in WRITERS, which remembers the last writer
     *    thread of each map (one map per stripe; a new map takes the stripe over). A write by the stripe's
     *    own thread to an unshared map costs an identity hash and three compares, like the race agent's
     *    tier 1. A write by another thread marks the map shared, and from then on every write of it takes
     *    the warm path: the bucket, System.nanoTime(), the BUCKETS stripe of (map, bucket) with its last
     *    writer and time (a different thread within the window is a same-bucket write), and one call into
     *    the sink. Only maps that several threads write pay this. The stripes hold identity hashes, never
     *    maps: the profile retains no map. Two maps with equal identity hashes are confused (about 2^-31 per
     *    pair); a stripe taken over by another map forgets the first one's writer (a missed sharing).
     *
     * 3. The sampled operation (one in N per thread): the bucket, and a call into the sink, which walks
     *    the stack and counts. The warm and sampled paths set the thread's busy flag, so the sink's own
     *    map operations are not profiled, and return at once when it is set already.
     *
     * All tables are plain arrays written racily; they are published to the advice by the volatile write
     * of `active` in start() and read after its volatile read.
     */
    public static final int HASH_MAP = 0;
    public static final int CONCURRENT = 1;
    public static final int GO_MAP = 2;

    public static final int GET = 0;
    public static final int PUT = 1;
    public static final int REMOVE = 2;
    public static final int CLEAR = 3;
    /** index = op; the names ID.json uses */
    public static final String[] OPS = {"get", "put", "remove", "clear"};

    public static final int HASH_MAP_RESIZE = 0;
    public static final int CHM_TRANSFER = 1;
    public static final int GO_GROW = 2;
    public static final int GO_EVACUATE = 3;
    public static final int GO_GROW_DONE = 4;
    /** index = kind; the names ID.json uses */
    public static final String[] KINDS = {
        "HashMap.resize", "ConcurrentHashMap.transfer", "GoMap.grow", "GoMap.evacuate", "GoMap.growDone"
    };

    /** passed as {@code hash} when the advice has none; the bucket is then computed from the key */
    public static final long NO_HASH = Long.MIN_VALUE;

    static final int THREAD_STRIPES = 1024;
    /** longs per thread stripe: 8 x 8 bytes = one 64-byte line, so threads do not false-share */
    static final int THREAD_STRIDE = 8;

    static final int WRITER_STRIPES = 1 << 13;
    static final int BUCKET_BITS = 13;

    /** written last by start(), first by stop(); the only volatile access of the fast path */
    private static volatile boolean active;

    private static ProfileSink sink;
    private static int sample;
    private static long windowNanos;
    /** per stripe: [0] countdown to the next sample, [1] operations, [2] random state */
    private static long[] threads;

    private static int[] writerHash;
    private static Thread[] writerThread;
    private static boolean[] writerShared;
    private static int[] bucketMap;
    private static int[] bucketIndex;
    private static Thread[] bucketThread;
    private static long[] bucketNanos;

    private ProfileGate() {}

    /** Starts profiling: one operation in {@code sampleEvery} per thread is sampled. Call with no profile running. */
    public static synchronized void start(ProfileSink to, int sampleEvery, long windowNanosecs) {
        active = false;
        if (threads == null) {
            threads = new long[THREAD_STRIPES * THREAD_STRIDE];
            writerHash = new int[WRITER_STRIPES];
            writerThread = new Thread[WRITER_STRIPES];
            writerShared = new boolean[WRITER_STRIPES];
            bucketMap = new int[1 << BUCKET_BITS];
            bucketIndex = new int[1 << BUCKET_BITS];
            bucketThread = new Thread[1 << BUCKET_BITS];
            bucketNanos = new long[1 << BUCKET_BITS];
        }
        clear();
        sample = Math.max(1, sampleEvery);
        windowNanos = windowNanosecs;
        long seed = System.nanoTime() | 1;
        for (int i = 0; i < THREAD_STRIPES; i++) {
            int s = i * THREAD_STRIDE;
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            threads[s + 2] = seed | 1;
            threads[s] = next(threads, s);
        }
        sink = to;
        active = true; // publishes everything above to the advice
    }

    /** Stops profiling; advice still running returns at once. Forgets the threads the tables held. */
    public static synchronized void stop() {
        active = false;
        sink = null;
        if (threads != null) {
            java.util.Arrays.fill(writerThread, null);
            java.util.Arrays.fill(bucketThread, null);
        }
    }

    private static void clear() {
        java.util.Arrays.fill(threads, 0);
        java.util.Arrays.fill(writerHash, 0);
        java.util.Arrays.fill(writerThread, null);
        java.util.Arrays.fill(writerShared, false);
        java.util.Arrays.fill(bucketMap, 0);
        java.util.Arrays.fill(bucketIndex, 0);
        java.util.Arrays.fill(bucketThread, null);
        java.util.Arrays.fill(bucketNanos, 0);
    }

    /**
     * Sets the current thread's busy flag (the agent's own work: neither watched nor profiled) and returns
     * its previous value.
     */
    public static boolean busy(boolean busy) {
        ThreadState t = ThreadState.current();
        boolean was = t.busy;
        t.busy = busy;
        return was;
    }

    public static boolean active() {
        return active;
    }

    /** Operations seen since start (all profiled maps, every thread; a few may be lost to stripe races). */
    public static synchronized long operations() {
        long n = 0;
        if (threads != null) {
            for (int i = 0; i < THREAD_STRIPES; i++) {
                n += threads[i * THREAD_STRIDE + 1];
            }
        }
        return n;
    }

    /** A lookup ({@code get}, {@code containsKey}...). {@code seed}: GoMap's hash0, else 0. */
    public static void read(Object map, int family, Object key, long seed, int capacity) {
        if (!active) {
            return;
        }
        if (tick(Thread.currentThread())) {
            sampled(map, family, GET, key, NO_HASH, seed, capacity);
        }
    }

    /** A mutation: put, remove, clear. {@code hash}: as the map computed it, or {@link #NO_HASH}. */
    public static void write(Object map, int family, int op, Object key, long hash, long seed, int capacity) {
        if (!active) {
            return;
        }
        Thread me = Thread.currentThread();
        int h = System.identityHashCode(map);
        int w = h & (WRITER_STRIPES - 1);
        // plain reads: a stale value sends this write to the warm path or, once, past it
        if (writerHash[w] != h || writerThread[w] != me || writerShared[w]) {
            shared(map, family, op, key, hash, seed, capacity, me, h, w);
        }
        if (tick(me)) {
            sampled(map, family, op, key, hash, seed, capacity);
        }
    }

    /** Returns the start time of a resize step to pass to {@link #resized}, 0 when not profiling. */
    public static long begin() {
        return active ? System.nanoTime() | 1 : 0L; // | 1: never 0 when profiling
    }

    /** A resize step that {@link #begin} returned {@code start} for has ended. */
    public static void resized(Object map, int kind, int oldCapacity, int newCapacity, long start) {
        if (start == 0 || !active) {
            return;
        }
        long duration = System.nanoTime() - start;
        ThreadState t = ThreadState.current();
        if (t.busy) {
            return;
        }
        t.busy = true;
        long[] ts = threads;
        int i = stripe(Thread.currentThread());
        long countdown = ts[i];
        long ops = ts[i + 1];
        try {
            ProfileSink s = sink;
            if (s != null) {
                s.resize(map, kind, oldCapacity, newCapacity, start, duration);
            }
        } catch (Throwable e) {
            // never into the application
        } finally {
            ts[i] = countdown; // as in sampled()
            ts[i + 1] = ops;
            t.busy = false;
        }
    }

    /** Counts an operation of the current thread; true when it is to be sampled. */
    private static boolean tick(Thread me) {
        long[] s = threads;
        int i = stripe(me);
        s[i + 1]++;
        long c = s[i] - 1;
        if (c > 0) {
            s[i] = c;
            return false;
        }
        s[i] = next(s, i);
        return true;
    }

    /** A countdown uniform in [1, 2N-1] from the stripe's xorshift state. */
    private static long next(long[] s, int i) {
        long r = s[i + 2];
        r ^= r << 13;
        r ^= r >>> 7;
        r ^= r << 17;
        s[i + 2] = r;
        int n = sample;
        return n <= 1 ? 1 : 1 + (r >>> 1) % (2L * n - 1);
    }

    private static void sampled(Object map, int family, int op, Object key, long hash, long seed, int capacity) {
        ThreadState t = ThreadState.current();
        if (t.busy) {
            return;
        }
        t.busy = true;
        long[] s = threads;
        int i = stripe(Thread.currentThread());
        long countdown = s[i];
        long ops = s[i + 1];
        try {
            ProfileSink to = sink;
            if (to != null) {
                to.sample(map, family, op, bucket(family, key, hash, seed, capacity, op), capacity);
            }
        } catch (Throwable e) {
            // never into the application
        } finally {
            // the sink's own map operations (it keeps tables) neither count nor bring the next sample nearer
            s[i] = countdown;
            s[i + 1] = ops;
            t.busy = false;
        }
    }

    private static int stripe(Thread me) {
        @SuppressWarnings("deprecation") // threadId() is JDK 19+; getId() is the same value on 17.
        long id = me.getId();
        return ((int) id & (THREAD_STRIPES - 1)) * THREAD_STRIDE;
    }

    /** The warm path: the stripe names another map or thread, or the map is shared. */
    private static void shared(
            Object map, int family, int op, Object key, long hash, long seed, int capacity, Thread me, int h, int w) {
        if (writerHash[w] != h) {
            writerHash[w] = h; // plain stores: two threads taking the stripe at once leave one of them
            writerThread[w] = me;
            writerShared[w] = false;
            return;
        }
        Thread previous = writerThread[w];
        if (previous == null) {
            writerThread[w] = me;
            return;
        }
        if (previous != me) {
            writerThread[w] = me;
            writerShared[w] = true;
        } else {
            previous = null;
        }
        ThreadState t = ThreadState.current();
        if (t.busy) {
            return;
        }
        t.busy = true;
        long[] ts = threads;
        int i = stripe(me);
        long countdown = ts[i];
        long ops = ts[i + 1];
        try {
            int bucket = bucket(family, key, hash, seed, capacity, op);
            long now = System.nanoTime();
            int b = (h * 0x9E3779B9 + bucket * 0x85EBCA6B) >>> (32 - BUCKET_BITS);
            Thread other = null;
            long gap = 0;
            Thread last = bucketThread[b];
            if (last != null && last != me && bucket >= 0 && bucketMap[b] == h && bucketIndex[b] == bucket) {
                gap = now - bucketNanos[b];
                if (gap <= windowNanos) {
                    other = last;
                }
            }
            bucketMap[b] = h;
            bucketIndex[b] = bucket;
            bucketNanos[b] = now;
            bucketThread[b] = me;
            ProfileSink s = sink;
            if (s != null) {
                s.sharedWrite(map, family, op, bucket, capacity, previous, other, gap);
            }
        } catch (Throwable e) {
            // never into the application
        } finally {
            ts[i] = countdown; // as in sampled()
            ts[i + 1] = ops;
            t.busy = false;
        }
    }

    /** The bucket the operation used, as the map computes it; -1 when unknown. */
    static int bucket(int family, Object key, long hash, long seed, int capacity, int op) {
        if (capacity <= 0 || op == CLEAR) {
            return -1;
        }
        long hv = hash;
        if (hv == NO_HASH) {
            int k = key == null ? 0 : key.hashCode(); // may throw: the caller suppresses it
            if (family == GO_MAP) {
                hv = goHash(k, seed);
            } else {
                hv = k ^ (k >>> 16); // HashMap.hash and ConcurrentHashMap.spread (its top bit does not index)
            }
        }
        return (int) hv & (capacity - 1);
    }

    /** GoMap.hash (dev.mapscope.maps): keep in step with it; ProfileIT's GoMap hot bucket checks it. */
    static long goHash(int keyHash, long seed) {
        long x = (keyHash ^ seed) * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 32);
    }
}
