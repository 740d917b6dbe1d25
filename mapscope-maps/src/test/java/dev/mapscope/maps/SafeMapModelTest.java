package dev.mapscope.maps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Single-threaded behaviour of each safe map against {@link HashMap} as the model: random sequences of every
 * ConcurrentMap operation (and SyncMap's Go operations) over 12 keys whose hash codes collide in threes, so
 * HashMap bins chain, ShardedMap shards share keys, and SyncMap goes through many dirty-map promotions and
 * expunge/unexpunge cycles (a key deleted, the dirty map rebuilt, the key stored again). After every operation
 * the answer must equal the model's; at the end the whole map, its size and its views must too.
 */
class SafeMapModelTest {

    enum Kind {
        SYNC,
        RW_LOCK,
        SHARDED,
        SERIAL
    }

    /** A key whose hash code collides with two others. */
    record Key(int id) {
        @Override
        public int hashCode() {
            return id / 3;
        }
    }

    /** One operation: {@code code} selects it, {@code k} the key, {@code v} a value (0..4). */
    record Op(int code, int k, int v) {
        static final String[] NAMES = {
            "get",
            "put",
            "putIfAbsent",
            "remove",
            "removeKV",
            "replace",
            "replaceKV",
            "computeIfAbsent",
            "computeIfPresent",
            "compute",
            "merge",
            "containsKey",
            "size",
            "clear",
            "iteratorRemoveOdd",
            "getOrDefault",
            "swap",
            "loadOrStore",
            "compareAndSwap",
            "compareAndDelete"
        };

        @Override
        public String toString() {
            return NAMES[code] + "(" + k + ", " + v + ")";
        }

        /** Applies this op; SyncMap's own ops are applied to the model by their ConcurrentMap equivalents. */
        Object apply(Map<Key, Integer> m) {
            Key key = new Key(k);
            switch (NAMES[code]) {
                case "get":
                    return m.get(key);
                case "put":
                    return m.put(key, v);
                case "putIfAbsent":
                    return m.putIfAbsent(key, v);
                case "remove":
                    return m.remove(key);
                case "removeKV":
                    return m.remove(key, v);
                case "replace":
                    return m.replace(key, v);
                case "replaceKV":
                    return m.replace(key, v, v + 1);
                // Functions return null for some inputs, which means "no mapping" / "remove".
                case "computeIfAbsent":
                    return m.computeIfAbsent(key, x -> v == 0 ? null : v);
                case "computeIfPresent":
                    return m.computeIfPresent(key, (x, old) -> old == v ? null : old + v);
                case "compute":
                    return m.compute(key, (x, old) -> old == null ? (Integer) v : old == v ? null : old + 1);
                case "merge":
                    return m.merge(key, v, (a, b) -> a.equals(b) ? null : a + b);
                case "containsKey":
                    return m.containsKey(key);
                case "size":
                    return m.size();
                case "clear":
                    m.clear();
                    return null;
                case "iteratorRemoveOdd":
                    return m.entrySet().removeIf(e -> e.getValue() % 2 == 1);
                case "getOrDefault":
                    return m.getOrDefault(key, -1);
                case "swap":
                    return m instanceof SyncMap<Key, Integer> s ? s.swap(key, v) : m.put(key, v);
                case "loadOrStore": {
                    if (m instanceof SyncMap<Key, Integer> s) {
                        return s.loadOrStore(key, v);
                    }
                    Integer old = m.putIfAbsent(key, v);
                    return old != null ? old : v;
                }
                case "compareAndSwap":
                    return m instanceof SyncMap<Key, Integer> s
                            ? s.compareAndSwap(key, v, v + 2)
                            : m.replace(key, v, v + 2);
                case "compareAndDelete":
                    return m instanceof SyncMap<Key, Integer> s ? s.compareAndDelete(key, v) : m.remove(key, v);
                default:
                    throw new AssertionError(code);
            }
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        // Weights: mostly single-key operations; clear and whole-map removal rarely, so maps grow to all keys.
        Arbitrary<Integer> code =
                Arbitraries.frequency(List.of(12, 12, 6, 6, 4, 4, 4, 4, 4, 4, 4, 4, 2, 1, 1, 2, 4, 4, 4, 4).stream()
                        .map(new java.util.function.Function<Integer, net.jqwik.api.Tuple.Tuple2<Integer, Integer>>() {
                            int i;

                            @Override
                            public net.jqwik.api.Tuple.Tuple2<Integer, Integer> apply(Integer w) {
                                return net.jqwik.api.Tuple.of(w, i++);
                            }
                        })
                        .toArray(net.jqwik.api.Tuple.Tuple2[]::new));
        Arbitrary<Op> op = Combinators.combine(
                        code,
                        Arbitraries.integers().between(0, 11),
                        Arbitraries.integers().between(0, 4))
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(150);
    }

    @Property(tries = 1000)
    void behavesLikeHashMap(@ForAll Kind kind, @ForAll("ops") List<Op> ops) {
        ConcurrentMap<Key, Integer> map = create(kind);
        try {
            Map<Key, Integer> model = new HashMap<>();
            List<String> done = new ArrayList<>();
            for (Op op : ops) {
                done.add(op.toString());
                Object expected = op.apply(model);
                Object actual = op.apply(map);
                assertThat(actual).as("%s after %s", op, done).isEqualTo(expected);
            }
            assertThat(map).isEqualTo(model);
            assertThat(map.size()).isEqualTo(model.size());
            assertThat(map.hashCode()).isEqualTo(model.hashCode());
            assertThat(new HashMap<>(map)).isEqualTo(model);
            assertThat(map.keySet()).isEqualTo(model.keySet());
            assertThat(new ArrayList<>(map.values())).containsExactlyInAnyOrderElementsOf(model.values());
            for (Key k : model.keySet()) {
                assertThat(map.containsKey(k)).isTrue();
                assertThat(map.get(k)).isEqualTo(model.get(k));
            }
        } finally {
            if (map instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    static ConcurrentMap<Key, Integer> create(Kind kind) {
        return switch (kind) {
            case SYNC -> new SyncMap<>();
            case RW_LOCK -> new RwLockMap<>();
            case SHARDED -> new ShardedMap<>(4);
            case SERIAL -> new SerialMap<>();
        };
    }

    @Property(tries = 50)
    void syncMapRangeStopsWhenAsked(@ForAll("ops") List<Op> ops) {
        SyncMap<Key, Integer> map = new SyncMap<>();
        for (Op op : ops) {
            op.apply(map);
        }
        int[] seen = {0};
        map.range((k, v) -> ++seen[0] < 2);
        assertThat(seen[0]).isEqualTo(Math.min(2, map.size()));
        Map<Key, Integer> all = new HashMap<>();
        map.range((k, v) -> {
            assertThat(all.put(k, v)).as("range visits %s once", k).isNull();
            return true;
        });
        assertThat(all).isEqualTo(map);
        assertThat(Objects.equals(all.isEmpty(), map.isEmpty())).isTrue();
    }
}
