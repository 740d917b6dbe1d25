package dev.mapscope.maps;

import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * N independent locked hash tables ("shards"), a key's shard chosen by its hash: Go's sharded map. Threads that
 * touch keys in different shards never contend, so writes scale with the shard count instead of serializing
 * on one lock. Use it for write-heavy or balanced workloads from several threads when you want lock-based
 * simplicity (atomic {@code compute} per key) with less contention than {@link RwLockMap}. It does not help a
 * single hot key, and whole-map operations visit every shard.
 *
 * <p><b>Reads take no lock.</b> Where Go's sharded map takes each shard's {@code RWMutex} for reading, a lookup
 * here is an optimistic read of the shard's {@link java.util.concurrent.locks.StampedLock}: it writes nothing,
 * so readers on different cores do not pass the lock's cache line between them, and it falls back to the read
 * lock only when a write to the same shard overlapped it. Writes take the shard's write lock.
 *
 * <p><b>Shard count.</b> A power of two, given to the constructor. The default is the smallest power of two
 * that is at least 64 × {@code availableProcessors()}, at most 1,024 (128 on 2 cores, 1,024 from 16). A lookup
 * is an optimistic read, which falls back to the shard's read lock when a write to its shard ran while it
 * probed, and a write waits when another thread writes the same shard; both get rarer as shards get more
 * numerous. Measured with 2 threads, 90% get and 10% overwrite over 65,536 keys: 8 shards reach 0.6 of
 * ConcurrentHashMap's throughput, 32 shards 0.8, 128 shards 0.9 (docs/PERFORMANCE.md). An empty shard costs
 * about 85 bytes (its table is allocated at its first insertion), about 11 KB for 128. More shards do not help
 * skewed keys: a hot key stays in one shard whatever N is.
 *
 * <p><b>Nulls.</b> Keys and values must not be {@code null} ({@link NullPointerException}).
 *
 * <p><b>Thread safety.</b> Every method may be called from any thread. Every single-key operation is
 * linearizable: it runs entirely under its shard's lock. {@code compute}, {@code computeIfAbsent},
 * {@code computeIfPresent} and {@code merge} run their function exactly once under the shard's write lock; the
 * function should not use this map: reading a key of another shard from inside it can deadlock against a
 * thread that does the reverse (writing to the same shard from inside it throws
 * {@link java.util.ConcurrentModificationException} after the function returns, as in {@link RwLockMap}).
 * Whole-map operations take one shard at a time and are <em>not</em> atomic: {@code size} and {@code isEmpty}
 * add up per-shard counts taken at different instants; {@code clear}, {@code putAll} and {@code replaceAll}
 * proceed shard by shard, so a concurrent reader may see some shards done and others not; iteration,
 * {@code forEach}, {@code containsValue}, {@code equals}, {@code hashCode} and {@code toString} see each shard
 * as a snapshot taken when the walk reaches it (consistent per shard, not across shards).
 */
public final class ShardedMap<K, V> extends AbstractSafeMap<K, V> {

    /** The largest shard count accepted: 2^16 shards. */
    public static final int MAX_SHARDS = 1 << 16;

    /** 2^32 / φ: multiplying by it scrambles every hash bit into the top bits (Knuth's multiplicative hashing). */
    private static final int GOLDEN = 0x9E3779B9;

    private final ShardTable<K, V>[] shards;

    /** 32 − log2(shard count); as a long shift so that one shard (shift 32) selects shard 0. */
    private final int shift;

    /** Creates a map with {@link #defaultShardCount()} shards. */
    public ShardedMap() {
        this(defaultShardCount());
    }

    /**
     * Creates a map with {@code shardCount} shards.
     *
     * @throws IllegalArgumentException if {@code shardCount} is not a power of two between 1 and {@link #MAX_SHARDS}
     */
    @SuppressWarnings("unchecked")
    public ShardedMap(int shardCount) {
        if (shardCount < 1 || shardCount > MAX_SHARDS || Integer.bitCount(shardCount) != 1) {
            throw new IllegalArgumentException(
                    "shard count must be a power of two between 1 and " + MAX_SHARDS + ", got " + shardCount);
        }
        shards = new ShardTable[shardCount];
        for (int i = 0; i < shardCount; i++) {
            shards[i] = new ShardTable<>();
        }
        shift = 32 - Integer.numberOfTrailingZeros(shardCount);
    }

    /** The largest default shard count: 1,024 shards, about 87 KB for an empty map. */
    static final int MAX_DEFAULT_SHARDS = 1 << 10;

