package dev.mapscope.maps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.StampedLock;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A {@link HashMap} behind a read-write lock: Go's "map plus {@code sync.RWMutex}", the textbook safe map.
 * Reads share the lock, writes hold it alone. Use it when reads dominate, the map is small to medium, and you
 * want the simplest thing that is obviously right, including atomic multi-step updates ({@code compute}) and a
 * consistent snapshot for iteration. Under write-heavy load from many threads every write serializes on one
 * lock: prefer {@link ShardedMap} or {@link java.util.concurrent.ConcurrentHashMap} there.
 *
 * <p><b>Nulls.</b> Keys and values must not be {@code null} ({@link NullPointerException}), as in
 * {@code ConcurrentHashMap}.
 *
 * <p><b>Thread safety.</b> Every method may be called from any thread. Every single-key operation is
 * linearizable, and so are {@code size}, {@code isEmpty}, {@code containsValue}, {@code clear}, {@code putAll}
 * and {@code replaceAll}: each runs entirely under the lock. {@code compute}, {@code computeIfAbsent},
 * {@code computeIfPresent} and {@code merge} run their function exactly once, under the write lock, so the whole
 * read-modify-write is atomic; the function must therefore be short and must not use this map (a call on this
 * map from inside it throws {@link IllegalStateException}: the lock is not reentrant and would deadlock).
 * Iteration, {@code forEach}, {@code equals}, {@code hashCode} and {@code toString} work on a snapshot copied
 * under the read lock: a consistent view of one instant, O(n) to take, never affected by later changes.
 *
 * <p><b>The lock.</b> A non-fair {@link StampedLock} in its pessimistic read mode. Measured against
 * {@code ReentrantReadWriteLock} (non-fair and fair) around the same HashMap, JMH {@code SafeMapLockBench},
 * 90% reads / 10% writes over 65,536 Zipf-distributed keys (numbers in docs/SAFE-MAPS.md): StampedLock was the
 * fastest at 1 and 2 threads, because its read lock is one CAS on a state word while
 * {@code ReentrantReadWriteLock} also keeps per-thread hold counts. A fair lock hands over in FIFO order and
 * was the slowest by far. The optimistic read mode is not used: a HashMap read racing a resize or a treeify can
 * throw or loop, so validation after the fact is too late.
 */
public final class RwLockMap<K, V> extends AbstractSafeMap<K, V> {

    private final StampedLock lock = new StampedLock();

    /** The map; read under the read lock, written under the write lock. */
    private final HashMap<K, V> map;

    /**
     * The thread that holds the write lock, or null. Written only by that thread while it holds the lock;
     * read without the lock by any thread, only to compare with itself. The race is benign: a thread can see
     * its own identity here only if it stored it itself and has not cleared it yet (program order).
     */
    private Thread writer;

    /** Creates an empty map. */
    public RwLockMap() {
        map = new HashMap<>();
    }

    /** Creates an empty map sized for {@code expectedSize} entries. */
    public RwLockMap(int expectedSize) {
        if (expectedSize < 0) {
            throw new IllegalArgumentException("expected size must not be negative, got " + expectedSize);
        }
        map = new HashMap<>(Math.max(16, (int) (expectedSize / 0.75f) + 1));
    }

    private long readLock() {
        if (writer == Thread.currentThread()) { // plain read: see the field's comment
            throw reentered();
        }
        return lock.readLock();
    }

    private long writeLock() {
        if (writer == Thread.currentThread()) {
            throw reentered();
        }
        long stamp = lock.writeLock();
        writer = Thread.currentThread(); // plain: only this thread ever compares equal to it
        return stamp;
    }

    private void unlockWrite(long stamp) {
        writer = null;
        lock.unlockWrite(stamp);
    }

    private static IllegalStateException reentered() {
        return new IllegalStateException("rw-lock map used from inside its own compute or merge function: "
                + "its lock is not reentrant, so the call would deadlock");
    }

