package dev.mapscope.maps;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * A concurrent map for two workloads: keys that are written once and then read many times (a cache that only
 * grows), and threads that read, write and overwrite disjoint sets of keys. It is Go's {@code sync.Map} (Go 1.20)
 * as a {@link java.util.concurrent.ConcurrentMap}. In those two workloads reads, and overwrites of keys that are
 * already present, take no lock and allocate nothing.
 *
 * <p><b>When not to use it.</b> Workloads that keep adding new keys, or that delete and re-add keys, send every
 * such write through one mutex and periodically copy the whole map; there {@link ShardedMap} or
 * {@link java.util.concurrent.ConcurrentHashMap} is faster. Like Go's documentation says of {@code sync.Map}: it
 * is specialized; most code is better served by an ordinary map behind a lock ({@link RwLockMap}) or by
 * {@code ConcurrentHashMap}, which also keep other invariants easier to maintain.
 *
 * <p><b>Go's operations, Java names.</b> {@link #load}, {@link #store}, {@link #loadOrStore}, {@link #loadAndDelete},
 * {@link #delete}, {@link #swap}, {@link #compareAndSwap}, {@link #compareAndDelete} and {@link #range} are Go's
 * {@code Load}, {@code Store}, {@code LoadOrStore}, ... ; "absent" is {@code null} (Go's {@code ok == false}).
 * They are also reachable through the {@code ConcurrentMap} methods: {@code get} is {@code load}, {@code put} is
 * {@code swap}, {@code putIfAbsent} is {@code loadOrStore} that returns {@code null} when it stored,
 * {@code remove(key)} is {@code loadAndDelete}, {@code replace(k, old, new)} is {@code compareAndSwap} and
 * {@code remove(k, v)} is {@code compareAndDelete}. Values are compared with {@code equals}, as Go compares
 * interface values with {@code ==}.
 *
 * <p><b>Nulls.</b> Keys and values must not be {@code null} ({@link NullPointerException}), as in
 * {@code ConcurrentHashMap}: {@code null} is the answer "absent".
 *
 * <p><b>Thread safety.</b> Every method may be called from any thread without outside locking.
 * {@code get}, {@code containsKey}, {@code put}, {@code putIfAbsent}, {@code remove}, {@code replace} and the Go
 * operations above are <em>linearizable</em>: each takes effect at one instant between its call and its return.
 * {@code computeIfAbsent}, {@code computeIfPresent}, {@code compute}, {@code merge} and {@code replaceAll} are
 * {@code ConcurrentMap}'s retry loops over those atomic operations: each result is installed atomically (the
 * call is linearizable), but the function may be called more than once when another thread changes the same
 * key, and it is never called while a lock is held, so it may use the map. {@code size}, {@code isEmpty},
 * {@code containsValue}, {@code clear}, iteration, {@code forEach}, {@code range}, {@code equals},
 * {@code hashCode} and {@code toString} are <em>weakly consistent</em>: they visit each key at most once and
 * reflect each key's value at some instant during the call, not a snapshot of the whole map; {@code size} is
 * O(n); {@code clear} deletes key by key.
 */
public final class SyncMap<K, V> extends AbstractSafeMap<K, V> {
    /*
     * How it works (the design of Go's sync/map.go, Go 1.20; names kept so a reader can compare).
     *
     * Two tables share entry objects. `read` is an immutable snapshot, replaced as a whole through an atomic
     * reference: lookups in it take no lock (see ReadOnly for why it is not a HashMap). `dirty` holds every live key, including the ones not yet in `read`,
     * and is only touched under `mu`. An Entry is a box for one key's value, updated by CAS, so overwriting a
     * key that `read` already has is a lock-free CAS, and both maps see the new value at once.
     *
     * A lookup that misses `read` while `read.amended` (dirty has keys read lacks) locks `mu`, consults `dirty`
     * and counts a miss; once the misses reach the size of `dirty`, the cost of copying has been paid for and
     * `dirty` is promoted to be the new `read` (missLocked), and `dirty` becomes null. The next new key copies
     * `read` into a fresh `dirty` (dirtyLocked), skipping deleted entries: those are marked EXPUNGED, meaning
     * "deleted, and absent from dirty". A write that finds an expunged entry in `read` must first put it back
     * into `dirty` under `mu` (unexpungeLocked), so a key present in `read` is always either in `dirty` with the
     * same Entry or expunged; a second Entry for one key never exists.
     *
     * Entry.p states (Go's entry.p; we store the value itself, as values are never null):
     *   null      deleted; if dirty != null the entry is in dirty too.
     *   EXPUNGED  deleted, dirty != null, and the entry is not in dirty.
     *   a value   live; in read's table if the key is in read, and in dirty if dirty != null.
     *
     * Memory ordering: Go's atomics are sequentially consistent, and so is every access here that happens
     * outside `mu` (volatile loads, CAS, volatile stores). HotSpot compiles a volatile load to the same
     * instruction as an acquire load on x86 (mov) and AArch64 (ldar), so the hot path pays nothing for the
     * stronger mode; the volatile stores of `read` are rare (under mu, once per promotion or per first new key).
     */

    /** Entry.p of a deleted entry that is not in {@code dirty}: Go's {@code expunged}. Never a user value. */
    private static final Object EXPUNGED = new Object();

    private static final ReadOnly<?, ?> EMPTY = new ReadOnly<>(new Entry[1], false);

    private static final VarHandle READ;
    private static final VarHandle P;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            READ = lookup.findVarHandle(SyncMap.class, "read", ReadOnly.class);
            P = lookup.findVarHandle(Entry.class, "p", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Guards {@link #dirty} and {@link #misses}, and every store of {@link #read}. Go's {@code mu}. */
    private final ReentrantLock mu = new ReentrantLock();

    /**
     * The lock-free part: loaded with a volatile read by any thread ({@link #loadReadOnly}), stored (volatile)
     * only under {@link #mu}. The table inside is never modified once published here. {@code null} until the
     * first write, read as {@link #EMPTY}.
     */
    @SuppressWarnings("unused") // accessed through READ
    private ReadOnly<K, V> read;

    /**
     * Every live key (entries shared with read's table), plus keys added since the last promotion; null after
     * a promotion until the next new key. Only read or written under {@link #mu}.
     */
    private SyncMapTable dirty;

    /** Lookups since the last promotion that had to lock {@link #mu} to answer; under {@link #mu}. */
    private int misses;

    /** Creates an empty map. */
    public SyncMap() {}

    /**
     * Go's {@code readOnly}: an immutable map plus whether {@code dirty} holds keys that it lacks.
     *
     * <p>Go's read map is a Go map of {@code *entry}. Here it is an open-addressed table of the entries
     * themselves (linear probing, at most a quarter full), never changed once it is read's: a
     * lookup is then table slot → entry → value, the same chain of loads as in ConcurrentHashMap, where a
     * HashMap of entries would add its own node in between. {@code dirty} is a table of the same format
     * ({@link SyncMapTable}), so a promotion hands dirty's array over, O(1) as in Go.
     */
    private static final class ReadOnly<K, V> {
        /** Length a power of two, at least one slot always null (so probing ends); never written after build. */
        final Entry[] table;

        final boolean amended;

        ReadOnly(Entry[] table, boolean amended) {
            this.table = table;
            this.amended = amended;
        }

        /** The entry of {@code key}, or null. No lock, no allocation. */
        Entry get(Object key) {
            return SyncMapTable.find(table, key);
        }
    }

    /**
     * The table hash: the key's hash code times 2^32/φ (Knuth's multiplicative hashing), the high half folded
     * onto the low half. Linear probing needs every key bit to reach the low bits that pick the slot, or keys
     * that differ only in high bits pile up in one cluster; the product's high half depends on all of them.
     */
    static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** Go's {@code entry}: one key's slot, shared by read's table and {@code dirty}. */
    static final class Entry {
        /** The key, for the read table (which stores entries, not key/entry pairs). */
        final Object key;

        /** {@code spread(key.hashCode())}, computed once. */
        final int hash;

        /** null, EXPUNGED or the value; see the state table above. Accessed only through {@link #P}. */
        @SuppressWarnings("unused")
        private Object p;

        Entry(Object key, Object value) {
            this.key = key;
            this.hash = spread(key.hashCode());
            // Plain store: the entry is published by its addition to dirty under mu (readers reach it only after
            // unlocking mu or through a volatile store of read).
            P.set(this, value);
        }

        /** The value, or null when deleted or expunged. Go's {@code entry.load}. */
        Object load() {
            Object p = P.getVolatile(this); // volatile: pairs with the CAS that stored the value (Go: atomic Load)
            return p == null || p == EXPUNGED ? null : p;
        }

        /** Go's {@code tryCompareAndSwap}: false if absent, expunged or not equal to {@code old}. */
        boolean tryCompareAndSwap(Object old, Object value) {
            Object p = P.getVolatile(this); // volatile: the witness for the CAS below
            if (p == null || p == EXPUNGED || !(p == old || old.equals(p))) {
                return false;
            }
            for (; ; ) {
                if (P.compareAndSet(
                        this, p, value)) { // CAS by identity on the witnessed value, as Go CASes the pointer
                    return true;
                }
                p = P.getVolatile(this); // volatile: re-read after a lost race
                if (p == null || p == EXPUNGED || !(p == old || old.equals(p))) {
                    return false;
                }
            }
        }

        /** Go's {@code unexpungeLocked}: true if it was expunged; the caller must then add it to dirty. */
        boolean unexpungeLocked() {
            return P.compareAndSet(this, EXPUNGED, null); // CAS: lock-free writers race on p even under mu
        }

        /** Go's {@code swapLocked}: the entry is known not to be expunged (we hold mu). Returns the old value. */
        Object swapLocked(Object value) {
            return P.getAndSet(this, value); // atomic swap: lock-free CASes may race with us
        }

        /**
         * Go's {@code tryLoadOrStore}: the present value (loaded), {@code null} (stored {@code value}), or
         * {@link #EXPUNGED} (left unchanged; the caller must retry under mu).
         */
        Object tryLoadOrStore(Object value) {
            Object p = P.getVolatile(this); // volatile: Go's atomic Load
            if (p == EXPUNGED) {
                return EXPUNGED;
            }
            if (p != null) {
                return p;
            }
            for (; ; ) {
                if (P.compareAndSet(this, null, value)) { // CAS: only a deleted (null) slot may be filled
                    return null;
                }
                p = P.getVolatile(this); // volatile: re-read after a lost race
                if (p == EXPUNGED) {
                    return EXPUNGED;
                }
                if (p != null) {
                    return p;
                }
            }
        }

        /** Go's {@code entry.delete}: the deleted value, or null if there was none. */
        Object delete() {
            for (; ; ) {
                Object p = P.getVolatile(this); // volatile: the witness for the CAS below
                if (p == null || p == EXPUNGED) {
                    return null;
                }
                if (P.compareAndSet(this, p, null)) { // CAS: leaves EXPUNGED to tryExpungeLocked, never sets it
                    return p;
                }
            }
        }

        /** Go's {@code trySwap}: the previous value (null if deleted), or EXPUNGED if it left the entry alone. */
        Object trySwap(Object value) {
            for (; ; ) {
                Object p = P.getVolatile(this); // volatile: the witness for the CAS below
                if (p == EXPUNGED) {
                    return EXPUNGED;
                }
                if (P.compareAndSet(this, p, value)) { // CAS: must not overwrite EXPUNGED set meanwhile
                    return p;
                }
            }
        }

        /** Replaces a present value (Java's {@code replace(k, v)}; Go has none): the old value or null. */
        Object tryReplace(Object value) {
            for (; ; ) {
                Object p = P.getVolatile(this); // volatile: the witness for the CAS below
                if (p == null || p == EXPUNGED) {
                    return null;
                }
                if (P.compareAndSet(this, p, value)) { // CAS: a concurrent delete makes us retry and see null
                    return p;
                }
            }
        }

        /** Go's {@code tryExpungeLocked}: marks a deleted entry EXPUNGED; true if it is (now) expunged. */
        boolean tryExpungeLocked() {
            Object p = P.getVolatile(this); // volatile: lock-free writers may be filling the slot right now
            while (p == null) {
                if (P.compareAndSet(this, null, EXPUNGED)) { // CAS: loses to a concurrent tryLoadOrStore/trySwap
                    return true;
                }
                p = P.getVolatile(this);
            }
            return p == EXPUNGED;
        }
    }

    /** Go's {@code loadReadOnly}, for callers that do not hold {@link #mu}. */
    @SuppressWarnings("unchecked")
    private ReadOnly<K, V> loadReadOnly() {
        ReadOnly<K, V> r = (ReadOnly<K, V>) READ.getVolatile(this); // volatile: publishes the immutable table
        return r != null ? r : (ReadOnly<K, V>) EMPTY;
    }

    /** {@link #read} for callers holding {@link #mu}: it is only stored under mu, so a plain load is current. */
    @SuppressWarnings("unchecked")
    private ReadOnly<K, V> loadReadOnlyLocked() {
        ReadOnly<K, V> r = (ReadOnly<K, V>) READ.get(this); // plain: mu orders every store of read before us
        return r != null ? r : (ReadOnly<K, V>) EMPTY;
    }

    /** Go's {@code Load}: the value for {@code key}, or {@code null} if absent. Lock-free on a hit in read. */
    @SuppressWarnings("unchecked")
    public V load(Object key) {
        Objects.requireNonNull(key, "key");
        // Hot path: no lock, no allocation, no lambda.
        ReadOnly<K, V> read = loadReadOnly();
        Entry e = read.get(key);
        if (e == null && read.amended) {
            mu.lock();
            try {
                // Avoid reporting a spurious miss if dirty got promoted while we were blocked on mu.
                read = loadReadOnlyLocked();
                e = read.get(key);
                if (e == null && read.amended) {
                    e = dirty.get(key);
                    // Count a miss whether or not the key was found: it takes the slow path until promoted.
                    missLocked();
                }
            } finally {
                mu.unlock();
            }
        }
        return e == null ? null : (V) e.load();
    }

    /** Go's {@code Store}: sets the value for {@code key}. */
    public void store(K key, V value) {
        swap(key, value);
    }

    /** Go's {@code Swap}: sets the value for {@code key} and returns the previous value, or {@code null}. */
    @SuppressWarnings("unchecked")
    public V swap(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        ReadOnly<K, V> read = loadReadOnly();
        Entry e = read.get(key);
        if (e != null) {
            Object previous = e.trySwap(value);
            if (previous != EXPUNGED) {
                return (V) previous;
            }
        }
        Object previous = null;
        mu.lock();
        try {
            read = loadReadOnlyLocked();
            e = read.get(key);
            if (e != null) {
                if (e.unexpungeLocked()) {
                    // The entry was expunged, so dirty != null and it is not in dirty: put it back.
                    dirty.add(e);
                }
                previous = e.swapLocked(value);
            } else if (dirty != null && (e = dirty.get(key)) != null) {
                previous = e.swapLocked(value);
            } else {
                if (!read.amended) {
                    // The first new key since the last promotion: make dirty and mark read incomplete.
                    dirtyLocked();
                    READ.setVolatile(
                            this, new ReadOnly<>(read.table, true)); // volatile: lock-free readers must see amended
                }
                dirty.add(new Entry(key, value));
            }
        } finally {
            mu.unlock();
        }
        return (V) previous;
    }

    /**
     * Go's {@code LoadOrStore}: the present value for {@code key} if there is one, otherwise stores
     * {@code value} and returns it. Use {@link #putIfAbsent} to learn which happened.
     */
    public V loadOrStore(K key, V value) {
        V present = putIfAbsent(key, value);
        return present != null ? present : value;
    }

    /** Go's {@code LoadOrStore} with Java's answer: the present value, or {@code null} if it stored {@code value}. */
    @Override
    @SuppressWarnings("unchecked")
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        // Avoid locking if it's a clean hit.
        ReadOnly<K, V> read = loadReadOnly();
        Entry e = read.get(key);
        if (e != null) {
            Object actual = e.tryLoadOrStore(value);
            if (actual != EXPUNGED) {
                return (V) actual;
            }
        }
        Object actual;
        mu.lock();
        try {
            read = loadReadOnlyLocked();
            e = read.get(key);
            if (e != null) {
                if (e.unexpungeLocked()) {
                    dirty.add(e);
                }
                actual = e.tryLoadOrStore(value); // cannot be EXPUNGED: only code holding mu expunges
            } else if (dirty != null && (e = dirty.get(key)) != null) {
                actual = e.tryLoadOrStore(value);
                missLocked();
            } else {
                if (!read.amended) {
                    dirtyLocked();
                    READ.setVolatile(this, new ReadOnly<>(read.table, true)); // volatile: as in swap
                }
                dirty.add(new Entry(key, value));
                actual = null;
            }
        } finally {
            mu.unlock();
        }
        return (V) actual;
    }

    /** Go's {@code LoadAndDelete}: deletes {@code key} and returns its previous value, or {@code null}. */
    @SuppressWarnings("unchecked")
    public V loadAndDelete(Object key) {
        Objects.requireNonNull(key, "key");
        ReadOnly<K, V> read = loadReadOnly();
        Entry e = read.get(key);
        if (e == null && read.amended) {
            mu.lock();
            try {
                read = loadReadOnlyLocked();
                e = read.get(key);
                if (e == null && read.amended) {
                    e = dirty.remove(key);
                    // Count a miss: this key takes the slow path until dirty is promoted.
                    missLocked();
                }
            } finally {
                mu.unlock();
            }
        }
        return e == null ? null : (V) e.delete();
    }

    /** Go's {@code Delete}. */
    public void delete(Object key) {
        loadAndDelete(key);
    }

    /**
     * Go's {@code CompareAndSwap}: sets {@code key} to {@code value} if its present value equals {@code old}.
     * Returns false if the key is absent.
     */
    public boolean compareAndSwap(K key, V old, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(old, "old");
        Objects.requireNonNull(value, "value");
        ReadOnly<K, V> read = loadReadOnly();
        Entry e = read.get(key);
        if (e != null) {
            return e.tryCompareAndSwap(old, value);
        } else if (!read.amended) {
            return false; // no value for key
        }
        mu.lock();
        try {
            read = loadReadOnlyLocked();
            e = read.get(key);
            if (e != null) {
                return e.tryCompareAndSwap(old, value);
            } else if ((e = dirty != null ? dirty.get(key) : null) != null) {
                boolean swapped = e.tryCompareAndSwap(old, value);
                // The key set did not change, so promoting dirty would make this key cheaper: count a miss.
                missLocked();
                return swapped;
            }
            return false;
        } finally {
            mu.unlock();
        }
    }

    /** Go's {@code CompareAndDelete}: deletes {@code key} if its present value equals {@code old}. */
    public boolean compareAndDelete(Object key, Object old) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(old, "old");
        ReadOnly<K, V> read = loadReadOnly();
        Entry e = read.get(key);
        if (e == null && read.amended) {
            mu.lock();
            try {
                read = loadReadOnlyLocked();
                e = read.get(key);
                if (e == null && read.amended) {
                    // Keep the entry in dirty: the "compare" is still to do; a deleted entry is expunged when
                    // dirty is promoted and copied again.
                    e = dirty.get(key);
                    missLocked();
                }
            } finally {
                mu.unlock();
            }
        }
        while (e != null) {
            Object p = P.getVolatile(e); // volatile: the witness for the CAS below
            if (p == null || p == EXPUNGED || !(p == old || old.equals(p))) {
                return false;
            }
            if (P.compareAndSet(e, p, null)) { // CAS by identity on the witnessed value
                return true;
            }
        }
        return false;
    }

    /**
     * Go's {@code Range}: calls {@code f} for each key and value until it returns false. Weakly consistent: no
     * key is visited twice, but a key stored or deleted during the call may or may not be seen. {@code f} may
     * call any method of this map. O(n) even if {@code f} stops early (it may promote dirty first).
     */
    @SuppressWarnings("unchecked")
    public void range(BiPredicate<? super K, ? super V> f) {
        Objects.requireNonNull(f, "f");
        for (Entry e : promoteForRange().table) {
            Object v = e == null ? null : e.load();
            if (v == null) {
                continue;
            }
            if (!f.test((K) e.key, (V) v)) {
                break;
            }
        }
    }

    /**
     * The read map with every live key: if read is amended, dirty is promoted first (Range does the same, since
     * the walk is O(n) anyway and the promotion amortizes into it).
     */
    private ReadOnly<K, V> promoteForRange() {
        ReadOnly<K, V> read = loadReadOnly();
        if (read.amended) {
            mu.lock();
            try {
                read = loadReadOnlyLocked();
                if (read.amended) {
                    read = new ReadOnly<>(dirty.handOver(), false);
                    READ.setVolatile(this, read); // volatile: publishes dirty to lock-free readers
                    dirty = null;
                    misses = 0;
                }
            } finally {
                mu.unlock();
            }
        }
        return read;
    }

    /** Go's {@code missLocked}: counts a slow lookup; promotes dirty once the misses have paid for a copy. */
    private void missLocked() {
        misses++;
        // One departure from Go: while read has never held an entry (a map filled since it was made), the first
        // miss promotes. Go waits for len(dirty) misses, and each of them takes mu: after a fill of n keys the
        // first n lookups of all threads serialize on the mutex (two threads on a fresh 65,536-key map spent
        // most of a 256k-operation round there; docs/SAFE-MAPS.md has the numbers). Promoting costs no more than
        // in Go (dirty's table is handed over); after it, read is never empty again, and Go's rule applies.
        if (misses < dirty.size() && loadReadOnlyLocked().table != EMPTY.table) {
            return;
        }
        READ.setVolatile(this, new ReadOnly<>(dirty.handOver(), false)); // volatile: publishes the table
        dirty = null;
        misses = 0;
    }

    /** Go's {@code dirtyLocked}: creates dirty as a copy of read without its deleted entries (expunging them). */
    private void dirtyLocked() {
        if (dirty != null) {
            return;
        }
        ReadOnly<K, V> read = loadReadOnlyLocked();
        dirty = new SyncMapTable(read.table.length); // as many slots: the copy holds at most as many entries
        for (Entry e : read.table) {
            if (e != null && !e.tryExpungeLocked()) {
                dirty.add(e);
            }
        }
    }

    // ---- ConcurrentMap, on top of Go's operations ----

    @Override
    public V get(Object key) {
        return load(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return load(key) != null;
    }

    @Override
    public V put(K key, V value) {
        return swap(key, value);
    }

    @Override
    public V remove(Object key) {
        return loadAndDelete(key);
    }

    @Override
    public boolean remove(Object key, Object value) {
        Objects.requireNonNull(key, "key");
        if (value == null) {
            return false;
        }
        return compareAndDelete(key, value);
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return compareAndSwap(key, oldValue, newValue);
    }

    /** Sets {@code key} to {@code value} only if present (Java's operation; Go has none): the old value or null. */
    @Override
    @SuppressWarnings("unchecked")
    public V replace(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        ReadOnly<K, V> read = loadReadOnly();
        Entry e = read.get(key);
        if (e != null) {
            return (V) e.tryReplace(value);
        } else if (!read.amended) {
            return null;
        }
        mu.lock();
        try {
            read = loadReadOnlyLocked();
            e = read.get(key);
            if (e == null && (e = dirty != null ? dirty.get(key) : null) != null) {
                missLocked(); // as compareAndSwap: the key set did not change
            }
        } finally {
            mu.unlock();
        }
        return e == null ? null : (V) e.tryReplace(value);
    }

    /** Weakly consistent and O(n): counts the live entries (Go's sync.Map has no Len). */
    @Override
    public int size() {
        int n = 0;
        for (Entry e : promoteForRange().table) {
            if (e != null && e.load() != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean isEmpty() {
        for (Entry e : promoteForRange().table) {
            if (e != null && e.load() != null) {
                return false;
            }
        }
        return true;
    }

    /** Weakly consistent: deletes key by key; a key stored concurrently may survive. */
    @Override
    public void clear() {
        for (Entry e : promoteForRange().table) {
            if (e != null) {
                loadAndDelete(e.key);
            }
        }
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        range((k, v) -> {
            action.accept(k, v);
            return true;
        });
    }

    /** Weakly consistent, as {@link #range}: walks the read map after promoting dirty. */
    @Override
    Iterator<Map.Entry<K, V>> entryIterator() {
        Entry[] table = promoteForRange().table;
        return new Iterator<>() {
            private int i;
            private Map.Entry<K, V> next = advance();

            @SuppressWarnings("unchecked")
            private Map.Entry<K, V> advance() {
                while (i < table.length) {
                    Entry e = table[i++];
                    Object v = e == null ? null : e.load();
                    if (v != null) {
                        return new AbstractMap.SimpleImmutableEntry<>((K) e.key, (V) v);
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Map.Entry<K, V> next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                Map.Entry<K, V> e = next;
                next = advance();
                return e;
            }
        };
    }
}
