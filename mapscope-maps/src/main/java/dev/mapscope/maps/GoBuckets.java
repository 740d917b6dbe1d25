package dev.mapscope.maps;

import java.util.Arrays;

/**
 * One bucket array of a {@link GoMap}: Go's {@code h.buckets} or {@code h.oldbuckets}, flattened into three
 * parallel arrays so that no bucket and no entry is an object of its own.
 */
final class GoBuckets {
    /*
     * Bucket n (0 <= n < capacity) occupies
     *   tophash[n*8 .. n*8+7]   its eight tophash bytes (Go's bmap.tophash),
     *   slots[PAD+n*16 .. PAD+n*16+15]  its eight key/elem pairs, key i at PAD+n*16+2i, elem i right after
     *                             (GoMap.keyAt; with compressed oops a bucket's pairs are 64 bytes, one
     *                             cache line when aligned: see SLOTS_PAD),
     *   overflow[n]             the index of its overflow bucket, 0 for none (Go's trailing overflow pointer).
     * Buckets 0 .. 2^B-1 are the main buckets. Buckets 2^B .. capacity-1 are the spare region Go preallocates
     * in makeBucketArray (2^(B-4) of them when B >= 4); nextOverflow is the first unused one. Index 0 can
     * stand for "no overflow bucket" because bucket 0 is always a main bucket.
     *
     * When the spare region runs out, newoverflow replaces the three arrays by longer copies. Indices never
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

    /** log2 of the number of main buckets. */
    final int B;
    /** 2^B - 1. */
    final int mask;

    byte[] tophash;
    Object[] slots;
    int[] overflow;
    /** First unused bucket of the spare region; equal to capacity() when there is none left. */
    int nextOverflow;

    GoBuckets(int b) {
        this(b, false);
    }

    /**
     * A bucket array of 2^b buckets plus the spare region. {@code forGrowth}: the array that a doubling moves
     * the entries into, which then fills from 3.25 to 6.5 entries per bucket; at that load about a fifth of the
     * buckets overflow (Poisson: P(X > 8) = 0.21 at a mean of 6.5), so its spare region is a quarter of the
     * buckets at once. Go's 2^(b-4) would run out twice while the array fills, and each time growSpare copies
     * the whole array, where Go allocates single overflow buckets. See GOMAP.md for the measured difference.
     */
    GoBuckets(int b, boolean forGrowth) {
        this.B = b;
        this.mask = (1 << b) - 1;
        int base = 1 << b;
        int nbuckets = base;
        if (forGrowth && b >= 2) {
            nbuckets += 1 << (b - 2);
        } else if (b >= 4) {
            // Go: "Add on the estimated number of overflow buckets required to insert the median number of
            // elements used with this value of b."
            nbuckets += 1 << (b - 4);
        }
        this.tophash = new byte[nbuckets * GoMap.bucketCnt];
        this.slots = new Object[SLOTS_PAD + nbuckets * 2 * GoMap.bucketCnt];
        this.overflow = new int[nbuckets];
        this.nextOverflow = base;
    }

    int capacity() {
        return overflow.length;
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
        slots = Arrays.copyOf(slots, SLOTS_PAD + n * 2 * GoMap.bucketCnt);
        overflow = Arrays.copyOf(overflow, n);
    }

    /** Empties every bucket and returns the spare region to unused, as Go's makeBucketArray does with dirtyalloc. */
    void reset() {
        Arrays.fill(tophash, (byte) GoMap.emptyRest);
        Arrays.fill(slots, null);
        Arrays.fill(overflow, 0);
        nextOverflow = 1 << B;
    }
}
