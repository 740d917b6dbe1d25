package dev.mapscope.maps;

import java.util.Arrays;

/**
 * One bucket array of a {@link GoMap}: Go's {@code h.buckets} or {@code h.oldbuckets}, flattened into four
 * parallel arrays so that no bucket and no entry is an object of its own.
 */
final class GoBuckets extends GoTable {
    /*
     * Bucket n (0 <= n < capacity) occupies
     *   tophash[n*8 .. n*8+7]   its eight tophash bytes (Go's bmap.tophash),
     *   slots[PAD+n*16 .. PAD+n*16+15]  its eight key/elem pairs, key i at PAD+n*16+2i, elem i right after
     *                             (GoMap.keyAt; with compressed oops a bucket's pairs are 64 bytes, one
     *                             cache line when aligned: see SLOTS_PAD),
     *   hashes[n*8 .. n*8+7]    the low 32 bits of each live slot's hash (not in Go's bucket: see hashes),
     *   overflow[n]             the index of its overflow bucket, 0 for none (Go's trailing overflow pointer).
     * Buckets 0 .. 2^B-1 are the main buckets. Buckets 2^B .. capacity-1 are the spare region Go preallocates
     * in makeBucketArray (2^(B-4) of them when B >= 4); nextOverflow is the first unused one. Index 0 can
     * stand for "no overflow bucket" because bucket 0 is always a main bucket.
     *
     * When the spare region runs out, newoverflow replaces the arrays by longer copies. Indices never
     * change, and iterators hold this object rather than the arrays, so they always see the current arrays
     * (Go's iterator holds the bucket array pointer and follows overflow pointers; same effect).
     *
     * Only the map's writer mutates this object (the hashWriting protocol); readers use plain loads.
     */

    /**
     * References left unused at the start of slots, so that with compressed references (4 bytes each) and a
     * 16-byte array header every bucket's 16 references start on a 64-byte boundary: 16 + 12*4 = 64. Large
     * arrays (G1 humongous objects) start at a region boundary, so for the big maps where cache misses dominate,
     * a bucket's keys and elems are exactly one cache line; unaligned, the last two pairs of every bucket would
     * sit on the next line. On a small array the padding costs 48 bytes and changes nothing else.
     */
    static final int SLOTS_PAD = 12;

    /** 2^B - 1. */
    final int mask;

    byte[] tophash;
    Object[] slots;
    /**
     * The low 32 bits of the hash of each live slot's key, indexed like tophash; stale in empty slots. The bucket
     * index and every evacuation decision take only these bits (B is at most 26), so evacuate moves a key without
     * reading the key object. Go's bucket has no such field: its evacuate calls the hasher on each key.
     */
    int[] hashes;

    GoBuckets(int b) {
        this(b, false);
    }

    /** A bucket array of 2^b buckets plus the spare region ({@link GoTable#bucketsFor}). */
    GoBuckets(int b, boolean forGrowth) {
        super(b, bucketsFor(b, forGrowth));
        this.mask = (1 << b) - 1;
        int nbuckets = capacity();
        this.tophash = new byte[nbuckets * GoMap.bucketCnt];
        this.hashes = new int[nbuckets * GoMap.bucketCnt];
        this.slots = new Object[SLOTS_PAD + nbuckets * 2 * GoMap.bucketCnt];
    }

    /** Makes the spare region longer: doubles it, or adds 4 buckets when it was empty. Indices are kept. */
    void growSpare() {
        int base = 1 << B;
        long cap = capacity();
        long spare = cap - base;
        long newCap = cap + Math.max(4, spare);
        long maxBuckets = (Integer.MAX_VALUE - 16) / (2 * GoMap.bucketCnt);
        if (newCap > maxBuckets) {
            newCap = maxBuckets;
            if (newCap <= cap) {
                throw new OutOfMemoryError("GoMap cannot allocate more overflow buckets: " + cap + " buckets in use");
            }
        }
        int n = (int) newCap;
        tophash = Arrays.copyOf(tophash, n * GoMap.bucketCnt);
        hashes = Arrays.copyOf(hashes, n * GoMap.bucketCnt);
        slots = Arrays.copyOf(slots, SLOTS_PAD + n * 2 * GoMap.bucketCnt);
        overflow = Arrays.copyOf(overflow, n);
    }

    @Override
    int top(int b, int i) {
        return tophash[(b << GoMap.bucketCntBits) + i] & 0xFF;
    }

    @Override
    long hashAt(int b, int i, long seed) {
        return GoMap.hash(slots[GoMap.keyAt(b, i)], seed);
    }

    @Override
    boolean storedHashAgrees(int b, int i, long hash) {
        return hashes[(b << GoMap.bucketCntBits) + i] == (int) hash;
    }

    @Override
    Object boxedKey(int b, int i) {
        return slots[GoMap.keyAt(b, i)];
    }

    @Override
    Object elem(int b, int i) {
        return slots[GoMap.keyAt(b, i) + 1];
    }

    @Override
    boolean cleared(int b, int i) {
        int s = GoMap.keyAt(b, i);
        return slots[s] == null && slots[s + 1] == null;
    }

    @Override
    void copyTophash(int b, byte[] to, int at) {
        System.arraycopy(tophash, b << GoMap.bucketCntBits, to, at, GoMap.bucketCnt);
    }

    /** Empties every bucket and returns the spare region to unused, as Go's makeBucketArray does with dirtyalloc. */
    void reset() {
        Arrays.fill(tophash, (byte) GoMap.emptyRest);
        Arrays.fill(slots, null);
        Arrays.fill(overflow, 0);
        nextOverflow = 1 << B;
    }
}
