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
     *   hashBits[n*8 .. n*8+7]  the next bits of each live slot's hash (not in Go's bucket: see hashBits),
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
     * For each live slot, the bits of its key's hash just above the bucket index, so that evacuate decides X or Y
     * without reading the key object (Go's bucket has no such field: its evacuate calls the hasher on every key).
     * A byte holds a marker bit and below it n of those bits, n from 7 down to 0: bits B to B+n-1 of the hash for
     * a table of 2^B buckets ({@link #hashBitsOf}). A doubling consumes the lowest (bit B is the X/Y decision)
     * and shifts the byte right by one, marker included; a key that has run out of bits (the byte is 1, after
     * seven doublings since it was hashed) is hashed again. One byte a slot, where the low 32 bits of the hash
     * took four: an insertion stores into an array a quarter of the size (more often in the CPU caches), and a
     * doubling has a quarter of the bytes to clear. Stale in empty slots.
     */
    byte[] hashBits;

    GoBuckets(int b) {
        this(b, false);
    }

    /** A bucket array of 2^b buckets plus the spare region ({@link GoTable#bucketsFor}). */
    GoBuckets(int b, boolean forGrowth) {
        super(b, bucketsFor(b, forGrowth));
        this.mask = (1 << b) - 1;
        int nbuckets = capacity();
        this.tophash = new byte[nbuckets * GoMap.bucketCnt];
        this.hashBits = new byte[nbuckets * GoMap.bucketCnt];
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
        hashBits = Arrays.copyOf(hashBits, n * GoMap.bucketCnt);
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

    /** The hashBits byte of a key with {@code hash} in a table of 2^b buckets: seven bits above the index. */
    static byte hashBitsOf(long hash, int b) {
        return (byte) (0x80 | ((int) (hash >>> b) & 0x7F));
    }

    @Override
    boolean storedHashAgrees(int b, int i, long hash) {
        int e = hashBits[(b << GoMap.bucketCntBits) + i] & 0xFF;
        if (e == 0) {
            return false; // a live slot always has its marker bit
        }
        int low = (1 << (31 - Integer.numberOfLeadingZeros(e))) - 1;
        return (e & low) == ((int) (hash >>> B) & low);
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
