package dev.mapscope.maps;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One shard of a {@link ShardedMap}: an open-addressing hash table behind a {@link StampedLock}, whose lookups
 * are optimistic reads that write no shared memory. Writes hold the write lock; a compute function runs under
 * it, may read this shard, and a write to this shard from inside it throws
 * {@link ConcurrentModificationException} once the function returns, the inner write kept and the function's
 * result dropped (what a HashMap behind a reentrant lock does, as in {@link RwLockMap}).
 */
final class ShardTable<K, V> {
    /*
     * Why not a HashMap behind a read-write lock (RwLockMap, which this replaced as the shard): taking a read
     * lock is a CAS on the lock's state, a write to a cache line that every reader of the shard shares, so two
     * cores reading the same shard pass that line back and forth on every get. A StampedLock optimistic read
     * only loads the state before and after the lookup; if no write lock was taken in between (validate), what
     * was read is consistent and happens-after the last write (StampedLock's memory-effects contract). The
     * lookup itself may run while a writer changes the table, so it must be safe on any racy view: it reads only
     * the array it loaded (replaced whole, never shrunk in place), stops after at most capacity probes, and an
     * exception from a key's equals() on a half-seen entry sends it to the read lock. HashMap's own get is not
     * safe that way (a racy view of a tree bin's parent links can loop forever), hence this table.
     *
     * Layout: table[2i] is a key, table[2i+1] its value; null key = never used (ends a probe), TOMBSTONE =
     * removed (a probe continues). Linear probing, at most half full counting tombstones, so a probe is short.
     * Fields other than the lock are written only under the write lock; readers load them plainly (racy, made
     * safe by validate) or under the read lock.
     */

    /** Key of a removed slot: probes pass over it; reused by inserts. Never a user key. */
    private static final Object TOMBSTONE = new Object();

    private static final int MIN_CAPACITY = 8;

    /**
     * The table of every shard that holds no entry: all slots never used. Never written: insertLocked replaces it
     * with a table of the shard's own before it stores the first entry, so that an empty map's shards cost no
     * table each.
     */
    private static final Object[] EMPTY = new Object[2 * MIN_CAPACITY];

    private final StampedLock lock = new StampedLock();
    /** Key/value pairs; length 2 × a power of two. Replaced, never resized in place. */
    private Object[] table = EMPTY;
    /** Live entries. */
    private int size;
    /** Live entries plus tombstones: the probe load. */
    private int used;
    /** Structural changes (insert, remove, clear), to detect a write from inside a compute function. */
    private int modCount;
    /** The thread holding the write lock, or null; plain: a thread only ever compares it with itself. */
    private Thread owner;

    /**
     * Slot hash of a key's {@code hashCode()}: the high half folded onto the low bits that pick the slot
     * (ShardedMap picks the shard from the top bits of another product). The operations take the key's
     * {@code hashCode()} from ShardedMap, which calls it once for both: where a map's call site has met many key
     * classes it is a virtual call, not inlined.
     */
    static int spread(int hashCode) {
        int h = hashCode * 0x85EBCA6B;
        return h ^ (h >>> 15);
    }

