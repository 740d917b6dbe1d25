package dev.mapscope.maps;

import java.util.Arrays;

/**
 * One bucket array of a {@link GoLongMap}: Go's {@code h.buckets} for a {@code map[int64]V}, with the keys inline
 * as Go stores them, flattened into four arrays so that no bucket and no entry is an object of its own.
 */
final class GoLongBuckets extends GoTable {
    /*
     * Bucket n (0 <= n < capacity) occupies
     *   tophash[n]             its eight tophash bytes as one little-endian word, byte i for slot i,
     *   keys[PAD+n*8 .. +7]    its eight keys, inline (Go's bmap: tophash [8]uint8, then keys [8]int64),
     *   elems[PAD+n*8 .. +7]   its eight elems (Go's elems follow the keys in the same bucket),
     *   overflow[n]            the index of its overflow bucket, 0 for none (Go's trailing overflow pointer).
     * Go keeps a bucket's tophash bytes, keys and elems in one block of memory. Here the tophash words are an
     * array of their own, 8 bytes per bucket, nine times denser than tophash and keys together: for a map of
     * 1M entries it is about 2 MB and mostly stays in the CPU caches, so an insertion of a new key finds its
     * slot without waiting for memory and only stores into the key and elem lines; a lookup reads the tophash
     * word, then the key and elem of a matching slot (two misses that overlap), and a miss usually needs no
     * line but the tophash word's. Buckets 0 .. 2^B-1 are the main buckets, the rest the spare region Go preallocates in
     * makeBucketArray (2^(B-4) of them when B >= 4); nextOverflow is the first unused one. Index 0 stands for
     * "no overflow bucket": bucket 0 is a main bucket.
     *
     * Only the map's writer mutates this object (the hashWriting protocol); readers use plain loads.
     */

    /**
     * Longs left unused at the start of keys, so that with a 16-byte array header a bucket's eight keys (64 bytes)
     * start on a 64-byte boundary of the array: 16 + 6*8 = 64. It aligns them to cache lines wherever the
     * collector aligns the array (G1 humongous objects start at a region boundary).
     */
    static final int KEYS_PAD = 6;

    /**
     * References left unused at the start of elems, so that with compressed references (4 bytes each) and a
     * 16-byte array header a bucket's eight elems (32 bytes) start on a 32-byte boundary and never straddle two
     * cache lines: 16 + 4*4 = 32. Unaligned, every other bucket's elems would span two lines.
     */
    static final int ELEMS_PAD = 4;

    long[] tophash;
    long[] keys;
    Object[] elems;

    GoLongBuckets(int b) {
        this(b, false);
    }

    /** A bucket array of 2^b buckets plus the spare region ({@link GoTable#bucketsFor}). */
    GoLongBuckets(int b, boolean forGrowth) {
        super(b, bucketsFor(b, forGrowth));
        int nbuckets = capacity();
        this.tophash = new long[nbuckets];
        this.keys = new long[KEYS_PAD + nbuckets * GoMap.bucketCnt];
        this.elems = new Object[ELEMS_PAD + nbuckets * GoMap.bucketCnt];
    }

    @Override
    int top(int b, int i) {
        return (int) (tophash[b] >>> (i << 3)) & 0xFF;
    }

    /** Sets the tophash byte of slot i of bucket b. */
    void setTop(int b, int i, int top) {
        int shift = i << 3;
        tophash[b] = (tophash[b] & ~(0xFFL << shift)) | ((top & 0xFFL) << shift);
    }

    /** Index in keys of the key of slot i of bucket b. */
    static int keyAt(int b, int i) {
        return KEYS_PAD + (b << GoMap.bucketCntBits) + i;
    }

    /** Index in elems of the elem of slot i of bucket b. */
    static int elemAt(int b, int i) {
        return ELEMS_PAD + (b << GoMap.bucketCntBits) + i;
    }

    @Override
    long hashAt(int b, int i, long seed) {
        return GoLongMap.hash(keys[keyAt(b, i)], seed);
    }

    @Override
    Object boxedKey(int b, int i) {
        return keys[keyAt(b, i)];
    }

    @Override
    Object elem(int b, int i) {
        return elems[elemAt(b, i)];
    }

    /** The key stays (a long keeps nothing alive); only the elem must be cleared. */
    @Override
    boolean cleared(int b, int i) {
        return elems[elemAt(b, i)] == null;
    }

    /** Makes the spare region longer: doubles it, or adds 4 buckets when it was empty. Indices are kept. */
    void growSpare() {
        int base = 1 << B;
        long cap = capacity();
        long spare = cap - base;
        long newCap = cap + Math.max(4, spare);
        long maxBuckets = (Integer.MAX_VALUE - 16) / GoMap.bucketCnt;
        if (newCap > maxBuckets) {
            newCap = maxBuckets;
            if (newCap <= cap) {
                throw new OutOfMemoryError(
                        "GoLongMap cannot allocate more overflow buckets: " + cap + " buckets in use");
            }
        }
        int n = (int) newCap;
        tophash = Arrays.copyOf(tophash, n);
        keys = Arrays.copyOf(keys, KEYS_PAD + n * GoMap.bucketCnt);
        elems = Arrays.copyOf(elems, ELEMS_PAD + n * GoMap.bucketCnt);
        overflow = Arrays.copyOf(overflow, n);
    }

    /** Every tophash byte set to emptyRest; keys and elems stay (mapclear's marking, Go issue 59411). */
    void markEmpty() {
        Arrays.fill(tophash, 0L); // eight times emptyRest per word
    }

    /** Empties every bucket and returns the spare region to unused, as Go's makeBucketArray does with dirtyalloc. */
    void reset() {
        Arrays.fill(tophash, 0L);
        Arrays.fill(keys, 0L);
        Arrays.fill(elems, null);
        Arrays.fill(overflow, 0);
        nextOverflow = 1 << B;
    }
}
