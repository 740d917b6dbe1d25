package dev.mapscope.maps;

import static dev.mapscope.maps.GoMap.NOT_FOUND;
import static dev.mapscope.maps.GoMap.bucketCnt;
import static dev.mapscope.maps.GoMap.emptyOne;
import static dev.mapscope.maps.GoMap.emptyRest;
import static dev.mapscope.maps.GoMap.evacuatedEmpty;
import static dev.mapscope.maps.GoMap.evacuatedX;
import static dev.mapscope.maps.GoMap.evacuatedY;
import static dev.mapscope.maps.GoMap.hashWriting;
import static dev.mapscope.maps.GoMap.iterator;
import static dev.mapscope.maps.GoMap.maxB;
import static dev.mapscope.maps.GoMap.minTopHash;
import static dev.mapscope.maps.GoMap.oldIterator;
import static dev.mapscope.maps.GoMap.sameSizeGrow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * {@link GoMap} for {@code long} keys: Go's {@code map[int64]V} with the keys stored inline in the buckets, as
 * Go's {@code mapaccess1_fast64}, {@code mapassign_fast64} and {@code mapdelete_fast64} handle them. Same
 * layout, growth, random iteration order and concurrent-access checks ({@link ConcurrentMapError} with Go's
 * messages) as {@code GoMap}; {@link #snapshot()} and {@link #setGrowthListener} work the same way.
 *
 * <p>The primitive methods {@link #get(long)}, {@link #put(long, Object)}, {@link #remove(long)} and
 * {@link #containsKey(long)} neither box nor allocate. As a {@code Map<Long, V>} it accepts null values but not
 * null keys ({@link NullPointerException}); a key that is not a {@code Long} is simply absent.
 *
 * <p>Not thread-safe, by design; the checks are best-effort, like Go's.
 *
 * @param <V> value type
 */
public final class GoLongMap<V> extends AbstractMap<Long, V> {
    /*
     * Design notes for maintainers. This is GoMap with Go's fast64 variants in place of the generic functions
     * (runtime/map_fast64.go, Go 1.20): the key is the 64-bit value itself, compared with ==, so no key object is
     * loaded and no equals() is called, and evacuation rehashes the inline key without touching the heap.
     * Everything else (tophash sentinels, flags, the write-check order, growth triggers, incremental evacuation
     * with X/Y halves, iteration from a random bucket and slot) is GoMap's, with GoMap's names and constants;
     * read GoMap's notes first. Departures from map_fast64.go:
     *  - Go's fast64 lookups compare the eight keys of a bucket and then check the slot is not empty; here the
     *    tophash word is matched first (GoMap's SWAR matchTophash), then the key, with no re-check of a match's
     *    byte (see mapaccess2_fast64).
     *  - The tophash words are an array of their own (GoLongBuckets), where Go's bmap puts them right before the
     *    keys: an insertion of a new key finds its slot in that small, mostly cached array and then only stores
     *    into the key and elem lines, and a lookup that misses usually reads nothing else.
     *  - Go's fast64 lookup scans a B == 0 map without hashing; here a one-bucket map is hashed like any other.
     *  - Hash: Go hashes int64 keys with memhash64 (AES when available). Here a 64-bit mixer with the seed:
     *        x = (key ^ hash0) * 0x9E3779B97F4A7C15;  x ^= x >>> 32;  x *= 0xD6E8FEB86659FD93;  x ^= x >>> 32
     *    The first multiply and fold bring every key bit into the low 32 bits; the second spreads them into the
     *    top byte (the tophash) and, folded, into the low bits that pick the bucket. Keys that differ only in
     *    their high bits (multiples of 2^40, say) therefore spread over all buckets, which one multiply and fold
     *    would not give them.
     */

    private static final VarHandle FLAGS;

    static {
        try {
            FLAGS = MethodHandles.lookup().findVarHandle(GoLongMap.class, "flags", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Number of live entries (Go's count). Written only by the writer inside the hashWriting protocol. */
    int count;
    /** iterator | oldIterator | hashWriting | sameSizeGrow, with GoMap's access modes (see GoMap.flags). */
    int flags;
    /** log2 of the number of buckets. */
    int B;
    /** Approximate number of overflow buckets of buckets (exact while B < 16). */
    int noverflow;
    /** Hash seed, redrawn whenever the map becomes empty. */
    long hash0;
    /** The 2^B buckets; null until the first insertion. */
    GoLongBuckets buckets;
    /** The previous bucket array; non-null only while growing. */
    GoLongBuckets oldbuckets;
    /** Evacuation progress: old buckets below nevacuate have been evacuated. */
    int nevacuate;
    /** Id of the thread that last set hashWriting; plain field, read only to word an error message. */
    long writer;
    /** Null when nobody listens. */
    GoGrowthListener growthListener;
    /** Tests only: keep hash0 when the map empties, so that keys built to collide keep colliding. */
    final boolean fixedSeed;

    /** This map's header as the iterator, the checks and snapshots read it; made by the first of them. */
    private transient GoHmap hmap;

    private transient Set<Map.Entry<Long, V>> entrySet;
    private transient Set<Long> keySet;
    private transient Collection<V> values;

    /** An empty map with one bucket. */
    public GoLongMap() {
        this(0);
    }

    /**
     * An empty map sized for {@code hint} entries, like Go's {@code make(map[int64]V, hint)}.
     *
     * @throws IllegalArgumentException if {@code hint} is negative
     */
    public GoLongMap(int hint) {
        this(hint, ThreadLocalRandom.current().nextLong(), false);
    }

    /** For tests: a map whose seed is {@code seed} and, if {@code fixedSeed}, stays that. */
    GoLongMap(int hint, long seed, boolean fixedSeed) {
        if (hint < 0) {
            throw new IllegalArgumentException("map size hint must not be negative: " + hint);
        }
        this.fixedSeed = fixedSeed;
        hash0 = seed;
        int b = 0;
        while (b < maxB && GoMap.overLoadFactor(hint, b)) {
            b++;
        }
        B = b;
        if (B != 0) {
            buckets = new GoLongBuckets(B);
        }
    }

    /** The 64-bit hash of {@code key} under {@code seed}; see the design notes. */
    static long hash(long key, long seed) {
        long x = (key ^ seed) * 0x9E3779B97F4A7C15L;
        x ^= x >>> 32;
        x *= 0xD6E8FEB86659FD93L;
        return x ^ (x >>> 32);
    }

    private void redrawSeed() {
        if (!fixedSeed) {
            hash0 = ThreadLocalRandom.current().nextLong();
        }
    }

    static boolean evacuated(GoLongBuckets t, int b) {
        int h = (int) t.tophash[b] & 0xFF;
        return h > emptyOne && h < minTopHash;
    }

    boolean growing() {
        return oldbuckets != null;
    }

    boolean isSameSizeGrow() {
        return (flags & sameSizeGrow) != 0;
    }

    int noldbuckets() {
        int oldB = B;
        if (!isSameSizeGrow()) {
            oldB--;
        }
        return GoMap.bucketShift(oldB);
    }

    int oldbucketmask() {
        return noldbuckets() - 1;
    }

    void incrnoverflow() {
        if (B < 16) {
            noverflow++;
            return;
        }
        int mask = (1 << (B - 15)) - 1;
        if ((ThreadLocalRandom.current().nextInt() & mask) == 0) {
            noverflow++;
        }
    }

    int newoverflow(GoLongBuckets t, int b) {
        int ovf = t.nextOverflow;
        if (ovf == t.capacity()) {
            t.growSpare();
        }
        t.nextOverflow = ovf + 1;
        if (t == buckets) {
            incrnoverflow();
        }
        t.overflow[b] = ovf;
        return ovf;
    }

    // ---------------------------------------------------------------------------------------------------
    // The concurrent-access checks: GoMap's, with the same access modes.

    int flagsOpaque() {
        return (int) FLAGS.getOpaque(this); // opaque: see GoMap.flagsOpaque, the check must not be hoisted
    }

    void orFlagsAtomically(int bits) {
        FLAGS.getAndBitwiseOr(this, bits); // mapiterinit's atomic.Or8, once per iterator
    }

    void checkRead() {
        if ((flagsOpaque() & hashWriting) != 0) {
            throw concurrentError(ConcurrentMapError.CONCURRENT_MAP_READ_AND_MAP_WRITE);
        }
    }

    private void setWriting() {
        FLAGS.setOpaque(this, flagsOpaque() ^ hashWriting); // opaque: a plain store the JIT may not drop as dead
        writer = Thread.currentThread().getId(); // plain: only words the error message
    }

    private void clearWriting() {
        int f = flagsOpaque();
        if ((f & hashWriting) == 0) {
            throw concurrentError(ConcurrentMapError.CONCURRENT_MAP_WRITES);
        }
        FLAGS.setOpaque(this, f & ~hashWriting); // opaque store, no fence, as in Go
    }

    private void abandonWriting() {
        FLAGS.setOpaque(this, flagsOpaque() & ~hashWriting);
    }

    ConcurrentMapError concurrentError(String goMessage) {
        return GoMap.concurrentError(goMessage, writer); // plain read of a racy field: best-effort
    }

    // ---------------------------------------------------------------------------------------------------
    // Lookup: mapaccess2_fast64, mapaccessK

    /** Go's mapaccess2_fast64: the elem stored for {@code key}, or NOT_FOUND. Allocates nothing, takes no lock. */
    Object mapaccess2_fast64(long key) {
        if (count == 0) {
            return NOT_FOUND;
        }
        checkRead();
        long hash = hash(key, hash0);
        int m = GoMap.bucketMask(B);
        GoLongBuckets t = buckets;
        int b = (int) hash & m;
        GoLongBuckets c = oldbuckets;
        if (c != null) {
            if (!isSameSizeGrow()) {
                m >>>= 1; // there used to be half as many buckets
            }
            int oldb = (int) hash & m;
            if (!evacuated(c, oldb)) {
                t = c;
                b = oldb;
            }
        }
        byte top = GoMap.tophash(hash);
        long[] tophash = t.tophash;
        long[] keys = t.keys;
        // The tophash word first (its array is small enough to stay mostly in the CPU caches), then the key and
        // elem of a matching slot only. Until 7 Dec 2026 slot 0's key and elem were loaded first, unconditionally,
        // so that their lines were fetched in parallel with the tophash word: hits measured the same without it
        // and misses four times faster (JMH getHit 72-85 ns either way, getMiss 54-55 -> 13-14 ns;
        // PERFORMANCE.md, 7 Dec 2026, evening).
        // A match above the lowest one may be false (matchTophash's borrow): that slot's byte is top ^ 1. Unlike
        // GoMap's lookup this one does not re-check the byte, since the key compare is exact and can only reject
        // it. top ^ 1 is at least 4 (top >= minTopHash), so it is neither emptyRest nor emptyOne, and a bucket a
        // lookup reads holds no evacuation marks (2-4: an old bucket is read only while it is not evacuated), so
        // the slot is live; a live slot whose tophash differs from top holds another key (equal keys have equal
        // hashes). Without the re-check get hits measured 10% faster in the median of 18 side-by-side comparisons
        // (PERFORMANCE.md, 7 Dec 2026, night).
        for (; ; ) {
            long word = tophash[b];
            for (long match = GoMap.matchTophash(word, top); match != 0; match &= match - 1) {
                int i = GoMap.firstSlot(match);
                if (keys[GoLongBuckets.keyAt(b, i)] == key) {
                    return t.elems[GoLongBuckets.elemAt(b, i)];
                }
            }
            if (word >>> 56 == emptyRest) {
                return NOT_FOUND; // nothing follows in this bucket or its overflow chain
            }
            b = t.overflow[b];
            if (b == 0) {
                return NOT_FOUND;
            }
        }
    }

    /** Go's mapaccessK for iterators: the current elem of {@code key} into {@code it}; false if absent. */
    boolean mapaccessK(long key, GoMapIterator it) {
        Object e = count == 0 ? NOT_FOUND : lookupUnchecked(key);
        if (e == NOT_FOUND) {
            return false;
        }
        it.longKey = key;
        it.elem = e;
        return true;
    }

    private Object lookupUnchecked(long key) {
        long hash = hash(key, hash0);
        int m = GoMap.bucketMask(B);
        GoLongBuckets t = buckets;
        int b = (int) hash & m;
        GoLongBuckets c = oldbuckets;
        if (c != null) {
            if (!isSameSizeGrow()) {
                m >>>= 1;
            }
            int oldb = (int) hash & m;
            if (!evacuated(c, oldb)) {
                t = c;
                b = oldb;
            }
        }
        int top = GoMap.tophash(hash) & 0xFF;
        for (; ; ) {
            for (int i = 0; i < bucketCnt; i++) {
                if (t.top(b, i) == top && t.keys[GoLongBuckets.keyAt(b, i)] == key) {
                    return t.elems[GoLongBuckets.elemAt(b, i)];
                }
            }
            b = t.overflow[b];
            if (b == 0) {
                return NOT_FOUND;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Insertion: mapassign_fast64

    /** Go's mapassign_fast64, storing {@code elem} itself; the previous elem, or NOT_FOUND if absent. */
    Object mapassign_fast64(long key, Object elem, int mode) {
        if ((flagsOpaque() & hashWriting) != 0) {
            throw concurrentError(ConcurrentMapError.CONCURRENT_MAP_WRITES);
        }
        long hash = hash(key, hash0);
        // Set hashWriting after calling the hash, as Go does (here it cannot throw).
        setWriting();
        Object result;
        try {
            result = assignLocked(key, elem, mode, hash);
        } catch (RuntimeException | Error e) {
            abandonWriting(); // a growth listener that throws, or an OutOfMemoryError while growing
            throw e;
        }
        clearWriting();
        return result;
    }

    private Object assignLocked(long key, Object elem, int mode, long hash) {
        if (buckets == null) {
            buckets = new GoLongBuckets(0);
        }
        byte top = GoMap.tophash(hash);
        for (; ; ) { // again:
            int bucket = (int) hash & GoMap.bucketMask(B);
            if (growing()) {
                growWork_fast64(bucket);
            }
            GoLongBuckets t = buckets;
            long[] tophash = t.tophash;
            long[] keys = t.keys;
            int b = bucket;
            int insertb = -1;
            int inserti = 0;
            for (; ; ) { // bucketloop
                long word = tophash[b];
                for (long match = GoMap.matchTophash(word, top); match != 0; match &= match - 1) {
                    int i = GoMap.firstSlot(match);
                    if (GoMap.slotByte(word, i) != (top & 0xFF) || keys[GoLongBuckets.keyAt(b, i)] != key) {
                        continue;
                    }
                    // Already have a mapping for key: update it.
                    int e = GoLongBuckets.elemAt(b, i);
                    Object old = t.elems[e];
                    if (mode != GoMap.ASSIGN_IF_ABSENT || old == null) {
                        t.elems[e] = elem;
                    }
                    return old;
                }
                if (insertb < 0) {
                    long empty = GoMap.matchEmpty(word);
                    if (empty != 0) {
                        insertb = b;
                        inserti = GoMap.firstSlot(empty);
                    }
                }
                if (word >>> 56 == emptyRest) {
                    break;
                }
                int ovf = t.overflow[b];
                if (ovf == 0) {
                    break;
                }
                b = ovf;
            }
            if (mode == GoMap.ASSIGN_IF_PRESENT) {
                return NOT_FOUND;
            }
            // If we hit the max load factor or we have too many overflow buckets, and we are not already in the
            // middle of growing, start growing.
            if (!growing()
                    && ((B < maxB && GoMap.overLoadFactor(count + 1L, B))
                            || GoMap.tooManyOverflowBuckets(noverflow, B))) {
                hashGrow();
                continue; // growing the table invalidates everything, so try again
            }
            if (insertb < 0) {
                insertb = newoverflow(t, b); // all full: chain a new bucket
                inserti = 0;
            }
            t.keys[GoLongBuckets.keyAt(insertb, inserti)] = key; // t's arrays, re-read: newoverflow may replace them
            t.elems[GoLongBuckets.elemAt(insertb, inserti)] = elem;
            t.setTop(insertb, inserti, top);
            count++;
            return NOT_FOUND;
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Deletion: mapdelete_fast64

    /** Go's mapdelete_fast64; with {@code matchElem}, only if the elem equals {@code elem}. Removed elem or NOT_FOUND. */
    Object mapdelete_fast64(long key, boolean matchElem, Object elem) {
        if (count == 0) {
            return NOT_FOUND;
        }
        if ((flagsOpaque() & hashWriting) != 0) {
            throw concurrentError(ConcurrentMapError.CONCURRENT_MAP_WRITES);
        }
        long hash = hash(key, hash0);
        setWriting();
        Object result;
        try {
            result = deleteLocked(key, matchElem, elem, hash);
        } catch (RuntimeException | Error e) {
            abandonWriting(); // elem.equals() threw, or a growth listener did
            throw e;
        }
        clearWriting();
        return result;
    }

    private Object deleteLocked(long key, boolean matchElem, Object elem, long hash) {
        int bucket = (int) hash & GoMap.bucketMask(B);
        if (growing()) {
            growWork_fast64(bucket);
        }
        GoLongBuckets t = buckets;
        long[] tophash = t.tophash;
        long[] keys = t.keys;
        int[] overflow = t.overflow;
        final int bOrig = bucket;
        int b = bucket;
        byte top = GoMap.tophash(hash);
        for (; ; ) { // search:
            long word = tophash[b];
            for (long match = GoMap.matchTophash(word, top); match != 0; match &= match - 1) {
                int i = GoMap.firstSlot(match);
                if (GoMap.slotByte(word, i) != (top & 0xFF) || keys[GoLongBuckets.keyAt(b, i)] != key) {
                    continue;
                }
                int e = GoLongBuckets.elemAt(b, i);
                Object old = t.elems[e];
                if (matchElem && !Objects.equals(old, elem)) {
                    return NOT_FOUND;
                }
                t.elems[e] =
                        null; // let the collector take the elem; the inline key needs no clearing (Go: only pointers)
                t.setTop(b, i, emptyOne);
                // If the bucket now ends in a run of emptyOne states, change those to emptyRest states.
                boolean last;
                if (i == bucketCnt - 1) {
                    int ovf = overflow[b];
                    last = ovf == 0 || t.top(ovf, 0) == emptyRest;
                } else {
                    last = t.top(b, i + 1) == emptyRest;
                }
                if (last) {
                    for (; ; ) {
                        t.setTop(b, i, emptyRest);
                        if (i == 0) {
                            if (b == bOrig) {
                                break; // beginning of the initial bucket, we are done
                            }
                            int c = b; // find the previous bucket, continue at its last entry
                            for (b = bOrig; overflow[b] != c; b = overflow[b]) {}
                            i = bucketCnt - 1;
                        } else {
                            i--;
                        }
                        if (t.top(b, i) != emptyOne) {
                            break;
                        }
                    }
                }
                count--;
                if (count == 0) {
                    redrawSeed(); // Go issue 25237: make it harder to trigger collisions repeatedly
                }
                return old;
            }
            if (word >>> 56 == emptyRest) {
                return NOT_FOUND;
            }
            b = overflow[b];
            if (b == 0) {
                return NOT_FOUND;
            }
        }
    }

    /** Go's mapclear. Keeps the bucket array, empties it, redraws the seed. */
    void mapclear() {
        if (count == 0) {
            return;
        }
        if ((flagsOpaque() & hashWriting) != 0) {
            throw concurrentError(ConcurrentMapError.CONCURRENT_MAP_WRITES);
        }
        setWriting();
        buckets.markEmpty(); // so that running iterators end (Go issue 59411, fixed in Go 1.21)
        if (oldbuckets != null) {
            oldbuckets.markEmpty();
        }
        flags &= ~sameSizeGrow;
        oldbuckets = null;
        nevacuate = 0;
        noverflow = 0;
        count = 0;
        redrawSeed(); // Go issue 25237: make it harder to trigger collisions repeatedly
        buckets.reset();
        clearWriting();
    }

    // ---------------------------------------------------------------------------------------------------
    // Growth: hashGrow, growWork_fast64, evacuate_fast64, advanceEvacuationMark

    void hashGrow() {
        int bigger = 1;
        if (B >= maxB || !GoMap.overLoadFactor(count + 1L, B)) {
            bigger = 0;
            flags |= sameSizeGrow; // too many overflow buckets: keep the size, "grow" laterally
        }
        GoLongBuckets old = buckets;
        GoLongBuckets newbuckets = new GoLongBuckets(B + bigger, bigger == 1); // spare region sized for growth
        int f = flags & ~(iterator | oldIterator);
        if ((flags & iterator) != 0) {
            f |= oldIterator;
        }
        int oldB = B;
        B += bigger;
        flags = f; // plain: we hold hashWriting, and f carries it
        oldbuckets = old;
        buckets = newbuckets;
        nevacuate = 0;
        noverflow = 0;
        GoGrowthListener l = growthListener;
        if (l != null) {
            l.growStarted(oldB, B, bigger == 0);
        }
    }

    void growWork_fast64(int bucket) {
        evacuate_fast64(bucket & oldbucketmask()); // the old bucket of the bucket we are about to use
        // and one more to make progress, or in a large table several, in order (GoMap.evacuateInOrder)
        int more = noldbuckets() >= GoMap.inOrderFromBuckets ? GoMap.evacuateInOrder : 1;
        for (int n = 0; n < more && growing(); n++) {
            evacuate_fast64(nevacuate);
        }
    }

    void evacuate_fast64(int oldbucket) {
        GoLongBuckets old = oldbuckets;
        int newbit = noldbuckets();
        if (!evacuated(old, oldbucket)) {
            boolean same = isSameSizeGrow();
            GoLongBuckets t = buckets;
            int xb = oldbucket;
            int xi = 0;
            int yb = oldbucket + newbit;
            int yi = 0;
            int toX = 0;
            int toY = 0;
            long[] otophash = old.tophash;
            long[] okeys = old.keys;
            Object[] oelems = old.elems;
            for (int b = oldbucket; ; ) {
                long word = otophash[b];
                long marks = 0; // the evacuated* states, written back as one word
                for (int i = 0; i < bucketCnt; i++) {
                    int top = GoMap.slotByte(word, i);
                    if (top <= emptyOne) {
                        marks |= (long) evacuatedEmpty << (i << 3);
                        continue;
                    }
                    if (top < minTopHash) {
                        throw new IllegalStateException("bad map state: tophash " + top + " in old bucket " + b);
                    }
                    long k = okeys[GoLongBuckets.keyAt(b, i)];
                    // Compute the hash to decide whether this entry goes to bucket x or bucket y: from the inline key,
                    // no heap access.
                    boolean useY = !same && (hash(k, hash0) & newbit) != 0;
                    marks |= (long) (useY ? evacuatedY : evacuatedX) << (i << 3);
                    int db;
                    int di;
                    if (useY) {
                        if (yi == bucketCnt) {
                            yb = newoverflow(t, yb);
                            yi = 0;
                        }
                        db = yb;
                        di = yi++;
                        toY++;
                    } else {
                        if (xi == bucketCnt) {
                            xb = newoverflow(t, xb);
                            xi = 0;
                        }
                        db = xb;
                        di = xi++;
                        toX++;
                    }
                    t.setTop(db, di, top);
                    t.keys[GoLongBuckets.keyAt(db, di)] = k;
                    t.elems[GoLongBuckets.elemAt(db, di)] = oelems[GoLongBuckets.elemAt(b, i)];
                }
                otophash[b] = marks;
                b = old.overflow[b];
                if (b == 0) {
                    break;
                }
            }
            // Unlink the overflow buckets and clear the elems to help the collector, unless an iterator may still
            // walk the old buckets. The tophash words stay: they hold the evacuation state.
            if ((flags & oldIterator) == 0) {
                for (int b = oldbucket; ; ) {
                    int from = GoLongBuckets.elemAt(b, 0);
                    java.util.Arrays.fill(oelems, from, from + bucketCnt, null);
                    b = old.overflow[b];
                    if (b == 0) {
                        break;
                    }
                }
                old.overflow[oldbucket] = 0;
            }
            GoGrowthListener l = growthListener;
            if (l != null) {
                l.bucketEvacuated(oldbucket, toX, toY);
            }
        }
        if (oldbucket == nevacuate) {
            advanceEvacuationMark(newbit);
        }
    }

    void advanceEvacuationMark(int newbit) {
        nevacuate++;
        int stop = Math.min(nevacuate + 1024, newbit); // Go: 1024 is overkill, a safeguard for O(1) behavior
        while (nevacuate != stop && evacuated(oldbuckets, nevacuate)) {
            nevacuate++;
        }
        if (nevacuate == newbit) {
            oldbuckets = null; // growing is all done; iterators still using the old array hold their own reference
            flags &= ~sameSizeGrow;
            GoGrowthListener l = growthListener;
            if (l != null) {
                l.growFinished(B);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Primitive API

    /** The value for {@code key}, or {@code null}. No boxing, no allocation. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        Object e = mapaccess2_fast64(key);
        return e == NOT_FOUND ? null : (V) e;
    }

    /** Whether {@code key} is present. */
    public boolean containsKey(long key) {
        return mapaccess2_fast64(key) != NOT_FOUND;
    }

    /** Maps {@code key} to {@code value}; returns the previous value, or {@code null}. No boxing. */
    @SuppressWarnings("unchecked")
    public V put(long key, V value) {
        Object old = mapassign_fast64(key, value, GoMap.ASSIGN);
        return old == NOT_FOUND ? null : (V) old;
    }

    /** Removes {@code key}; returns its value, or {@code null}. */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        Object old = mapdelete_fast64(key, false, null);
        return old == NOT_FOUND ? null : (V) old;
    }

    // ---------------------------------------------------------------------------------------------------
    // Map API

    @Override
    public int size() {
        return count;
    }

    @Override
    public boolean isEmpty() {
        return count == 0;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(Object key) {
        if (!(key instanceof Long)) {
            return null;
        }
        Object e = mapaccess2_fast64((Long) key);
        return e == NOT_FOUND ? null : (V) e;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getOrDefault(Object key, V defaultValue) {
        if (!(key instanceof Long)) {
            return defaultValue;
        }
        Object e = mapaccess2_fast64((Long) key);
        return e == NOT_FOUND ? defaultValue : (V) e;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof Long && mapaccess2_fast64((Long) key) != NOT_FOUND;
    }

    @Override
    public boolean containsValue(Object value) {
        GoMapIterator it = new GoMapIterator(hmap());
        while (it.advance()) {
            if (Objects.equals(value, it.elem)) {
                return true;
            }
        }
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V put(Long key, V value) {
        Object old = mapassign_fast64(key, value, GoMap.ASSIGN); // unboxing: a null key throws NullPointerException
        return old == NOT_FOUND ? null : (V) old;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V putIfAbsent(Long key, V value) {
        Object old = mapassign_fast64(key, value, GoMap.ASSIGN_IF_ABSENT);
        return old == NOT_FOUND ? null : (V) old;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V replace(Long key, V value) {
        if (key == null) {
            return null;
        }
        Object old = mapassign_fast64(key, value, GoMap.ASSIGN_IF_PRESENT);
        return old == NOT_FOUND ? null : (V) old;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        if (!(key instanceof Long)) {
            return null;
        }
        Object old = mapdelete_fast64((Long) key, false, null);
        return old == NOT_FOUND ? null : (V) old;
    }

    @Override
    public boolean remove(Object key, Object value) {
        return key instanceof Long && mapdelete_fast64((Long) key, true, value) != NOT_FOUND;
    }

    @Override
    public void clear() {
        mapclear();
    }

    /** Calls {@code action} for each entry, in Go's random order; the action may modify the map (Go's rules). */
    @Override
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super Long, ? super V> action) {
        Objects.requireNonNull(action);
        GoMapIterator it = new GoMapIterator(hmap());
        while (it.advance()) {
            action.accept(it.longKey, (V) it.elem);
        }
    }

    // compute, computeIfAbsent, computeIfPresent, merge and replaceAll are Map's defaults over the methods above;
    // they call the user's function outside any write, as GoMap's do.

    /** Registers the listener that sees growth events, or removes it with {@code null}. See GoMap's. */
    public void setGrowthListener(GoGrowthListener listener) {
        this.growthListener = listener;
    }

    /** A read-only copy of the bucket structure, as {@link GoMap#snapshot()}. Counts as a read. */
    public GoMapSnapshot snapshot() {
        checkRead();
        return GoMapSnapshot.of(hmap());
    }

    /** Verifies every structural invariant; throws {@link AssertionError} naming the first one broken. For tests. */
    void checkInvariants() {
        GoMapInvariants.check(hmap(), "GoLongMap");
    }

    GoHmap hmap() {
        GoHmap h = hmap;
        if (h == null) {
            h = new Hmap();
            hmap = h; // plain: a racing reader at worst makes a second, equal view
        }
        return h;
    }

    /** GoHmap over this map's fields. */
    private final class Hmap extends GoHmap {
        @Override
        int count() {
            return count;
        }

        @Override
        int B() {
            return B;
        }

        @Override
        int flags() {
            return flags;
        }

        @Override
        int flagsOpaque() {
            return GoLongMap.this.flagsOpaque();
        }

        @Override
        void orFlagsAtomically(int bits) {
            GoLongMap.this.orFlagsAtomically(bits);
        }

        @Override
        long hash0() {
            return hash0;
        }

        @Override
        int nevacuate() {
            return nevacuate;
        }

        @Override
        int noverflow() {
            return noverflow;
        }

        @Override
        GoTable buckets() {
            return buckets;
        }

        @Override
        GoTable oldbuckets() {
            return oldbuckets;
        }

        @Override
        ConcurrentMapError concurrentError(String goMessage) {
            return GoLongMap.this.concurrentError(goMessage);
        }

        @Override
        void take(GoTable t, int b, int i, GoMapIterator it) {
            GoLongBuckets l = (GoLongBuckets) t;
            it.longKey = l.keys[GoLongBuckets.keyAt(b, i)];
            it.elem = l.elems[GoLongBuckets.elemAt(b, i)];
        }

        @Override
        boolean mapaccessK(GoTable t, int b, int i, GoMapIterator it) {
            return GoLongMap.this.mapaccessK(((GoLongBuckets) t).keys[GoLongBuckets.keyAt(b, i)], it);
        }

        @Override
        Object lookup(GoTable t, int b, int i) {
            return mapaccess2_fast64(((GoLongBuckets) t).keys[GoLongBuckets.keyAt(b, i)]);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Views

    @Override
    public Set<Map.Entry<Long, V>> entrySet() {
        Set<Map.Entry<Long, V>> es = entrySet;
        if (es == null) {
            es = new EntrySet();
            entrySet = es;
        }
        return es;
    }

    @Override
    public Set<Long> keySet() {
        Set<Long> ks = keySet;
        if (ks == null) {
            ks = new KeySet();
            keySet = ks;
        }
        return ks;
    }

    @Override
    public Collection<V> values() {
        Collection<V> vs = values;
        if (vs == null) {
            vs = new Values();
            values = vs;
        }
        return vs;
    }

    /** Go's hiter plus Java's hasNext/next/remove protocol. */
    private abstract class ViewIterator<T> implements Iterator<T> {
        final GoMapIterator it = new GoMapIterator(hmap());
        boolean fetched;
        boolean hasEntry;
        long lastKey;
        boolean canRemove;

        @Override
        public boolean hasNext() {
            if (!fetched) {
                hasEntry = it.advance();
                fetched = true;
            }
            return hasEntry;
        }

        final void step() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            fetched = false;
            lastKey = it.longKey;
            canRemove = true;
        }

        @Override
        public void remove() {
            if (!canRemove) {
                throw new IllegalStateException("remove() needs a preceding next(), and only one per next()");
            }
            canRemove = false;
            mapdelete_fast64(lastKey, false, null);
        }
    }

    private final class EntrySet extends AbstractSet<Map.Entry<Long, V>> {
        @Override
        public Iterator<Map.Entry<Long, V>> iterator() {
            return new ViewIterator<>() {
                @Override
                @SuppressWarnings("unchecked")
                public Map.Entry<Long, V> next() {
                    step();
                    return new Entry(it.longKey, (V) it.elem);
                }
            };
        }

        @Override
        public int size() {
            return count;
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry<?, ?> e) || !(e.getKey() instanceof Long)) {
                return false;
            }
            Object v = mapaccess2_fast64((Long) e.getKey());
            return v != NOT_FOUND && Objects.equals(v, e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            return o instanceof Map.Entry<?, ?> e && GoLongMap.this.remove(e.getKey(), e.getValue());
        }

        @Override
        public void clear() {
            mapclear();
        }
    }

    /** An entry handed out by the entry set; setValue writes through while the key is in the map. */
    private final class Entry extends AbstractMap.SimpleEntry<Long, V> {
        private static final long serialVersionUID = 1L;

        Entry(long key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            V old = super.setValue(value);
            mapassign_fast64(getKey(), value, GoMap.ASSIGN_IF_PRESENT);
            return old;
        }
    }

    private final class KeySet extends AbstractSet<Long> {
        @Override
        public Iterator<Long> iterator() {
            return new ViewIterator<>() {
                @Override
                public Long next() {
                    step();
                    return it.longKey;
                }
            };
        }

        @Override
        public int size() {
            return count;
        }

        @Override
        public boolean contains(Object o) {
            return containsKey(o);
        }

        @Override
        public boolean remove(Object o) {
            return o instanceof Long && mapdelete_fast64((Long) o, false, null) != NOT_FOUND;
        }

        @Override
        public void clear() {
            mapclear();
        }
    }

    private final class Values extends AbstractCollection<V> {
        @Override
        public Iterator<V> iterator() {
            return new ViewIterator<>() {
                @Override
                @SuppressWarnings("unchecked")
                public V next() {
                    step();
                    return (V) it.elem;
                }
            };
        }

        @Override
        public int size() {
            return count;
        }

        @Override
        public void clear() {
            mapclear();
        }
    }
}