    /** The value of {@code key} in {@code t}, or null. Safe on a racy view: bounded, reads only {@code t}. */
    private static Object find(Object[] t, Object key, int h) {
        int mask = (t.length >> 1) - 1;
        for (int i = h & mask, n = 0; n <= mask; i = (i + 1) & mask, n++) {
            Object k = t[2 * i];
            if (k == null) {
                return null;
            }
            if (k == key || (k != TOMBSTONE && key.equals(k))) {
                return t[2 * i + 1];
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    V get(Object key, int hashCode) {
        int h = spread(hashCode);
        long stamp = lock.tryOptimisticRead(); // no write: the state is only loaded
        if (stamp != 0L) {
            try {
                Object v = find(table, key, h); // plain, racy reads; trusted only if validate passes
                if (lock.validate(stamp)) { // load fence, then the state again: no writer came in between
                    return (V) v;
                }
            } catch (RuntimeException e) {
                // equals() of a key seen half-written by a concurrent writer: retry under the read lock
            }
        }
        if (owner == Thread.currentThread()) {
            return (V) find(table, key, h); // inside our own compute function: we hold the write lock
        }
        stamp = lock.readLock();
        try {
            return (V) find(table, key, h);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    int size() {
        long stamp = lock.tryOptimisticRead();
        int n = size;
        if (stamp != 0L && lock.validate(stamp)) {
            return n;
        }
        if (owner == Thread.currentThread()) {
            return size;
        }
        stamp = lock.readLock();
        try {
            return size;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    private long lockForWrite() {
        if (owner == Thread.currentThread()) {
            return 0L; // a write from inside our own compute function: reported by the function's caller
        }
        long stamp = lock.writeLock(); // never 0
        owner = Thread.currentThread();
        return stamp;
    }

    private void unlockWrite(long stamp) {
        if (stamp != 0L) {
            owner = null;
            lock.unlockWrite(stamp);
        }
    }

    /** Slot of {@code key}, or -1 - (the slot to insert it at). Under the write lock. */
    private int slotLocked(Object key, int h) {
        Object[] t = table;
        int mask = (t.length >> 1) - 1;
        int free = -1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Object k = t[2 * i];
            if (k == null) {
                return -1 - (free >= 0 ? free : i);
            }
            if (k == TOMBSTONE) {
                if (free < 0) {
                    free = i;
                }
            } else if (k == key || key.equals(k)) {
                return i;
            }
        }
    }

    /** Stores a new entry at the insert slot from slotLocked, growing or compacting the table first if needed. */
    private void insertLocked(Object key, int h, Object value, int insertAt) {
        Object[] t = table;
        if (t == EMPTY) {
            table = t = new Object[2 * MIN_CAPACITY]; // same length, so insertAt stands
        }
        int capacity = t.length >> 1;
        if (t[2 * insertAt] == null && 2 * (used + 1) > capacity) {
            rehashLocked(size + 1);
            t = table;
            insertAt = -1 - slotLocked(key, h);
            used++;
        } else if (t[2 * insertAt] == null) {
            used++;
        }
        t[2 * insertAt + 1] = value;
        t[2 * insertAt] = key;
        size++;
        modCount++;
    }

    /** A fresh table for at least {@code live} entries at most a quarter full, without tombstones. */
    private void rehashLocked(int live) {
        int capacity = MIN_CAPACITY;
        while (capacity < 4 * live) {
            capacity <<= 1;
        }
        Object[] old = table;
        Object[] t = new Object[2 * capacity];
        int mask = capacity - 1;
        for (int j = 0; j < old.length; j += 2) {
            Object k = old[j];
            if (k != null && k != TOMBSTONE) {
                int i = spread(k.hashCode()) & mask;
                while (t[2 * i] != null) {
                    i = (i + 1) & mask;
                }
                t[2 * i] = k;
                t[2 * i + 1] = old[j + 1];
            }
        }
        table = t; // readers holding the old array still see a complete (old) table; validate rejects them
        used = size;
    }

    private Object removeAtLocked(int slot) {
        Object[] t = table;
        Object old = t[2 * slot + 1];
        t[2 * slot] = TOMBSTONE;
        t[2 * slot + 1] = null;
        size--;
        modCount++;
        if (size == 0) {
            table = EMPTY;
            used = 0;
        }
        return old;
    }

    @SuppressWarnings("unchecked")
    V put(K key, int hashCode, V value, boolean onlyIfAbsent) {
        int h = spread(hashCode);
        long stamp = lockForWrite();
        try {
            int s = slotLocked(key, h);
            if (s >= 0) {
                Object old = table[2 * s + 1];
                if (!onlyIfAbsent) {
                    table[2 * s + 1] = value;
                }
                return (V) old;
            }
            insertLocked(key, h, value, -1 - s);
            return null;
        } finally {
            unlockWrite(stamp);
        }
    }

    /**
     * Removes {@code key} if present and, when {@code expected} is not null, only if its value equals it; with
     * {@code replacement} not null, replaces instead of removing. Returns the previous value, or null.
     */
    @SuppressWarnings("unchecked")
    V removeOrReplace(Object key, int hashCode, Object expected, Object replacement) {
        int h = spread(hashCode);
        long stamp = lockForWrite();
        try {
            int s = slotLocked(key, h);
            if (s < 0) {
                return null;
            }
            Object old = table[2 * s + 1];
            if (expected != null && !expected.equals(old)) {
                return null;
            }
            if (replacement != null) {
                table[2 * s + 1] = replacement;
                return (V) old;
            }
            return (V) removeAtLocked(s);
        } finally {
            unlockWrite(stamp);
        }
    }

    /**
     * compute, computeIfAbsent, computeIfPresent and merge in one: {@code function} gets the key and the present
     * value (null if absent) and returns the new value, null to remove. Runs under the write lock.
     */
    @SuppressWarnings("unchecked")
    V computeLocked(
            K key,
            int hashCode,
            boolean ifAbsent,
            boolean ifPresent,
            BiFunction<? super K, ? super V, ? extends V> function) {
        int h = spread(hashCode);
        long stamp = lockForWrite();
        try {
            int s = slotLocked(key, h);
            V old = s >= 0 ? (V) table[2 * s + 1] : null;
            if ((ifAbsent && old != null) || (ifPresent && old == null)) {
                return ifAbsent ? old : null;
            }
            int mc = modCount;
            V value = function.apply(key, old);
            if (mc != modCount) {
                throw new ConcurrentModificationException("the function wrote to this map");
            }
            if (old != null) {
                if (value == null) {
                    removeAtLocked(s);
                } else {
                    table[2 * s + 1] = value;
                }
            } else if (value != null) {
                insertLocked(key, h, value, -1 - s);
            }
            return value;
        } finally {
            unlockWrite(stamp);
        }
    }

    V computeIfAbsent(K key, int hashCode, Function<? super K, ? extends V> f) {
        return computeLocked(key, hashCode, true, false, (k, v) -> f.apply(k));
    }

    V merge(K key, int hashCode, V value, BiFunction<? super V, ? super V, ? extends V> f) {
        return computeLocked(key, hashCode, false, false, (k, old) -> old == null ? value : f.apply(old, value));
    }

    @SuppressWarnings("unchecked")
    void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        long stamp = lockForWrite();
        try {
            int mc = modCount;
            Object[] t = table;
            for (int j = 0; j < t.length; j += 2) {
                Object k = t[j];
                if (k != null && k != TOMBSTONE) {
                    V v = Objects.requireNonNull(function.apply((K) k, (V) t[j + 1]), "value");
                    if (mc != modCount) {
                        throw new ConcurrentModificationException("the function wrote to this map");
                    }
                    t[j + 1] = v;
                }
            }
        } finally {
            unlockWrite(stamp);
        }
    }

    void clear() {
        long stamp = lockForWrite();
        try {
            table = EMPTY;
            size = 0;
            used = 0;
            modCount++;
        } finally {
            unlockWrite(stamp);
        }
    }

    /** A consistent copy of every entry, taken under the read lock. */
    @SuppressWarnings("unchecked")
    ArrayList<Map.Entry<K, V>> snapshot() {
        boolean mine = owner == Thread.currentThread();
        long stamp = mine ? 0L : lock.readLock();
        try {
            ArrayList<Map.Entry<K, V>> copy = new ArrayList<>(size);
            Object[] t = table;
            for (int j = 0; j < t.length; j += 2) {
                Object k = t[j];
                if (k != null && k != TOMBSTONE) {
                    copy.add(Map.entry((K) k, (V) t[j + 1]));
                }
            }
            return copy;
        } finally {
            if (!mine) {
                lock.unlockRead(stamp);
            }
        }
    }

    Iterator<Map.Entry<K, V>> entryIterator() {
        return snapshot().iterator();
    }
}
