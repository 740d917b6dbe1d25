package dev.mapscope.maps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * SyncMap's dirty table against a HashMap model: random additions and removals over keys whose table hashes
 * pile up on the last slots (so probe runs wrap around the end of the array, where a removal's backward shift
 * has to compare positions cyclically) and on one middle slot. After every step each key of the model must be
 * found, each other key not, and at every moment the table must stay at most a quarter full.
 */
class SyncMapTableTest {

    /** A key with a chosen hash code (its table hash is SyncMap.spread of it). */
    record Key(int id, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * 24 keys: eight whose table hash ends in 63 (the last slot of a 16-, 32- or 64-slot table), eight ending
     * in 62, eight ending in 5; within each group the hash codes differ, so growth spreads them differently.
     */
    static final List<Key> KEYS = IntStream.range(0, 24)
            .mapToObj(i -> new Key(i, hashCodeLandingOn(i < 8 ? 63 : i < 16 ? 62 : 5, i % 8)))
            .toList();

    /** The {@code n}-th int whose table hash has {@code low} in its low six bits. */
    static int hashCodeLandingOn(int low, int n) {
        int found = 0;
        for (int h = 1; ; h++) {
            if ((SyncMap.spread(h) & 63) == low && found++ == n) {
                return h;
            }
        }
    }

    @Provide
    Arbitrary<List<Integer>> steps() {
        // A step is a key index; the key is added if absent and removed if present.
        return Arbitraries.integers()
                .between(0, KEYS.size() - 1)
                .list()
                .ofMinSize(1)
                .ofMaxSize(200);
    }

    @Property(tries = 500)
    void addsAndRemovesAsTheModelDoes(@ForAll("steps") List<Integer> steps) {
        SyncMapTable table = new SyncMapTable(16);
        Map<Key, SyncMap.Entry> model = new HashMap<>();
        for (int step : steps) {
            Key key = KEYS.get(step);
            if (model.containsKey(key)) {
                assertThat(table.remove(new Key(key.id(), key.hash()))).isSameAs(model.remove(key));
            } else {
                SyncMap.Entry e = new SyncMap.Entry(key, step);
                assertThat(table.remove(key)).isNull();
                table.add(e);
                model.put(key, e);
            }
            assertThat(table.size()).isEqualTo(model.size());
            for (Key k : KEYS) {
                assertThat(table.get(k)).as("%s after %s", k, steps).isSameAs(model.get(k));
            }
        }
        SyncMap.Entry[] array = table.handOver();
        assertThat(4 * model.size()).isLessThanOrEqualTo(array.length);
        for (Key k : KEYS) {
            assertThat(SyncMapTable.find(array, k)).isSameAs(model.get(k));
        }
    }

    @Test
    void theKeysReallyCollideOnTheLastSlots() {
        assertThat(KEYS.subList(0, 8))
                .allSatisfy(k -> assertThat(SyncMap.spread(k.hashCode()) & 15).isEqualTo(15));
        assertThat(KEYS.stream().map(Key::hashCode).distinct().count()).isEqualTo(24);
    }
}