    /** The smallest power of two ≥ 64 × available processors, at most 1,024 (see the class comment). */
    public static int defaultShardCount() {
        int wanted = 64 * Runtime.getRuntime().availableProcessors();
        return Math.min(MAX_DEFAULT_SHARDS, Integer.highestOneBit(Math.max(1, wanted - 1)) << 1);
    }

    /** The number of shards. */
    public int shardCount() {
        return shards.length;
    }

    /**
     * The shard of a key, from its {@code hashCode()}. The top bits of a multiplicative hash pick the shard,
     * because each shard's table picks its slot with the low bits of its own spread hash: picking the shard by low
     * bits too would leave each shard using only 1/N of its slots.
     */
    private ShardTable<K, V> shard(int hashCode) {
        int h = hashCode * GOLDEN;
        return shards[(int) ((h & 0xFFFF_FFFFL) >>> shift)];
    }

    /** The key's {@code hashCode()}, called once per operation for the shard and the slot (ShardTable.spread). */
    private static int hashCodeOf(Object key) {
        return Objects.requireNonNull(key, "key").hashCode();
    }

    @Override
    public V get(Object key) {
        int hc = hashCodeOf(key);
        return shard(hc).get(key, hc);
    }

    @Override
    public boolean containsKey(Object key) {
        int hc = hashCodeOf(key);
        return shard(hc).get(key, hc) != null;
    }

    @Override
    public V put(K key, V value) {
        int hc = hashCodeOf(key);
        Objects.requireNonNull(value, "value");
        return shard(hc).put(key, hc, value, false);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        int hc = hashCodeOf(key);
        Objects.requireNonNull(value, "value");
        return shard(hc).put(key, hc, value, true);
    }

    @Override
    public V remove(Object key) {
        int hc = hashCodeOf(key);
        return shard(hc).removeOrReplace(key, hc, null, null);
    }

    @Override
    public boolean remove(Object key, Object value) {
        int hc = hashCodeOf(key);
        ShardTable<K, V> s = shard(hc);
        return value != null && s.removeOrReplace(key, hc, value, null) != null;
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        int hc = hashCodeOf(key);
        ShardTable<K, V> s = shard(hc);
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
        return s.removeOrReplace(key, hc, oldValue, newValue) != null;
    }

    @Override
    public V replace(K key, V value) {
        int hc = hashCodeOf(key);
        ShardTable<K, V> s = shard(hc);
        Objects.requireNonNull(value, "value");
        return s.removeOrReplace(key, hc, null, value);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        int hc = hashCodeOf(key);
        ShardTable<K, V> s = shard(hc);
        Objects.requireNonNull(mappingFunction, "mappingFunction");
        return s.computeIfAbsent(key, hc, mappingFunction);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        int hc = hashCodeOf(key);
        ShardTable<K, V> s = shard(hc);
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        return s.computeLocked(key, hc, false, true, remappingFunction);
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        int hc = hashCodeOf(key);
        ShardTable<K, V> s = shard(hc);
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        return s.computeLocked(key, hc, false, false, remappingFunction);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        int hc = hashCodeOf(key);
        ShardTable<K, V> s = shard(hc);
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        return s.merge(key, hc, value, remappingFunction);
    }

    /** Not atomic: the sum of per-shard sizes taken one shard at a time. */
    @Override
    public int size() {
        long n = 0;
        for (ShardTable<K, V> s : shards) {
            n += s.size();
        }
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    @Override
    public boolean isEmpty() {
        for (ShardTable<K, V> s : shards) {
            if (s.size() != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value, "value");
        for (ShardTable<K, V> s : shards) {
            for (Map.Entry<K, V> e : s.snapshot()) {
                if (value.equals(e.getValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Not atomic: clears one shard at a time. */
    @Override
    public void clear() {
        for (ShardTable<K, V> s : shards) {
            s.clear();
        }
    }

    /** Not atomic: one shard at a time; the function must not use this map. */
    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        Objects.requireNonNull(function, "function");
        for (ShardTable<K, V> s : shards) {
            s.replaceAll(function);
        }
    }

    /** Shard after shard, each shard a snapshot taken when the walk reaches it. */
    @Override
    Iterator<Map.Entry<K, V>> entryIterator() {
        return new Iterator<>() {
            private int next; // the next shard to snapshot
            private Iterator<Map.Entry<K, V>> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && next < shards.length) {
                    current = shards[next++].entryIterator();
                }
                return current.hasNext();
            }

            @Override
            public Map.Entry<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
