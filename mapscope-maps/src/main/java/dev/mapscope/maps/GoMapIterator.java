package dev.mapscope.maps;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Go's {@code hiter} with {@code mapiterinit} and {@code mapiternext}: walks a {@link GoMap} or a {@link GoLongMap}
 * from a random bucket and slot offset, correctly while the map grows under it. Each {@link #advance()} leaves the
 * next entry in {@link #key} (a GoMap's) or {@link #longKey} (a GoLongMap's) and {@link #elem}. Allocates nothing
 * after construction.
 */
final class GoMapIterator {
    /*
     * Go's walk: buckets in order from startBucket, wrapping around once; in each bucket the overflow chain in
     * order; in each bucket the eight slots starting at offset. (table, bptr) is Go's bptr, a bucket pointer:
     * it may point into the iterator's own bucket array or, while the map is growing, into h.oldbuckets.
     * Tables are re-read on every step because an overflow allocation may have replaced their arrays.
     */

    /** Go's noCheck: checkBucket value meaning "no filtering". */
    static final int noCheck = -1;

    final GoHmap h;
    /** The map's bucket array when the iteration started (Go's it.buckets), and its B. */
    final GoTable buckets;

    final int B;
    final int startBucket;
    /** Intra-bucket slot to start from, 0..7. */
    final int offset;

    boolean wrapped;
    /** Next bucket of the walk (Go's it.bucket). */
    int bucket;
    /** Current bucket: an index into table, or -1 for none (Go's nil bptr). */
    int bptr = -1;

    GoTable table;
    /** Next slot to look at in bptr (counted from offset). */
    int i;

    int checkBucket;
    /** Set when the walk is over, or was empty from the start. */
    boolean done;

    /** The current entry, valid after advance() returned true: key of a GoMap, longKey of a GoLongMap. */
    Object key;

    long longKey;

    Object elem;

    /** Go's mapiterinit, minus its first mapiternext (Java iterators fetch lazily). */
    GoMapIterator(GoHmap h) {
        this.h = h;
        this.buckets = h.buckets();
        this.B = h.B();
        if (h.count() == 0 || buckets == null) {
            done = true;
            startBucket = 0;
            offset = 0;
            return;
        }
        // Decide where to start.
        long r = ThreadLocalRandom.current().nextLong();
        startBucket = (int) r & GoMap.bucketMask(B);
        offset = (int) (r >>> B) & (GoMap.bucketCnt - 1);
        bucket = startBucket;
        // Remember we have an iterator. Runs concurrently with other iterators' mapiterinit: atomic OR, as Go's
        // atomic.Or8, so that two readers cannot lose each other's bits (not on a hot path: once per iterator).
        int both = GoMap.iterator | GoMap.oldIterator;
        if ((h.flags() & both) != both) {
            h.orFlagsAtomically(both);
        }
    }

    /** Go's mapiternext: moves to the next entry; false when the walk is over. */
    boolean advance() {
        if (done) {
            return false;
        }
        GoHmap h = this.h;
        if ((h.flagsOpaque() & GoMap.hashWriting) != 0) {
            throw h.concurrentError(ConcurrentMapError.CONCURRENT_MAP_ITERATION_AND_MAP_WRITE);
        }
        int bucket = this.bucket;
        int b = this.bptr;
        GoTable t = this.table;
        int i = this.i;
        int checkBucket = this.checkBucket;
        for (; ; ) { // next:
            if (b < 0) {
                if (bucket == startBucket && wrapped) {
                    // End of iteration.
                    done = true;
                    key = null;
                    elem = null;
                    return false;
                }
                if (h.growing() && B == h.B()) {
                    // The iterator started in the middle of a growth, and the growth is not done yet. If the bucket we
                    // are looking at has not been filled in yet (its old bucket is not evacuated), walk the old bucket
                    // and return only the entries that will move to this bucket.
                    int oldbucket = bucket & h.oldbucketmask();
                    t = h.oldbuckets();
                    b = oldbucket;
                    if (!t.evacuated(b)) {
                        checkBucket = bucket;
                    } else {
                        t = buckets;
                        b = bucket;
                        checkBucket = noCheck;
                    }
                } else {
                    t = buckets;
                    b = bucket;
                    checkBucket = noCheck;
                }
                bucket++;
                if (bucket == GoMap.bucketShift(B)) {
                    bucket = 0;
                    wrapped = true;
                }
                i = 0;
            }
            for (; i < GoMap.bucketCnt; i++) {
                int offi = (i + offset) & (GoMap.bucketCnt - 1);
                int top = t.top(b, offi);
                if (top <= GoMap.emptyOne || top == GoMap.evacuatedEmpty) {
                    // Go: emptyRest is hard to use here, as we start iterating in the middle of a bucket.
                    continue;
                }
                if (checkBucket != noCheck && !h.isSameSizeGrow()) {
                    // The iterator started during a growth to a larger size that is not done yet, and this is an old
                    // bucket that was not evacuated when we started it: skip the keys bound for the other new bucket.
                    long hash = t.hashAt(b, offi, h.hash0());
                    if (((int) hash & GoMap.bucketMask(B)) != checkBucket) {
                        continue;
                    }
                }
                if (top != GoMap.evacuatedX && top != GoMap.evacuatedY) {
                    // This is the golden data, we can return it.
                    h.take(t, b, offi, this);
                } else {
                    // The table has grown since the iterator started: the golden data for this key is now somewhere
                    // else. Look it up in the current table; this handles keys deleted, updated, or deleted and
                    // re-inserted since.
                    if (!h.mapaccessK(t, b, offi, this)) {
                        continue; // the key has been deleted
                    }
                }
                this.bucket = bucket;
                if (this.table != t) {
                    this.table = t; // skip the reference store (and its GC write barrier) when unchanged, as Go (issue
                    // 14921)
                }
                this.bptr = b;
                this.i = i + 1;
                this.checkBucket = checkBucket;
                return true;
            }
            b = t.overflow[b];
            if (b == 0) {
                b = -1;
            }
            i = 0;
        }
    }
}
