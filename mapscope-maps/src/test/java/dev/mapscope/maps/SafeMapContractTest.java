package dev.mapscope.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Contract details the conformance suites do not cover: lock re-entry, shard counts, Go-style answers. */
class SafeMapContractTest {

    @Test
    void rwLockMapComputeMayReadTheMapAndAWriteFromInsideFailsWithoutChangingIt() {
        RwLockMap<String, Integer> map = new RwLockMap<>();
        map.put("a", 1);
        // The lock is reentrant: a read from inside the function works.
        assertThat(map.compute("b", (k, v) -> map.get("a") + 1)).isEqualTo(2);
        // A write from inside it is caught by HashMap: the inner put stays, the compute's result does not.
        assertThatThrownBy(() -> map.compute("c", (k, v) -> map.put("d", 4)))
                .isInstanceOf(java.util.ConcurrentModificationException.class);
        assertThat(map).containsOnlyKeys("a", "b", "d").doesNotContainKey("c");
        // The lock was released: later calls proceed.
        assertThat(map.merge("a", 2, Integer::sum)).isEqualTo(3);
    }

    @Test
    void shardedMapComputeMayReadItsShardAndAWriteToItFromInsideFailsLikeRwLockMap() {
        ShardedMap<String, Integer> map = new ShardedMap<>(1); // one shard: every key shares it
        map.put("a", 1);
        assertThat(map.compute("b", (k, v) -> map.get("a") + 1)).isEqualTo(2);
        assertThat(map.computeIfAbsent("e", k -> map.size() + 10)).isEqualTo(12);
        assertThatThrownBy(() -> map.compute("c", (k, v) -> map.put("d", 4)))
                .isInstanceOf(java.util.ConcurrentModificationException.class);
        assertThat(map).containsOnlyKeys("a", "b", "d", "e").doesNotContainKey("c");
        assertThat(map.merge("a", 2, Integer::sum)).isEqualTo(3); // the lock was released
    }

    /**
     * Lookups are optimistic reads racing writers that insert, remove and rehash the same shard: every answer
     * must still be one the key really had (absent, or its own value). Counted, not timed: holds in every run.
     */
    @Test
    void shardedMapOptimisticReadsNeverSeeATornEntry() throws Exception {
        ShardedMap<Integer, Integer> map = new ShardedMap<>(2);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread writer = new Thread(() -> {
            for (int round = 0; round < 200 && failure.get() == null; round++) {
                for (int i = 0; i < 2_000; i++) {
                    map.put(i, -i); // value = -key: any other value would be torn
                }
                for (int i = 0; i < 2_000; i++) {
                    map.remove(i);
                }
            }
            stop.set(true);
        });
        Thread reader = new Thread(() -> {
            try {
                for (int n = 0; !stop.get(); n++) {
                    int k = n % 2_000;
                    Integer v = map.get(k);
                    if (v != null && v != -k) {
                        throw new AssertionError("key " + k + " read as " + v);
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        writer.start();
        reader.start();
        writer.join();
        reader.join();
        assertThat(failure.get()).isNull();
        assertThat(map).isEmpty();
    }

    @Test
    void shardedMapRejectsABadShardCountWithOneSentence() {
        assertThatThrownBy(() -> new ShardedMap<>(12))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shard count must be a power of two between 1 and 65536, got 12");
        assertThatThrownBy(() -> new ShardedMap<>(0)).hasMessageEndingWith("got 0");
        int n = ShardedMap.defaultShardCount();
        assertThat(Integer.bitCount(n)).isEqualTo(1);
        assertThat(n).isLessThanOrEqualTo(1024);
        if (n < 1024) {
            assertThat(n).isGreaterThanOrEqualTo(64 * Runtime.getRuntime().availableProcessors());
            assertThat(n).isLessThan(128 * Runtime.getRuntime().availableProcessors());
        }
        assertThat(new ShardedMap<>().shardCount()).isEqualTo(n);
    }

    @Test
    void shardedMapSpreadsKeysOverAllShards() throws Exception {
        ShardedMap<Integer, Integer> map = new ShardedMap<>(16);
        for (int i = 0; i < 1600; i++) {
            map.put(i * 16, i); // keys equal modulo 16: a low-bits shard choice would use one shard
        }
        java.lang.reflect.Field f = ShardedMap.class.getDeclaredField("shards");
        f.setAccessible(true);
        for (ShardTable<?, ?> shard : (ShardTable<?, ?>[]) f.get(map)) {
            assertThat(shard.size()).isBetween(50, 150);
        }
    }

    /**
     * A SyncMap filled since it was made promotes its dirty map at the first miss, not after len(dirty) misses
     * as Go does: otherwise every thread's first 1,000 lookups here would take the mutex.
     */
    @Test
    void syncMapFilledFromEmptyPromotesAtItsFirstMiss() throws Exception {
        SyncMap<Integer, Integer> map = new SyncMap<>();
        for (int i = 0; i < 1000; i++) {
            map.put(i, i);
        }
        java.lang.reflect.Field dirty = SyncMap.class.getDeclaredField("dirty");
        dirty.setAccessible(true);
        assertThat(dirty.get(map)).as("dirty before the first read").isNotNull();
        assertThat(map.get(7)).isEqualTo(7);
        assertThat(dirty.get(map)).as("dirty after the first read: promoted").isNull();
        // From now on Go's rule: a new key goes to a fresh dirty map, and one miss does not promote it.
        map.put(5000, 1);
        assertThat(map.get(5000)).isEqualTo(1);
        assertThat(dirty.get(map))
                .as("dirty after one miss on a map whose read is not empty")
                .isNotNull();
    }

    @Test
    void syncMapGoOperationsAnswerLikeGo() {
        SyncMap<String, String> m = new SyncMap<>();
        assertThat(m.load("k")).isNull();
        assertThat(m.loadOrStore("k", "v1")).isEqualTo("v1"); // stored: returns the given value
        assertThat(m.loadOrStore("k", "v2")).isEqualTo("v1"); // loaded
        assertThat(m.swap("k", "v3")).isEqualTo("v1");
        assertThat(m.compareAndSwap("k", "v1", "x")).isFalse();
        assertThat(m.compareAndSwap("k", new String("v3"), "v4")).isTrue(); // compared with equals
        assertThat(m.compareAndDelete("k", "v3")).isFalse();
        assertThat(m.compareAndDelete("k", "v4")).isTrue();
        assertThat(m.compareAndSwap("k", "v4", "v5")).isFalse(); // absent: no swap
        m.store("k", "v6");
        assertThat(m.loadAndDelete("k")).isEqualTo("v6");
        assertThat(m.loadAndDelete("k")).isNull();
        m.delete("k");
        assertThat(m).isEmpty();
        assertThatThrownBy(() -> m.store("k", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.load(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void syncMapRangeMayUseTheMap() {
        SyncMap<Integer, Integer> m = new SyncMap<>();
        for (int i = 0; i < 10; i++) {
            m.store(i, i);
        }
        m.range((k, v) -> {
            m.delete(k);
            m.store(k + 100, v);
            return true;
        });
        assertThat(m.size()).isEqualTo(10);
        assertThat(m.keySet()).allMatch(k -> k >= 100);
    }
}
