package dev.mapscope.maps;

/**
 * Go's {@code hmap} header of a {@link GoMap} or a {@link GoLongMap}, as the code that serves both reads it: the
 * iterator ({@link GoMapIterator}), the invariant checks ({@link GoMapInvariants}) and {@link GoMapSnapshot}.
 * Each map implements it once, as a small inner class over its own fields (the fields stay in the maps, where
 * the agent finds them by name); the maps' lookups and writes never go through it.
 */
abstract class GoHmap {
    abstract int count();

    abstract int B();

    /** The flags, plain read: for the bits only the writer changes and for snapshots. */
    abstract int flags();

    /** The flags, opaque read: for the hashWriting checks (see GoMap.flagsOpaque). */
    abstract int flagsOpaque();

    /** mapiterinit's atomic.Or8. */
    abstract void orFlagsAtomically(int bits);

    abstract long hash0();

    abstract int nevacuate();

    abstract int noverflow();

    /** The current bucket array; null before the first insertion. */
    abstract GoTable buckets();

    /** The previous bucket array; non-null only while growing. */
    abstract GoTable oldbuckets();

    abstract ConcurrentMapError concurrentError(String goMessage);

    /** The iterator's golden data: the key and elem of slot i of bucket b of {@code t} into {@code it}. */
    abstract void take(GoTable t, int b, int i, GoMapIterator it);

    /**
     * Go's mapaccessK, for iterators: looks up the key of slot i of bucket b of {@code t} in the current table
     * and reports the stored key and elem into {@code it}; false if the key is no longer in the map. No check of
     * hashWriting: the iterator checked it.
     */
    abstract boolean mapaccessK(GoTable t, int b, int i, GoMapIterator it);

    /** The elem a lookup finds for the key in slot i of bucket b of {@code t}, or GoMap.NOT_FOUND. For checks. */
    abstract Object lookup(GoTable t, int b, int i);

    final boolean growing() {
        return oldbuckets() != null;
    }

    final boolean isSameSizeGrow() {
        return (flags() & GoMap.sameSizeGrow) != 0;
    }

    /** Number of buckets before the current growth. */
    final int noldbuckets() {
        int oldB = B();
        if (!isSameSizeGrow()) {
            oldB--;
        }
        return 1 << oldB;
    }

    final int oldbucketmask() {
        return noldbuckets() - 1;
    }
}
