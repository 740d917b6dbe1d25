package dev.mapscope.maps;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
import java.util.function.BiFunction;

/**
 * A hash map laid out and grown exactly like Go 1.20's built-in map ({@code runtime/map.go}), including its
 * concurrent-access checks: a {@code GoMap} used by two threads at once without synchronization throws
 * {@link ConcurrentMapError} ("concurrent map writes") where a {@link java.util.HashMap} would silently lose
 * entries.
 *
 * <p>A drop-in {@link Map}: null keys and null values are allowed, all views support removal, and the
 * default methods keep their contracts. Like Go's map and unlike {@code HashMap}, iteration order is random
 * (it starts at a random bucket and slot), and the map may be modified during iteration by the iterating
 * thread: an entry removed before it is reached is not produced, an entry added may or may not be, and no
 * entry present throughout is produced twice. Iterators never throw
 * {@link java.util.ConcurrentModificationException}.
 *
 * <p>Not thread-safe, by design: the checks are best-effort, like Go's, and detect only operations that
 * overlap in time. {@link #snapshot()} shows the bucket structure and {@link #setGrowthListener} the growth
 * state machine.
 *
 * @param <K> key type; {@code hashCode} and {@code equals} must be consistent, as for any hash map
 * @param <V> value type
 */
public final class GoMap<K, V> extends AbstractMap<K, V> {
    /*
     * Design notes for maintainers. This is a port of runtime/map.go as of Go 1.20 (the classic bucket map,
     * before the Swiss tables of Go 1.24). Names and control flow follow Go function by function
     * (mapaccess1/2, mapassign, mapdelete, mapclear, hashGrow, growWork, evacuate, advanceEvacuationMark,
     * mapiterinit/mapiternext in GoMapIterator) so that a reader can diff them against Go.
     *
     * Buckets. The map has 2^B buckets of bucketCnt = 8 slots. A key's 64-bit hash picks bucket
     * hash & (2^B - 1); its top byte, lifted to at least minTopHash, is stored as the slot's tophash so that a
     * lookup compares one byte per slot and calls equals() only on a tophash match (a false match costs one
     * equals() in 251 slots). Values of tophash below minTopHash are the sentinels declared below. A bucket
     * that is full chains an overflow bucket. GoBuckets stores all of this in four flat arrays (tophash
     * bytes, key/elem references, the low 32 bits of each slot's hash, overflow links), so a map has no
     * per-entry or per-bucket objects and a lookup allocates nothing.
     *
     * Growth. When an insertion would exceed the average load 6.5 per bucket (overLoadFactor), hashGrow
     * allocates 2^(B+1) buckets and keeps the old array as oldbuckets; when there are about as many overflow
     * buckets as buckets (tooManyOverflowBuckets: many deletions left chains sparse), it "grows" to a fresh
     * array of the same size (sameSizeGrow) to compact them. Growth is incremental: every write first
     * evacuates the old bucket its key maps to and one more, the lowest not yet evacuated (nevacuate), so no
     * single write pays for the whole copy. During a doubling, old bucket i splits into new buckets i (X) and
     * i + 2^oldB (Y) by the hash bit newbit. An evacuated old bucket keeps its tophash as evacuatedX,
     * evacuatedY or evacuatedEmpty; lookups use the old bucket while it is not evacuated and the new one after.
     *
     * Iteration (GoMapIterator) starts at a random bucket and a random slot offset, and stays correct while
     * the map grows under it: it walks the bucket array it started with; if the map is mid-growth and its
     * bucket's old bucket is not evacuated yet, it walks the old bucket and keeps only the keys that belong to
     * its new bucket (checkBucket); a slot marked evacuatedX/Y is looked up again in the current table, which
     * handles keys deleted, updated or re-inserted since. Old buckets keep their keys and elems after
     * evacuation whenever an iterator may be using them (flag oldIterator).
     *
     * Concurrent-access checks. flags holds Go's four flags. A write (mapassign, mapdelete, mapclear) checks
     * hashWriting, computes the hash, sets hashWriting by XOR, mutates, checks that hashWriting is still set and
     * clears it, in Go's order; a second writer that finds the flag set, or a writer that finds it cleared by
     * someone else at the end, throws "concurrent map writes". A lookup that finds it set throws "concurrent map
     * read and map write", an iterator step "concurrent map iteration and map write". This is a deliberate
     * benign race, as in Go: flags is read and written with opaque accesses (a plain load or store on x86 and
     * ARM, no fence, no lock, no CAS) so that the JIT can neither delete the store that sets the flag as dead
     * nor hoist the check out of a caller's loop; the read-modify-write is not atomic, and two writers that
     * both slip through are caught at the re-check. Nothing else is ordered. On top of Go, the writer stores its
     * thread id in the plain field writer, so that the error can name the other thread (best-effort too: a
     * stale or torn view just makes it say "unknown"). A hashCode() or equals() that throws during a write
     * clears the flag before the exception propagates; Go has no such case worth handling.
     *
     * Hash. Java keys bring a 32-bit hashCode() of unknown quality (Integer's is the value itself, many are
     * multiples of a power of two). hash() mixes it with the per-map random seed hash0 into 64 bits:
     *     x = (hashCode ^ hash0) * 0x9E3779B97F4A7C15   (64-bit multiply by the golden-ratio constant)
     *     hash = x ^ (x >>> 32)
     * The multiply spreads every input bit into all higher bits, so the top byte (the tophash) depends on all
     * 32 bits of the hashCode and filters well; the xor-fold brings the high half down so the bucket index
     * (low bits) depends on all of them too, even for hash codes that differ only in their upper bits. It costs
     * one multiply, one shift and two xors: a few cycles more than HashMap's h ^ (h >>> 16). The seed makes bucket
     * placement and iteration order differ from map to map and is redrawn when the map becomes empty (mapclear,
     * and mapdelete of the last entry), as in Go (Go issue 25237). No seed can separate keys whose hashCode()
     * values are equal: such keys share a bucket chain and a tophash, and each lookup among them calls equals()
     * on every one (HashMap turns such chains into trees; Go's hashers do not have 32-bit collisions to begin
     * with).
     *
     * Code departures, same decisions: mapassign decides the common insertion (no tophash match in a bucket that
     * ends in emptyRest, no growth due) in a short method from the bucket's tophash word, and leaves everything
     * else to Go's loop; its two growth tests are folded into one precomputed limit (insertLimit).
     *
     * Layout departures, same data and same decisions: lookups, inserts and deletes compare a bucket's eight
     * tophash bytes as one long (matchTophash, SWAR) where Go loops over bytes; a bucket's keys and elems are
     * stored as interleaved pairs (keyAt), aligned to a cache line in large arrays (GoBuckets.SLOTS_PAD); a
     * lookup reads the bucket's tophash word, then the key and elem of a matching slot only.
     *
     * Departures from Go, all invisible to a correct program: keys are always reflexive in Java, so Go's NaN
     * handling (tophash low bit as the evacuation decision) is left out; B is capped at maxB because a Java
     * array holds at most 2^31 references; the spare overflow region grows by copying (GoBuckets.growSpare)
     * where Go allocates single overflow buckets, and the array a doubling creates starts with a spare region
     * of a quarter of its buckets instead of Go's sixteenth, so that filling it copies nothing (GoBuckets);
     * each slot keeps seven bits of its hash above the bucket index (GoBuckets.hashBits), so that evacuate
     * decides X or Y without reading the key object, where Go's evacuate calls the hasher on every key; in a
     * large table growWork evacuates eight old buckets in order per write instead of one (evacuateInOrder);
     * mapclear marks old buckets emptyRest so that running iterators stop (the fix of Go issue 59411, from
     * Go 1.21). docs/GOMAP.md gives the measurements.
     */

