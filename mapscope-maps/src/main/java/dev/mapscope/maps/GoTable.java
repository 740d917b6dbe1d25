package dev.mapscope.maps;

/**
 * What {@link GoBuckets} (boxed keys) and {@link GoLongBuckets} (inline {@code long} keys) have in common: Go's
 * bucket array seen slot by slot, for the code that walks either kind the same way (the iterator, the invariant
 * checks, snapshots). The maps' own lookups and writes use the concrete arrays directly.
 */
abstract class GoTable {
    /*
     * Buckets 0 .. 2^B-1 are the main buckets, the rest the spare region Go preallocates in makeBucketArray;
     * nextOverflow is the first unused one. overflow[n] is bucket n's overflow bucket, 0 for none (bucket 0 is
     * always a main bucket, so 0 can stand for Go's nil). Only the map's writer mutates a table (the hashWriting
     * protocol); readers use plain loads.
     */

    /** log2 of the number of main buckets. */
    final int B;

    int[] overflow;
    /** First unused bucket of the spare region; equal to capacity() when there is none left. */
    int nextOverflow;

    GoTable(int b, int nbuckets) {
        this.B = b;
        this.overflow = new int[nbuckets];
        this.nextOverflow = 1 << b;
    }

    /**
     * Buckets a new array holds: 2^b, plus the spare region. {@code forGrowth}: the array that a doubling moves
     * the entries into, which then fills from 3.25 to 6.5 entries per bucket; at that load about a fifth of the
     * buckets overflow (Poisson: P(X > 8) = 0.21 at a mean of 6.5), so its spare region is a quarter of the
     * buckets at once. Go's 2^(b-4) would run out twice while the array fills, and each time growSpare copies
     * the whole array, where Go allocates single overflow buckets. See GOMAP.md for the measured difference.
     */
    static int bucketsFor(int b, boolean forGrowth) {
        int n = 1 << b;
        if (forGrowth && b >= 2) {
            n += 1 << (b - 2);
        } else if (b >= 4) {
            // Go: "Add on the estimated number of overflow buckets required to insert the median number of
            // elements used with this value of b."
            n += 1 << (b - 4);
        }
        return n;
    }

    /** Main and spare buckets. */
    final int capacity() {
        return overflow.length;
    }

    /** Tophash byte of slot i of bucket b, 0..255. */
    abstract int top(int b, int i);

    /** Whether bucket b has been evacuated: its first tophash is an evacuated* state. */
    final boolean evacuated(int b) {
        int h = top(b, 0);
        return h > GoMap.emptyOne && h < GoMap.minTopHash;
    }

    /** The hash, under {@code seed}, of the key in slot i of bucket b. */
    abstract long hashAt(int b, int i, long seed);

    /** Whether what the layout stores of the hash of slot i of bucket b agrees with {@code hash}; for the checks. */
    boolean storedHashAgrees(int b, int i, long hash) {
        return true;
    }

    /** The key in slot i of bucket b, boxed: for messages and checks, never on a hot path. */
    abstract Object boxedKey(int b, int i);

    /** The elem in slot i of bucket b. */
    abstract Object elem(int b, int i);

    /** Whether slot i of bucket b references nothing the collector could keep alive (key and elem cleared). */
    abstract boolean cleared(int b, int i);

    /** Copies the tophash bytes of bucket b to {@code to} at {@code at}. */
    void copyTophash(int b, byte[] to, int at) {
        for (int i = 0; i < GoMap.bucketCnt; i++) {
            to[at + i] = (byte) top(b, i);
        }
    }
}
