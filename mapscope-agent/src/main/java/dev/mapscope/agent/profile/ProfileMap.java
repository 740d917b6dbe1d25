package dev.mapscope.agent.profile;

import dev.mapscope.agent.boot.profile.ProfileGate;
import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** What the profile knows of one map: counts by operation, by bucket, writers, resizes. */
final class ProfileMap {
    /*
     * Counters that every shared write updates are atomics (several threads write a shared map); the
     * rest, touched only by sampled operations and rare events, is guarded by this object's monitor.
     * The map is held weakly: the profile keeps no map alive, and a collected map's slot can be reused.
     */
    static final int MAX_WRITERS = 64;
    static final int MAX_BUCKETS = 1024;

    final int hash;
    final WeakReference<Object> ref;
    final int family;
    final String className;
    final String simpleName;
    final String id;
    /** File.java:line of the first stack that touched the map, or null; set once */
    volatile String site;
    /** buckets of the table at the last sampled operation */
    volatile int capacity;
    /** sampled operations by ProfileGate op */
    final AtomicLongArray ops = new AtomicLongArray(ProfileGate.OPS.length);

    final AtomicLong multiThreadWrites = new AtomicLong();
    final AtomicLong sameBucketWrites = new AtomicLong();
    final AtomicLong resizes = new AtomicLong();
    final AtomicLong resizeNanos = new AtomicLong();

    // guarded by this
    private final long[] writerIds = new long[MAX_WRITERS];
    private int writers;
    private boolean moreWriters;
    /** open addressing: bucket index + 1 (0 = free); per slot ops, writes, same-bucket writes */
    private int[] bucketKeys = new int[64];

    private long[][] bucketCounts = new long[64][];
    private int bucketCount;
    long droppedBuckets;
    // GoMap's grow in progress, guarded by this
    long growStart;
    int growOld;
    int growNew;
    long evacuations;
    long evacuateNanos;
    long firstEvacuate;

    ProfileMap(Object map, int hash, int family) {
        this.hash = hash;
        this.ref = new WeakReference<>(map);
        this.family = family;
        this.className = map.getClass().getName();
        this.simpleName = map.getClass().getSimpleName();
        this.id = className + "@" + Integer.toHexString(hash);
    }

    long weight() {
        long w = resizes.get() + multiThreadWrites.get();
        for (int i = 0; i < ops.length(); i++) {
            w += ops.get(i);
        }
        return w;
    }

    long sampled() {
        long w = 0;
        for (int i = 0; i < ops.length(); i++) {
            w += ops.get(i);
        }
        return w;
    }

    /** {@code HashMap @ Cache.java:42}, or {@code HashMap@1b6d3586} when no stack has named a site. */
    String label() {
        String s = site;
        return s != null ? simpleName + " @ " + s : simpleName + "@" + Integer.toHexString(hash);
    }

    void siteFrom(StackWalker.StackFrame[] stack) {
        if (site == null) {
            String s = ProfileStacks.site(stack, className);
            if (s != null) {
                site = s;
            }
        }
    }

    synchronized void writer(Thread t) {
        @SuppressWarnings("deprecation") // threadId() is JDK 19+
        long tid = t.getId();
        for (int i = 0; i < writers; i++) {
            if (writerIds[i] == tid) {
                return;
            }
        }
        if (writers < MAX_WRITERS) {
            writerIds[writers++] = tid;
        } else {
            moreWriters = true;
        }
    }

    synchronized int writerThreads() {
        return writers;
    }

    synchronized boolean moreWriters() {
        return moreWriters;
    }

    /** Adds to bucket {@code b}'s counts: sampled operations, sampled writes, same-bucket writes. */
    synchronized void bucket(int b, long ops, long writes, long same) {
        if (b < 0) {
            return;
        }
        int mask = bucketKeys.length - 1;
        int i = (b * 0x9E3779B9) >>> 8 & mask;
        while (bucketKeys[i] != 0 && bucketKeys[i] != b + 1) {
            i = (i + 1) & mask;
        }
        if (bucketKeys[i] == 0) {
            if (bucketCount >= MAX_BUCKETS) {
                droppedBuckets++;
                return;
            }
            if ((bucketCount + 1) * 2 > bucketKeys.length) {
                growBuckets();
                bucket(b, ops, writes, same);
                return;
            }
            bucketKeys[i] = b + 1;
            bucketCounts[i] = new long[3];
            bucketCount++;
        }
        long[] c = bucketCounts[i];
        c[0] += ops;
        c[1] += writes;
        c[2] += same;
    }

    private void growBuckets() {
        int[] keys = bucketKeys;
        long[][] counts = bucketCounts;
        bucketKeys = new int[keys.length * 2];
        bucketCounts = new long[keys.length * 2][];
        int mask = bucketKeys.length - 1;
        for (int j = 0; j < keys.length; j++) {
            if (keys[j] != 0) {
                int i = ((keys[j] - 1) * 0x9E3779B9) >>> 8 & mask;
                while (bucketKeys[i] != 0) {
                    i = (i + 1) & mask;
                }
                bucketKeys[i] = keys[j];
                bucketCounts[i] = counts[j];
            }
        }
    }

    /** Every bucket seen: {bucket, ops, writes, same} rows. */
    synchronized long[][] buckets() {
        long[][] r = new long[bucketCount][];
        int n = 0;
        for (int i = 0; i < bucketKeys.length; i++) {
            if (bucketKeys[i] != 0) {
                long[] c = bucketCounts[i];
                r[n++] = new long[] {bucketKeys[i] - 1, c[0], c[1], c[2]};
            }
        }
        return r;
    }

    /** The map's size now, or -1 when it was collected or cannot say. */
    int size() {
        Object m = ref.get();
        if (m instanceof java.util.Map) {
            try {
                return ((java.util.Map<?, ?>) m).size();
            } catch (RuntimeException e) {
                return -1;
            }
        }
        return -1;
    }
}