    /** Go's bucketCntBits: a bucket holds 1 << bucketCntBits = 8 slots. */
    static final int bucketCntBits = 3;
    /** Go's bucketCnt: slots per bucket. */
    static final int bucketCnt = 1 << bucketCntBits;
    /** Go's loadFactorNum / loadFactorDen = 6.5, the average bucket load that triggers growth (Go's table in map.go). */
    static final int loadFactorNum = 13;

    static final int loadFactorDen = 2;

    // Possible tophash values. Each bucket (with its overflow chain) has all or none of its slots in an
    // evacuated* state, except inside evacuate(), which only a writer runs.
    /** This slot is empty, and so are all later slots of the bucket and its whole overflow chain. */
    static final int emptyRest = 0;
    /** This slot is empty. */
    static final int emptyOne = 1;
    /** Key and elem are valid here, but the entry was evacuated to the first half (X) of the larger table. */
    static final int evacuatedX = 2;
    /** Same as evacuatedX, to the second half (Y). evacuatedX + 1 == evacuatedY. */
    static final int evacuatedY = 3;
    /** This slot is empty and its bucket is evacuated. */
    static final int evacuatedEmpty = 4;
    /** Minimum tophash of a filled slot; a hash's top byte below it is lifted by minTopHash. */
    static final int minTopHash = 5;

    // flags
    /** There may be an iterator using buckets. */
    static final int iterator = 1;
    /** There may be an iterator using oldbuckets. */
    static final int oldIterator = 2;
    /** A thread is writing to the map. */
    static final int hashWriting = 4;
    /** The current growth is to a table of the same size. */
    static final int sameSizeGrow = 8;

    /** Largest B: 2^26 buckets of 16 references each is the largest table a Java array can hold with a spare region. */
    static final int maxB = 26;

    /** Returned by the internal lookups for "no such key", so that a null elem stays distinguishable. */
    static final Object NOT_FOUND = new Object();