    @Override
    public V get(Object key) {
        Objects.requireNonNull(key, "key");
        long stamp = readLock();
        try {
            return map.get(key);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public boolean containsKey(Object key) {
        Objects.requireNonNull(key, "key");
        long stamp = readLock();
        try {
            return map.containsKey(key);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value, "value");
        long stamp = readLock();
        try {
            return map.containsValue(value);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public int size() {
        long stamp = readLock();
        try {
            return map.size();
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public V put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long stamp = writeLock();
        try {
            return map.put(key, value);
        } finally {
            unlockWrite(stamp);
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long stamp = writeLock();
        try {
            return map.putIfAbsent(key, value);
        } finally {
            unlockWrite(stamp);
        }
    }

    @Override
    public V remove(Object key) {
        Objects.requireNonNull(key, "key");
        long stamp = writeLock();
        try {
            return map.remove(key);
        } finally {
            unlockWrite(stamp);
        }
    }

    @Override
    public boolean remove(Object key, Object value) {
        Objects.requireNonNull(key, "key");
        if (value == null) {
            return false;
        }
        long stamp = writeLock();
        try {
            return map.remove(key, value);
        } finally {
            unlockWrite(stamp);
        }
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
        long stamp = writeLock();
        try {
            return map.replace(key, oldValue, newValue);
        } finally {
            unlockWrite(stamp);
        }
    }

    @Override
    public V replace(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long stamp = writeLock();
        try {
            return map.replace(key, value);
        } finally {
            unlockWrite(stamp);
        }
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(mappingFunction, "mappingFunction");
        long stamp = writeLock();
        try {
            return map.computeIfAbsent(key, mappingFunction);
        } finally {
            unlockWrite(stamp);
        }
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        long stamp = writeLock();
        try {
            return map.computeIfPresent(key, remappingFunction);
        } finally {
            unlockWrite(stamp);
        }
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        long stamp = writeLock();
        try {
            return map.compute(key, remappingFunction);
        } finally {
            unlockWrite(stamp);
        }
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        long stamp = writeLock();
        try {
            return map.merge(key, value, remappingFunction);
        } finally {
            unlockWrite(stamp);
        }
    }

    /** Atomic: all entries become visible at once. The source is copied first, outside the lock. */
    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        ArrayList<Map.Entry<? extends K, ? extends V>> copy = new ArrayList<>(m.size());
        for (Map.Entry<? extends K, ? extends V> e : m.entrySet()) {
            Objects.requireNonNull(e.getKey(), "key");
            Objects.requireNonNull(e.getValue(), "value");
            copy.add(Map.entry(e.getKey(), e.getValue()));
        }
        long stamp = writeLock();
        try {
            for (Map.Entry<? extends K, ? extends V> e : copy) {
                map.put(e.getKey(), e.getValue());
            }
        } finally {
            unlockWrite(stamp);
        }
    }

    /** Atomic: the function runs for every entry under the write lock and must not use this map. */
    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function, "function");
        long stamp = writeLock();
        try {
            map.replaceAll((k, v) -> Objects.requireNonNull(function.apply(k, v), "value"));
        } finally {
            unlockWrite(stamp);
        }
    }

    @Override
    public void clear() {
        long stamp = writeLock();
        try {
            map.clear();
        } finally {
            unlockWrite(stamp);
        }
    }

    /** Runs {@code action} over a snapshot, outside the lock, so the action may use this map. */
    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        Objects.requireNonNull(action, "action");
        for (Map.Entry<K, V> e : snapshot()) {
            action.accept(e.getKey(), e.getValue());
        }
    }

    /** A consistent copy of every entry, taken under the read lock. */
    ArrayList<Map.Entry<K, V>> snapshot() {
        long stamp = readLock();
        try {
            ArrayList<Map.Entry<K, V>> copy = new ArrayList<>(map.size());
            for (Map.Entry<K, V> e : map.entrySet()) {
                copy.add(Map.entry(e.getKey(), e.getValue()));
            }
            return copy;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    @Override
    Iterator<Map.Entry<K, V>> entryIterator() {
        return snapshot().iterator();
    }
}