    private static final VarHandle FLAGS;
    /** Reads eight tophash bytes at once (plain mode; compiles to one 8-byte load). */
    private static final VarHandle TOPHASH_WORD =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        try {
            FLAGS = MethodHandles.lookup().findVarHandle(GoMap.class, "flags", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Number of live entries (Go's count). Written only by the writer inside the hashWriting protocol. */
    int count;
    /**
     * iterator | oldIterator | hashWriting | sameSizeGrow. hashWriting is set and cleared with opaque accesses
     * (see the design notes: a deliberate benign race, no fence); the other bits are changed by the writer
     * while it holds hashWriting, except iterator|oldIterator, which mapiterinit sets with an atomic OR
     * because any number of readers may start iterators at once (Go's atomic.Or8).
     */
    int flags;
    /** log2 of the number of buckets; the map holds up to loadFactor * 2^B entries before growing. */
    int B;
    /** Approximate number of overflow buckets of buckets (exact while B < 16); see incrnoverflow. */
    int noverflow;
    /**
     * The count below which inserting one more entry starts no growth: Go's two tests in mapassign (load factor,
     * too many overflow buckets) for the current B and noverflow, folded into one number (updateInsertLimit).
     */
    int insertLimit;
    /** Hash seed, redrawn whenever the map becomes empty. */
    long hash0;
    /** The 2^B buckets; null until the first insertion (Go allocates lazily in mapassign too). */
    GoBuckets buckets;
    /** The previous bucket array, half the size (or the same size for sameSizeGrow); non-null only while growing. */
    GoBuckets oldbuckets;
    /** Evacuation progress: old buckets below nevacuate have been evacuated. */
    int nevacuate;
    /** Id of the thread that last set hashWriting; plain field, read only to word an error message. */
    long writer;
    /** Null when nobody listens: then each growth event costs one null check of this plain field. */
    GoGrowthListener growthListener;

    /** This map's header as the iterator, the checks and snapshots read it; made by the first of them. */
    private transient GoHmap hmap;

    private transient Set<K> keySet;
    private transient Collection<V> values;
    private transient Set<Map.Entry<K, V>> entrySet;

    /** An empty map with one bucket. */
    public GoMap() {
        this(0);
    }

    /**
     * An empty map sized for {@code hint} entries, like Go's {@code make(map[K]V, hint)}: B is the smallest
     * value with {@code hint <= 6.5 * 2^B}, and the buckets are allocated at once.
     *
     * @throws IllegalArgumentException if {@code hint} is negative
     */
    public GoMap(int hint) {
        if (hint < 0) {
            throw new IllegalArgumentException("map size hint must not be negative: " + hint);
        }
        hash0 = ThreadLocalRandom.current().nextLong();
        int b = 0;
        while (b < maxB && overLoadFactor(hint, b)) {
            b++;
        }
        B = b;
        updateInsertLimit();
        if (B != 0) {
            buckets = new GoBuckets(B);
        }
    }

    /** A map with the entries of {@code m}, sized for them. */
    public GoMap(Map<? extends K, ? extends V> m) {
        this(m.size());
        putAll(m);
    }

    // ---------------------------------------------------------------------------------------------------
    // Hashing and small helpers (Go: tophash, bucketShift, bucketMask, evacuated, isEmpty, overLoadFactor...)

    /** The 64-bit hash of a key under seed {@code seed}; see the design notes for the mixer. */
    static long hash(Object key, long seed) {
        long x = ((key == null ? 0 : key.hashCode()) ^ seed) * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 32);
    }

    /** The tophash byte of a hash: its top 8 bits, lifted above the sentinels. */
    static byte tophash(long hash) {
        int top = (int) (hash >>> 56);
        if (top < minTopHash) {
            top += minTopHash;
        }
        return (byte) top;
    }

    /**
     * Index in GoBuckets.slots of the key of slot i of bucket b; its elem follows at +1. Go keeps a bucket's
     * eight keys together and then its eight elems, to avoid padding between keys and elems of different sizes;
     * references all have one size, so pairs are interleaved here, which keeps a key and its elem on one cache
     * line (with Go's order and an unaligned bucket, a key and its elem can sit on two different lines).
     */
    static int keyAt(int b, int i) {
        return GoBuckets.SLOTS_PAD + (b << (bucketCntBits + 1)) + (i << 1);
    }

    /** The eight tophash bytes of bucket b as one little-endian word: byte i is slot i. */
    static long tophashWord(byte[] tophash, int b) {
        return (long) TOPHASH_WORD.get(tophash, b << bucketCntBits);
    }

    private static final long LSB = 0x0101010101010101L;
    private static final long MSB = 0x8080808080808080L;

    /**
     * Slots of a tophash word equal to {@code top}, as the high bit of each matching byte. The lowest bit set is
     * always a true match; a higher one may be false (a borrow from a lower match), so callers compare the byte
     * before trusting it. Go compares one byte at a time; the eight comparisons here are branch-free, which
     * keeps the CPU from mispredicting where in the bucket a key sits.
     */
    static long matchTophash(long word, byte top) {
        long x = word ^ (LSB * (top & 0xFF));
        return (x - LSB) & ~x & MSB;
    }

    /** Slots of a tophash word that are empty (emptyRest or emptyOne); only the lowest bit set is reliable. */
    static long matchEmpty(long word) {
        long x = word & ~LSB; // emptyRest (0) and emptyOne (1) both become 0
        return (x - LSB) & ~x & MSB;
    }

    /** Slot number of the lowest match in a mask from matchTophash or matchEmpty. */
    static int firstSlot(long mask) {
        return Long.numberOfTrailingZeros(mask) >>> 3;
    }

    /** Byte i of a tophash word. */
    static int slotByte(long word, int i) {
        return (int) (word >>> (i << 3)) & 0xFF;
    }

    static int bucketShift(int b) {
        return 1 << b;
    }

    static int bucketMask(int b) {
        return bucketShift(b) - 1;
    }

    /** Whether a tophash value marks an empty slot (emptyRest or emptyOne). */
    static boolean isEmpty(byte x) {
        return (x & 0xFF) <= emptyOne;
    }

    /** Whether bucket {@code b} of {@code t} has been evacuated: its first tophash is an evacuated* state. */
    static boolean evacuated(GoBuckets t, int b) {
        int h = t.tophash[b << bucketCntBits] & 0xFF;
        return h > emptyOne && h < minTopHash;
    }

    /** Whether {@code count} entries in {@code 2^B} buckets exceed the load factor. */
    static boolean overLoadFactor(long count, int B) {
        return count > bucketCnt && count > (long) loadFactorNum * (bucketShift(B) / loadFactorDen);
    }

    /**
     * Whether {@code noverflow} overflow buckets are too many for {@code 2^B} buckets: about as many overflow
     * buckets as buckets. Most of them must be sparse, or the load factor would have triggered growth first.
     */
    static boolean tooManyOverflowBuckets(int noverflow, int B) {
        if (B > 15) {
            B = 15;
        }
        return noverflow >= 1 << B;
    }

    boolean growing() {
        return oldbuckets != null;
    }

    boolean isSameSizeGrow() {
        return (flags & sameSizeGrow) != 0;
    }

    /** Number of buckets before the current growth. */
    int noldbuckets() {
        int oldB = B;
        if (!isSameSizeGrow()) {
            oldB--;
        }
        return bucketShift(oldB);
    }

    int oldbucketmask() {
        return noldbuckets() - 1;
    }

    /**
     * Counts one more overflow bucket. Exact while B < 16; above, it counts with probability 1/2^(B-15) so
     * that reaching 2^15 still means about as many overflow buckets as buckets (Go keeps noverflow in 16 bits).
     */
    void incrnoverflow() {
        if (B < 16) {
            noverflow++;
        } else {
            int mask = (1 << (B - 15)) - 1;
            if ((ThreadLocalRandom.current().nextInt() & mask) == 0) {
                noverflow++;
            }
        }
        updateInsertLimit();
    }

    /**
     * Recomputes insertLimit after B or noverflow changed: an insertion at {@code count < insertLimit} finds
     * {@code !(B < maxB && overLoadFactor(count + 1, B)) && !tooManyOverflowBuckets(noverflow, B)}.
     */
    void updateInsertLimit() {
        long limit;
        if (tooManyOverflowBuckets(noverflow, B)) {
            limit = 0;
        } else if (B >= maxB) {
            limit = Integer.MAX_VALUE;
        } else {
            // overLoadFactor(c + 1, B) is c + 1 > bucketCnt && c + 1 > 6.5 * 2^B, so it is false for c below the max.
            limit = Math.max(bucketCnt, (long) loadFactorNum * (bucketShift(B) / loadFactorDen));
        }
        insertLimit = (int) Math.min(limit, Integer.MAX_VALUE);
    }

    /** Chains a fresh overflow bucket after bucket {@code b} of {@code t} and returns its index. */
    int newoverflow(GoBuckets t, int b) {
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
    // The concurrent-access checks

    int flagsOpaque() {
        // Opaque: no fence; the check must not be hoisted or folded. Measured on JDK 17 C2: with a plain load,
        // a caller's loop of get() calls hoists the read of flags (with the other fields) out of the loop and
        // never sees a writer that starts later; such a reader ran 5 s beside a writer without an error, where
        // the opaque read throws "concurrent map read and map write" at once. The plain load looked 10-15%
        // faster on the 1M-entry get benchmark only because of that hoisting; an acquire load costs the same
        // as opaque. Keep opaque.
        return (int) FLAGS.getOpaque(this);
    }

    /** mapiterinit's atomic.Or8: the only atomic in GoMap, once per iterator, never on a lookup or a write. */
    void orFlagsAtomically(int bits) {
        FLAGS.getAndBitwiseOr(this, bits);
    }

    /** Throws "concurrent map read and map write" if a write is in progress. */
    void checkRead() {
        if ((flagsOpaque() & hashWriting) != 0) {
            throw concurrentError(ConcurrentMapError.CONCURRENT_MAP_READ_AND_MAP_WRITE);
        }
    }

    /** Go's entry to a write, after the hash is computed: {@code h.flags ^= hashWriting}. */
    private void setWriting() {
        FLAGS.setOpaque(this, flagsOpaque() ^ hashWriting); // opaque: a plain store the JIT may not drop as dead
        writer = Thread.currentThread().getId(); // plain: only words the error message
    }

    /** Go's exit from a write: the flag must still be set (else another writer ran), then clear it. */
    private void clearWriting() {
        int f = flagsOpaque();
        if ((f & hashWriting) == 0) {
            throw concurrentError(ConcurrentMapError.CONCURRENT_MAP_WRITES);
        }
        FLAGS.setOpaque(this, f & ~hashWriting); // opaque store, no fence, as in Go
    }

    /** Used when hashCode() or equals() throws inside a write: give the flag back, let the exception through. */
    private void abandonWriting() {
        FLAGS.setOpaque(this, flagsOpaque() & ~hashWriting);
    }

    ConcurrentMapError concurrentError(String goMessage) {
        return concurrentError(goMessage, writer); // plain read of a racy field: best-effort, may be stale
    }

    /** The error for Go's message, naming the thread with id {@code other} if it is another live thread. */
    static ConcurrentMapError concurrentError(String goMessage, long other) {
        Thread me = Thread.currentThread();
        String otherName = null;
        if (other != me.getId()) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getId() == other) {
                    otherName = t.getName();
                    break;
                }
            }
        }
        String detail = goMessage + ": thread \"" + me.getName() + "\" (id " + me.getId() + ")"
                + (otherName != null
                        ? " ran into thread \"" + otherName + "\" (id " + other + "), which was writing the map"
                        : " ran into another thread writing the map (not identified)")
                + "; guard the map with a lock or use a concurrent map";
        return new ConcurrentMapError(goMessage, me.getName(), otherName, detail);
    }

    // ---------------------------------------------------------------------------------------------------
    // Lookup: mapaccess1 / mapaccess2 / mapaccessK

    /**
     * Go's mapaccess2: the elem stored for {@code key}, or {@link #NOT_FOUND}. Allocates nothing, takes no lock.
     */
    Object mapaccess2(Object key) {
        if (count == 0) {
            return NOT_FOUND;
        }
        checkRead();
        long hash = hash(key, hash0);
        GoBuckets t = buckets;
        int b = (int) hash & t.mask;
        GoBuckets c = oldbuckets;
        if (c != null) {
            int oldb = (int) hash & c.mask; // half as many buckets, or as many in a same-size growth
            if (!evacuated(c, oldb)) {
                t = c;
                b = oldb;
            }
        }
        byte top = tophash(hash);
        byte[] tophash = t.tophash;
        Object[] slots = t.slots;
        // The tophash word first, then only the matching slot's key and elem, as Go does. An earlier version read
        // slot 0's key before the tophash word, so that the key line and the tophash line were fetched in
        // parallel: one lookup alone finished sooner (a chain of dependent lookups in a 1M-entry map: 329 against
        // 468 ns), but a loop of independent lookups, where the CPU overlaps several of them, ran slower (String
        // keys 123-139 against 139-155 ns, Integer 112-139 against 125-139, under ParallelGC and G1), and that
        // is how maps are read (PERFORMANCE.md, 7 Dec 2026, evening). A miss is one line cheaper as well.
        // A match above the lowest may be false (matchTophash); the byte is not compared again, as in GoLongMap:
        // such a slot's byte is top ^ 1, at least 4, so in a bucket a lookup reads (no evacuation marks) it is a
        // live slot holding another key, and the key comparison rejects it.
        for (; ; ) { // bucketloop: Go compares tophash[i] for i in 0..7; here all eight at once
            long word = tophashWord(tophash, b);
            for (long match = matchTophash(word, top); match != 0; match &= match - 1) {
                int i = firstSlot(match);
                int s = keyAt(b, i);
                Object k = slots[s];
                if (k == key || (key != null && key.equals(k))) {
                    return slots[s + 1];
                }
            }
            if (word >>> 56 == emptyRest) {
                // Slot 7 is emptyRest: nothing follows in this bucket or its overflow chain (Go's "break bucketloop").
                return NOT_FOUND;
            }
            b = t.overflow[b];
            if (b == 0) {
                return NOT_FOUND;
            }
        }
    }

    /**
     * Go's mapaccessK, for iterators: finds {@code key} and reports the stored key and elem into {@code it}.
     * Returns false if the key is absent. No check of hashWriting: the iterator checked it.
     */
    boolean mapaccessK(Object key, GoMapIterator it) {
        if (count == 0) {
            return false;
        }
        long hash = hash(key, hash0);
        int m = bucketMask(B);
        GoBuckets t = buckets;
        int b = (int) hash & m;
        GoBuckets c = oldbuckets;
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
        byte top = tophash(hash);
        for (; ; ) {
            for (int i = 0; i < bucketCnt; i++) {
                byte x = t.tophash[(b << bucketCntBits) + i];
                if (x != top) {
                    if (x == emptyRest) {
                        return false;
                    }
                    continue;
                }
                int s = keyAt(b, i);
                Object k = t.slots[s];
                if (k == key || (key != null && key.equals(k))) {
                    it.key = k;
                    it.elem = t.slots[s + 1];
                    return true;
                }
            }
            b = t.overflow[b];
            if (b == 0) {
                return false;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Insertion: mapassign

    /** mapassign mode: store unconditionally (put). */
    static final int ASSIGN = 0;
    /** mapassign mode: store only if the key is absent or mapped to null (putIfAbsent). */
    static final int ASSIGN_IF_ABSENT = 1;
    /** mapassign mode: store only if the key is present (replace, Entry.setValue); never inserts. */
    static final int ASSIGN_IF_PRESENT = 2;

    /**
     * Go's mapassign, which in Go returns the elem slot for the caller to fill; here it stores {@code elem}
     * itself. Returns the previous elem, or {@link #NOT_FOUND} if the key was absent.
     */
    Object mapassign(Object key, Object elem, int mode) {
        if ((flagsOpaque() & hashWriting) != 0) {
            throw concurrentError(ConcurrentMapError.CONCURRENT_MAP_WRITES);
        }
        long hash = hash(key, hash0);
        // Set hashWriting after calling hashCode(), since it may throw, in which case we have not written.
        setWriting();
        Object result;
        try {
            result = assignLocked(key, elem, mode, hash);
        } catch (RuntimeException | Error e) {
            abandonWriting();
            throw e;
        }
        clearWriting();
        return result;
    }

    /**
     * The body of mapassign, run while holding hashWriting. The two common cases are decided here from the first
     * bucket alone, when the map is not growing: an overwrite of a key found in the key's bucket, and an insertion
     * into a bucket with no tophash match that ends in emptyRest (so the key is absent from its whole chain) when
     * no growth is due, into the bucket's first empty slot. Everything else goes to Go's loop in
     * assignBucketLoop, which decides these two cases the same way. This method is small enough for C2 to inline
     * into put, where the loop is not, and folds the loop's two growth tests into one comparison (insertLimit):
     * with 1M keys, presized puts took 6-34% and overwrites 10-20% less time (PERFORMANCE.md, 7 Dec 2026, late
     * night). The mapscope agent's profile hooks this method by name for every put.
     */
    private Object assignLocked(Object key, Object elem, int mode, long hash) {
        GoBuckets t = buckets;
        if (t != null && oldbuckets == null) {
            int b = (int) hash & t.mask;
            byte top = tophash(hash);
            byte[] tophash = t.tophash;
            Object[] slots = t.slots;
            long word = tophashWord(tophash, b);
            long match = matchTophash(word, top);
            if (match == 0) {
                if (word >>> 56 == emptyRest && count < insertLimit && mode != ASSIGN_IF_PRESENT) {
                    int i = firstSlot(matchEmpty(word)); // slot 7 is empty, so there is one
                    int s = keyAt(b, i);
                    slots[s] = key;
                    slots[s + 1] = elem;
                    int ti = (b << bucketCntBits) + i;
                    tophash[ti] = top;
                    t.hashBits[ti] = GoBuckets.hashBitsOf(hash, t.B);
                    count++;
                    return NOT_FOUND;
                }
            } else {
                for (; match != 0; match &= match - 1) {
                    int i = firstSlot(match);
                    if (slotByte(word, i) != (top & 0xFF)) {
                        continue;
                    }
                    int s = keyAt(b, i);
                    Object k = slots[s];
                    if (k == key || (key != null && key.equals(k))) {
                        Object old = slots[s + 1];
                        if (mode != ASSIGN_IF_ABSENT || old == null) {
                            slots[s + 1] = elem;
                        }
                        return old;
                    }
                }
            }
        }
        return assignBucketLoop(key, elem, mode, hash);
    }

    /** Go's mapassign loop: overwrites, growth, overflow chains, a new table. */
    private Object assignBucketLoop(Object key, Object elem, int mode, long hash) {
        if (buckets == null) {
            buckets = new GoBuckets(0);
        }
        byte top = tophash(hash);
        for (; ; ) { // again:
            int bucket = (int) hash & bucketMask(B);
            if (growing()) {
                growWork(bucket);
            }
            GoBuckets t = buckets;
            byte[] tophash = t.tophash;
            Object[] slots = t.slots;
            int b = bucket;
            int insertb = -1;
            int inserti = 0;
            for (; ; ) { // bucketloop
                long word = tophashWord(tophash, b);
                for (long match = matchTophash(word, top); match != 0; match &= match - 1) {
                    int i = firstSlot(match);
                    if (slotByte(word, i) != (top & 0xFF)) {
                        continue;
                    }
                    int s = keyAt(b, i);
                    Object k = slots[s];
                    if (k != key && (key == null || !key.equals(k))) {
                        continue;
                    }
                    // Already have a mapping for key. Update it (Java keeps the original key object, as HashMap does).
                    Object old = slots[s + 1];
                    if (mode != ASSIGN_IF_ABSENT || old == null) {
                        slots[s + 1] = elem;
                    }
                    return old;
                }
                if (insertb < 0) {
                    // Go remembers the first empty slot (emptyOne or emptyRest) on its way through the chain.
                    long e = matchEmpty(word);
                    if (e != 0) {
                        insertb = b;
                        inserti = firstSlot(e);
                    }
                }
                if (word >>> 56 == emptyRest) {
                    break; // the rest of the chain is empty
                }
                int ovf = t.overflow[b];
                if (ovf == 0) {
                    break;
                }
                b = ovf;
            }

            // Did not find a mapping for key. Allocate a new slot and add the entry.
            if (mode == ASSIGN_IF_PRESENT) {
                return NOT_FOUND;
            }

            // If we hit the max load factor or we have too many overflow buckets, and we are not already in the
            // middle of growing, start growing.
            if (!growing() && ((B < maxB && overLoadFactor(count + 1L, B)) || tooManyOverflowBuckets(noverflow, B))) {
                hashGrow();
                continue; // Growing the table invalidates everything, so try again.
            }

            if (insertb < 0) {
                // The bucket and all its overflow buckets are full: chain a new one.
                insertb = newoverflow(t, b);
                inserti = 0;
            }
            int s = keyAt(insertb, inserti);
            t.slots[s] = key; // t's arrays, re-read: newoverflow may have replaced them
            t.slots[s + 1] = elem;
            int ti = (insertb << bucketCntBits) + inserti;
            t.tophash[ti] = top;
            t.hashBits[ti] = GoBuckets.hashBitsOf(hash, t.B);
            count++;
            return NOT_FOUND;
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Deletion: mapdelete

    /**
     * Go's mapdelete. Removes {@code key} if present and, when {@code matchElem} is set, only if its elem
     * equals {@code elem}. Returns the removed elem, or {@link #NOT_FOUND}.
     */
    Object mapdelete(Object key, boolean matchElem, Object elem) {
        if (count == 0) {
            return NOT_FOUND;
        }
        if ((flagsOpaque() & hashWriting) != 0) {
            throw concurrentError(ConcurrentMapError.CONCURRENT_MAP_WRITES);
        }
        long hash = hash(key, hash0);
        // Set hashWriting after calling hashCode(), since it may throw, in which case we have not written.
        setWriting();
        Object result;
        try {
            result = deleteLocked(key, matchElem, elem, hash);
        } catch (RuntimeException | Error e) {
            abandonWriting();
            throw e;
        }
        clearWriting();
        return result;
    }

    private Object deleteLocked(Object key, boolean matchElem, Object elem, long hash) {
        int bucket = (int) hash & bucketMask(B);
        if (growing()) {
            growWork(bucket);
        }
        GoBuckets t = buckets;
        byte[] tophash = t.tophash;
        Object[] slots = t.slots;
        int[] overflow = t.overflow;
        int b = bucket;
        final int bOrig = bucket;
        byte top = tophash(hash);
        for (; ; ) { // search:
            long word = tophashWord(tophash, b);
            for (long match = matchTophash(word, top); match != 0; match &= match - 1) {
                int i = firstSlot(match);
                if (slotByte(word, i) != (top & 0xFF)) {
                    continue;
                }
                int s = keyAt(b, i);
                Object k = slots[s];
                if (k != key && (key == null || !key.equals(k))) {
                    continue;
                }
                Object old = slots[s + 1];
                if (matchElem && !Objects.equals(old, elem)) {
                    return NOT_FOUND;
                }
                // Clear key and elem so that the collector can take them.
                slots[s] = null;
                slots[s + 1] = null;
                tophash[(b << bucketCntBits) + i] = emptyOne;
                // If the bucket now ends in a run of emptyOne states, change those to emptyRest states.
                boolean last;
                if (i == bucketCnt - 1) {
                    int ovf = overflow[b];
                    last = ovf == 0 || tophash[ovf << bucketCntBits] == emptyRest;
                } else {
                    last = tophash[(b << bucketCntBits) + i + 1] == emptyRest;
                }
                if (last) {
                    for (; ; ) {
                        tophash[(b << bucketCntBits) + i] = emptyRest;
                        if (i == 0) {
                            if (b == bOrig) {
                                break; // beginning of the initial bucket, we are done
                            }
                            // Find the previous bucket, continue at its last entry.
                            int c = b;
                            for (b = bOrig; overflow[b] != c; b = overflow[b]) {}
                            i = bucketCnt - 1;
                        } else {
                            i--;
                        }
                        if (tophash[(b << bucketCntBits) + i] != emptyOne) {
                            break;
                        }
                    }
                }
                count--;
                // Reset the hash seed to make it harder to trigger collisions repeatedly (Go issue 25237).
                if (count == 0) {
                    hash0 = ThreadLocalRandom.current().nextLong();
                }
                return old;
            }
            if (word >>> 56 == emptyRest) {
                return NOT_FOUND; // the rest of the chain is empty
            }
            b = overflow[b];
            if (b == 0) {
                return NOT_FOUND;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // mapclear

    /** Go's mapclear. Keeps the bucket array, empties it, redraws the seed. */
    void mapclear() {
        if (count == 0) {
            return;
        }
        if ((flagsOpaque() & hashWriting) != 0) {
            throw concurrentError(ConcurrentMapError.CONCURRENT_MAP_WRITES);
        }
        setWriting();
        // Mark buckets empty, so that running iterators end (Go issue 59411, fixed in Go 1.21).
        markBucketsEmpty(buckets);
        if (oldbuckets != null) {
            markBucketsEmpty(oldbuckets);
        }
        flags &= ~sameSizeGrow;
        oldbuckets = null;
        nevacuate = 0;
        noverflow = 0;
        updateInsertLimit();
        count = 0;
        // Reset the hash seed to make it harder to trigger collisions repeatedly (Go issue 25237).
        hash0 = ThreadLocalRandom.current().nextLong();
        // The array stays (Go's makeBucketArray with dirtyalloc): clear it, recovering the overflow buckets.
        buckets.reset();
        clearWriting();
    }

    private static void markBucketsEmpty(GoBuckets t) {
        java.util.Arrays.fill(t.tophash, (byte) emptyRest);
    }

    // ---------------------------------------------------------------------------------------------------
    // Growth: hashGrow, growWork, evacuate, advanceEvacuationMark

    void hashGrow() {
        // If we have hit the load factor, get bigger. Otherwise there are too many overflow buckets, so keep
        // the same number of buckets and "grow" laterally.
        int bigger = 1;
        if (B >= maxB || !overLoadFactor(count + 1L, B)) {
            bigger = 0;
            flags |= sameSizeGrow;
        }
        GoBuckets old = buckets;
        GoBuckets newbuckets = new GoBuckets(B + bigger, bigger == 1); // spare region sized for growth

        int f = flags & ~(iterator | oldIterator);
        if ((flags & iterator) != 0) {
            f |= oldIterator;
        }
        int oldB = B;
        // Commit the growth.
        B += bigger;
        flags = f; // plain: we hold hashWriting, and f carries it
        oldbuckets = old;
        buckets = newbuckets;
        nevacuate = 0;
        noverflow = 0;
        updateInsertLimit();
        // The actual copying of the table is done incrementally by growWork() and evacuate().
        GoGrowthListener l = growthListener;
        if (l != null) {
            l.growStarted(oldB, B, bigger == 0);
        }
    }

    /**
     * Old buckets that growWork evacuates in order (at nevacuate) per write in a large table, besides the one the
     * write needs; Go's growWork evacuates one, and so does this port while the old table has fewer than
     * {@link #inOrderFromBuckets} buckets. The old bucket a write needs is a random one: in a table larger than
     * the CPU caches its old and new lines are cache misses. One taken in order is the next in a row, whose lines
     * the hardware prefetcher has already fetched. With more taken in order the growth ends sooner, and writes
     * find their old bucket already evacuated more often: 1M Integer keys put into a growing map, 15-25% less
     * time per put (GOMAP.md). Every write still does a bounded amount of work.
     */
    static final int evacuateInOrder = 8;

    /** Old tables from this many buckets (about 110 KB of GoMap arrays) evacuate {@link #evacuateInOrder} per write. */
    static final int inOrderFromBuckets = 1 << 10;

    void growWork(int bucket) {
        // Make sure we evacuate the old bucket corresponding to the bucket we are about to use,
        evacuate(bucket & oldbucketmask());
        // and evacuate one more old bucket to make progress on growing (several in a large table, in order).
        int more = noldbuckets() >= inOrderFromBuckets ? evacuateInOrder : 1;
        for (int n = 0; n < more && growing(); n++) {
            evacuate(nevacuate);
        }
    }

    /**
     * Before a doubling moves old bucket {@code oldbucket}: hashes again each key of it (and of its overflow
     * chain) whose hashBits have no bit left, so that evacuate can read bit B of every hash. Done before anything
     * moves, so that a hashCode() that throws leaves the map as it was (the refreshed bytes are valid for the old
     * table). A key runs out only after seven doublings since it was last hashed: in a map grown from empty, the
     * keys put while it had fewer than 2^(B-7) buckets, once every seven doublings.
     */
    private void rehashSpentBits(GoBuckets old, int oldbucket) {
        byte[] top = old.tophash;
        byte[] bits = old.hashBits;
        for (int b = oldbucket; ; ) {
            for (int i = 0; i < bucketCnt; i++) {
                int ti = (b << bucketCntBits) + i;
                if ((bits[ti] & 0xFF) <= 1 && !isEmpty(top[ti])) {
                    bits[ti] = GoBuckets.hashBitsOf(hash(old.slots[keyAt(b, i)], hash0), old.B);
                }
            }
            b = old.overflow[b];
            if (b == 0) {
                return;
            }
        }
    }

    void evacuate(int oldbucket) {
        GoBuckets old = oldbuckets;
        int newbit = noldbuckets();
        if (!evacuated(old, oldbucket)) {
            boolean same = isSameSizeGrow();
            GoBuckets t = buckets;
            // x and y are the low and high evacuation destinations: bucket and next slot index.
            int xb = oldbucket;
            int xi = 0;
            int yb = oldbucket + newbit; // only used when growing bigger
            int yi = 0;
            int toX = 0;
            int toY = 0;
            byte[] otophash = old.tophash;
            Object[] oslots = old.slots;
            byte[] ohashBits = old.hashBits;
            if (!same) {
                rehashSpentBits(old, oldbucket);
            }
            for (int b = oldbucket; ; ) {
                for (int i = 0; i < bucketCnt; i++) {
                    int ti = (b << bucketCntBits) + i;
                    byte top = otophash[ti];
                    if (isEmpty(top)) {
                        otophash[ti] = evacuatedEmpty;
                        continue;
                    }
                    if ((top & 0xFF) < minTopHash) {
                        throw new IllegalStateException(
                                "bad map state: tophash " + (top & 0xFF) + " in old bucket " + b);
                    }
                    int s = keyAt(b, i);
                    Object k = oslots[s];
                    // The hash decides whether this entry goes to bucket x or bucket y: its bit B, the lowest kept in
                    // hashBits (rehashSpentBits left at least one), so the key object is not read.
                    int bits = ohashBits[ti] & 0xFF;
                    boolean useY = false;
                    if (!same) {
                        useY = (bits & 1) != 0;
                        bits >>>= 1;
                    }
                    otophash[ti] = (byte) (useY ? evacuatedY : evacuatedX);
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
                    int dti = (db << bucketCntBits) + di;
                    t.tophash[dti] = top;
                    t.hashBits[dti] = (byte) bits; // t's arrays, re-read: newoverflow may have replaced them
                    int ds = keyAt(db, di);
                    t.slots[ds] = k;
                    t.slots[ds + 1] = oslots[s + 1];
                }
                b = old.overflow[b];
                if (b == 0) {
                    break;
                }
            }
            // Unlink the overflow buckets and clear keys and elems to help the collector, unless an iterator may
            // still walk the old buckets. The tophash bytes stay: they hold the evacuation state.
            if ((flags & oldIterator) == 0) {
                for (int b = oldbucket; ; ) {
                    int from = keyAt(b, 0);
                    java.util.Arrays.fill(oslots, from, from + 2 * bucketCnt, null);
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
        // Go: "Experiments suggest that 1024 is overkill by at least an order of magnitude. Put it in there as a
        // safeguard anyway, to ensure O(1) behavior."
        int stop = nevacuate + 1024;
        if (stop > newbit) {
            stop = newbit;
        }
        while (nevacuate != stop && evacuated(oldbuckets, nevacuate)) {
            nevacuate++;
        }
        if (nevacuate == newbit) { // newbit == number of old buckets
            // Growing is all done. Drop the old bucket array; iterators still using it hold their own reference.
            oldbuckets = null;
            flags &= ~sameSizeGrow;
            GoGrowthListener l = growthListener;
            if (l != null) {
                l.growFinished(B);
            }
        }
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
        Object e = mapaccess2(key);
        return e == NOT_FOUND ? null : (V) e;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getOrDefault(Object key, V defaultValue) {
        Object e = mapaccess2(key);
        return e == NOT_FOUND ? defaultValue : (V) e;
    }

    @Override
    public boolean containsKey(Object key) {
        return mapaccess2(key) != NOT_FOUND;
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
    public V put(K key, V value) {
        Object old = mapassign(key, value, ASSIGN);
        return old == NOT_FOUND ? null : (V) old;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V putIfAbsent(K key, V value) {
        Object old = mapassign(key, value, ASSIGN_IF_ABSENT);
        return old == NOT_FOUND ? null : (V) old;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V replace(K key, V value) {
        Object old = mapassign(key, value, ASSIGN_IF_PRESENT);
        return old == NOT_FOUND ? null : (V) old;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V remove(Object key) {
        Object old = mapdelete(key, false, null);
        return old == NOT_FOUND ? null : (V) old;
    }

    @Override
    public boolean remove(Object key, Object value) {
        return mapdelete(key, true, value) != NOT_FOUND;
    }

    @Override
    public void clear() {
        mapclear();
    }

    /**
     * Calls {@code action} for each entry, in Go's random order. The action may modify the map (Go's rules
     * for modification during range apply); nothing is allocated per entry.
     */
    @Override
    @SuppressWarnings("unchecked")
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action);
        GoMapIterator it = new GoMapIterator(hmap());
        while (it.advance()) {
            action.accept((K) it.key, (V) it.elem);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function);
        GoMapIterator it = new GoMapIterator(hmap());
        while (it.advance()) {
            mapassign(it.key, function.apply((K) it.key, (V) it.elem), ASSIGN_IF_PRESENT);
        }
    }

    // compute, computeIfAbsent, computeIfPresent and merge are Map's defaults, built on get, containsKey, put
    // and remove. They keep their contracts for a map with null values, and they call the user's function
    // outside any write, so a function that uses this map on the same thread is not mistaken for a
    // concurrent writer.

    /**
     * Registers the listener that sees growth events (start, each evacuated bucket, end), or removes it with
     * {@code null}. With none registered each event costs a null check.
     */
    public void setGrowthListener(GoGrowthListener listener) {
        this.growthListener = listener;
    }

    /**
     * A read-only copy of the bucket structure: B, counts, growth state and every bucket's tophash bytes.
     * Counts as a read: it throws {@link ConcurrentMapError} if it sees a write in progress.
     */
    public GoMapSnapshot snapshot() {
        checkRead();
        return GoMapSnapshot.of(hmap());
    }

    /** Verifies every structural invariant; throws {@link AssertionError} naming the first one broken. For tests. */
    void checkInvariants() {
        GoMapInvariants.check(hmap(), "GoMap");
        int limit = insertLimit;
        updateInsertLimit();
        if (insertLimit != limit) {
            throw new AssertionError("GoMap: insertLimit " + limit + " is stale, B " + B + " and noverflow " + noverflow
                    + " give " + insertLimit);
        }
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
            return GoMap.this.flagsOpaque();
        }

        @Override
        void orFlagsAtomically(int bits) {
            GoMap.this.orFlagsAtomically(bits);
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
            return GoMap.this.concurrentError(goMessage);
        }

        @Override
        void take(GoTable t, int b, int i, GoMapIterator it) {
            Object[] slots = ((GoBuckets) t).slots;
            int s = keyAt(b, i);
            it.key = slots[s];
            it.elem = slots[s + 1];
        }

        @Override
        boolean mapaccessK(GoTable t, int b, int i, GoMapIterator it) {
            return GoMap.this.mapaccessK(t.boxedKey(b, i), it);
        }

        @Override
        Object lookup(GoTable t, int b, int i) {
            return mapaccess2(t.boxedKey(b, i));
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Views

    @Override
    public Set<K> keySet() {
        Set<K> ks = keySet;
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

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        Set<Map.Entry<K, V>> es = entrySet;
        if (es == null) {
            es = new EntrySet();
            entrySet = es;
        }
        return es;
    }

    /** Base of the view iterators: Go's hiter plus Java's hasNext/next/remove protocol. */
    private abstract class ViewIterator<T> implements Iterator<T> {
        final GoMapIterator it = new GoMapIterator(hmap());
        /** Whether it holds the next entry, already fetched by hasNext(). */
        boolean fetched;

        boolean hasEntry;
        Object lastKey;
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
            lastKey = it.key;
            canRemove = true;
        }

        @Override
        public void remove() {
            if (!canRemove) {
                throw new IllegalStateException("remove() needs a preceding next(), and only one per next()");
            }
            canRemove = false;
            mapdelete(lastKey, false, null);
        }
    }

    private final class KeyIterator extends ViewIterator<K> {
        @Override
        @SuppressWarnings("unchecked")
        public K next() {
            step();
            return (K) it.key;
        }
    }

    private final class ValueIterator extends ViewIterator<V> {
        @Override
        @SuppressWarnings("unchecked")
        public V next() {
            step();
            return (V) it.elem;
        }
    }

    private final class EntryIterator extends ViewIterator<Map.Entry<K, V>> {
        @Override
        @SuppressWarnings("unchecked")
        public Map.Entry<K, V> next() {
            step();
            return new Entry((K) it.key, (V) it.elem);
        }
    }

    /** An entry handed out by the entry set; setValue writes through while the key is in the map. */
    private final class Entry extends AbstractMap.SimpleEntry<K, V> {
        private static final long serialVersionUID = 1L;

        Entry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            V old = super.setValue(value);
            mapassign(getKey(), value, ASSIGN_IF_PRESENT);
            return old;
        }
    }

    private final class KeySet extends AbstractSet<K> {
        @Override
        public Iterator<K> iterator() {
            return new KeyIterator();
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
            return mapdelete(o, false, null) != NOT_FOUND;
        }

        @Override
        public void clear() {
            mapclear();
        }
    }

    private final class Values extends AbstractCollection<V> {
        @Override
        public Iterator<V> iterator() {
            return new ValueIterator();
        }

        @Override
        public int size() {
            return count;
        }

        @Override
        public boolean contains(Object o) {
            return containsValue(o);
        }

        @Override
        public void clear() {
            mapclear();
        }
    }

    private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return new EntryIterator();
        }

        @Override
        public int size() {
            return count;
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            Object v = mapaccess2(e.getKey());
            return v != NOT_FOUND && Objects.equals(v, e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            if (!(o instanceof Map.Entry)) {
                return false;
            }
            Map.Entry<?, ?> e = (Map.Entry<?, ?>) o;
            return mapdelete(e.getKey(), true, e.getValue()) != NOT_FOUND;
        }

        @Override
        public void clear() {
            mapclear();
        }
    }
}
