package dev.mapscope.maps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.maps.GoMapModelTest.Clear;
import dev.mapscope.maps.GoMapModelTest.Get;
import dev.mapscope.maps.GoMapModelTest.Iterate;
import dev.mapscope.maps.GoMapModelTest.Merge;
import dev.mapscope.maps.GoMapModelTest.Op;
import dev.mapscope.maps.GoMapModelTest.Put;
import dev.mapscope.maps.GoMapModelTest.PutGroup;
import dev.mapscope.maps.GoMapModelTest.PutIfAbsent;
import dev.mapscope.maps.GoMapModelTest.Remove;
import dev.mapscope.maps.GoMapModelTest.RemoveGroup;
import dev.mapscope.maps.GoMapModelTest.RemoveValue;
import dev.mapscope.maps.GoMapModelTest.Scenario;
import dev.mapscope.maps.GoMapModelTest.Seen;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * GoMapModelTest's model-based test for {@link GoLongMap}: the same random operation sequences, applied to a
 * GoLongMap and a {@link HashMap}, compared after every step, with {@link GoLongMap#checkInvariants()}.
 *
 * <p>A {@code long} key's hash cannot be chosen the way GoMapModelTest chooses hash codes, but GoLongMap's mixer
 * is a bijection, so keys are built from the hash they should have ({@link #unhash}): the keys of one group share
 * the low 20 bits of their hash (one bucket for B up to 20) and its top byte (one tophash), so lookups must
 * compare keys, chains overflow, and deletions leave sparse chains that force same-size growth. The map keeps
 * its seed for that ({@code fixedSeed}).
 */
class GoLongMapModelTest {
    private static final long SEED = 0x5EED_1234_ABCD_0001L;

    @Provide
    Arbitrary<Scenario> scenarios() {
        return new GoMapModelTest().scenarios();
    }

    /** The inverse of GoLongMap.hash under {@code seed}: the key whose hash is {@code h}. */
    static long unhash(long h, long seed) {
        long x = h ^ (h >>> 32); // x ^ (x >>> 32) is its own inverse
        x *= inverse(0xD6E8FEB86659FD93L);
        x ^= x >>> 32;
        x *= inverse(0x9E3779B97F4A7C15L);
        return x ^ seed;
    }

    /** The multiplicative inverse of an odd number modulo 2^64 (Newton's iteration doubles the correct bits). */
    static long inverse(long a) {
        long x = a; // correct to 3 bits for odd a
        for (int i = 0; i < 5; i++) {
            x *= 2 - a * x;
        }
        return x;
    }

    /** Key {@code id}: in group id / groupSize, whose keys share a bucket (low 20 bits) and a tophash. */
    private static long key(int id, Scenario s) {
        long group = id / s.groupSize();
        long top = 0x80 | (group * 37 & 0x7F);
        long h = (top << 56) | ((long) id << 20) | (group * 0x9E37 & 0xFFFFF);
        return unhash(h, SEED);
    }

    @Test
    void unhashInvertsTheMixerAndTheGroupsCollide() {
        Random random = new Random(1);
        for (int i = 0; i < 1000; i++) {
            long h = random.nextLong();
            assertThat(GoLongMap.hash(unhash(h, SEED), SEED)).isEqualTo(h);
        }
        Scenario s = new Scenario(40, 20, List.of());
        long h0 = GoLongMap.hash(key(0, s), SEED);
        long h19 = GoLongMap.hash(key(19, s), SEED);
        assertThat(key(0, s)).isNotEqualTo(key(19, s));
        assertThat(h0 & 0xFFFFF).isEqualTo(h19 & 0xFFFFF);
        assertThat(GoMap.tophash(h0)).isEqualTo(GoMap.tophash(h19));
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void behavesLikeHashMap(@ForAll("scenarios") Scenario scenario) {
        GoLongMap<Integer> map = new GoLongMap<>(0, SEED, true);
        Map<Long, Integer> model = new HashMap<>();
        Seen seen = new Seen();
        map.setGrowthListener(seen);
        for (Op op : scenario.ops()) {
            apply(op, scenario, map, model, seen);
            map.checkInvariants();
            seen.overflow |= map.noverflow > 0;
            assertThat(map.size()).isEqualTo(model.size());
        }
        assertSameContents(map, model);

        Statistics.label("doubling growth").collect(seen.grow);
        Statistics.label("same-size growth").collect(seen.sameSizeGrow);
        Statistics.label("overflow buckets").collect(seen.overflow);
        Statistics.label("growth during iteration").collect(seen.growthDuringIteration);
        // Each situation must occur in some of the tries, so that the property keeps testing what it claims.
        Statistics.label("doubling growth").coverage(c -> c.check(true).count(n -> n >= 50));
        Statistics.label("same-size growth").coverage(c -> c.check(true).count(n -> n >= 2));
        Statistics.label("overflow buckets").coverage(c -> c.check(true).count(n -> n >= 25));
        Statistics.label("growth during iteration").coverage(c -> c.check(true).count(n -> n >= 1));
    }

    private static void apply(Op op, Scenario s, GoLongMap<Integer> map, Map<Long, Integer> model, Seen seen) {
        if (op instanceof Put p) {
            long k = key(p.id(), s);
            assertThat(map.put(k, p.value())).isEqualTo(model.put(k, p.value()));
        } else if (op instanceof Remove r) {
            long k = key(r.id(), s);
            seen.deleteDuringGrowth |= map.growing() && model.containsKey(k);
            assertThat(map.remove(k)).isEqualTo(model.remove(k));
        } else if (op instanceof RemoveValue r) {
            Long k = key(r.id(), s);
            assertThat(map.remove(k, r.value())).isEqualTo(model.remove(k, r.value()));
        } else if (op instanceof PutIfAbsent p) {
            Long k = key(p.id(), s);
            assertThat(map.putIfAbsent(k, p.value())).isEqualTo(model.putIfAbsent(k, p.value()));
        } else if (op instanceof Merge m) {
            Long k = key(m.id(), s);
            Integer v = m.value() == null ? 0 : m.value();
            assertThat(map.merge(k, v, GoLongMapModelTest::sumOrRemove))
                    .isEqualTo(model.merge(k, v, GoLongMapModelTest::sumOrRemove));
        } else if (op instanceof Get g) {
            long k = key(g.id(), s);
            assertThat(map.get(k)).isEqualTo(model.get(k));
            assertThat(map.containsKey(k)).isEqualTo(model.containsKey(k));
            assertThat(map.get((Object) k)).isEqualTo(model.get(k));
        } else if (op instanceof Clear) {
            map.clear();
            model.clear();
        } else if (op instanceof PutGroup g) {
            int first = g.id() / s.groupSize() * s.groupSize();
            for (int id = first; id < Math.min(first + s.groupSize(), s.keyCount()); id++) {
                long k = key(id, s);
                assertThat(map.put(k, Integer.valueOf(id % 5))).isEqualTo(model.put(k, id % 5));
            }
        } else if (op instanceof RemoveGroup g) {
            int first = g.id() / s.groupSize() * s.groupSize();
            for (int id = first; id < Math.min(first + s.groupSize(), s.keyCount()); id++) {
                long k = key(id, s);
                seen.deleteDuringGrowth |= map.growing() && model.containsKey(k);
                assertThat(map.remove(k)).isEqualTo(model.remove(k));
            }
        } else if (op instanceof Iterate it) {
            iterate(it, s, map, model, seen);
        }
    }

    private static Integer sumOrRemove(Integer a, Integer b) {
        int sum = (a + b) % 4;
        return sum == 0 ? null : sum;
    }

    /** GoMapModelTest's iteration check: Go's rules for an iteration that mutates the map as it goes. */
    private static void iterate(Iterate op, Scenario s, GoLongMap<Integer> map, Map<Long, Integer> model, Seen seen) {
        Random random = new Random(op.seed());
        Set<Long> atStart = new HashSet<>(model.keySet());
        Set<Long> everRemoved = new HashSet<>();
        Set<Long> produced = new HashSet<>();
        Set<Long> removedSinceProduced = new HashSet<>();
        List<Long> order = new ArrayList<>();
        seen.iterating = true;
        try {
            Iterator<Map.Entry<Long, Integer>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                seen.iterationDuringGrowth |= map.growing();
                Map.Entry<Long, Integer> e = it.next();
                Long k = e.getKey();
                order.add(k);
                assertThat(model)
                        .as("entry %s produced by the iterator after %s", k, order)
                        .containsKey(k);
                assertThat(e.getValue()).as("value of %s", k).isEqualTo(model.get(k));
                if (!produced.add(k)) {
                    assertThat(removedSinceProduced)
                            .as("%s produced twice without being removed in between: %s", k, order)
                            .contains(k);
                }
                removedSinceProduced.remove(k);
                if (random.nextInt(100) >= op.mutationPercent()) {
                    continue;
                }
                switch (random.nextInt(4)) {
                    case 0 -> {
                        it.remove();
                        model.remove(k);
                        everRemoved.add(k);
                        removedSinceProduced.add(k);
                    }
                    case 1 -> {
                        long other = key(random.nextInt(s.keyCount()), s);
                        Integer v = random.nextInt(5);
                        assertThat(map.put(other, v)).isEqualTo(model.put(other, v));
                    }
                    case 2 -> {
                        long other = key(random.nextInt(s.keyCount()), s);
                        assertThat(map.remove(other)).isEqualTo(model.remove(other));
                        everRemoved.add(other);
                        removedSinceProduced.add(other);
                    }
                    default -> {
                        Integer v = random.nextInt(5);
                        assertThat(e.setValue(v)).isEqualTo(model.put(k, v));
                        assertThat(map.get((long) k)).isEqualTo(v);
                    }
                }
                map.checkInvariants();
            }
        } finally {
            seen.iterating = false;
        }
        for (Long k : atStart) {
            if (!everRemoved.contains(k)) {
                assertThat(produced)
                        .as("key %s, present throughout, not produced; produced %s", k, order)
                        .contains(k);
            }
        }
    }

    static void assertSameContents(GoLongMap<Integer> map, Map<Long, Integer> model) {
        assertThat(map).isEqualTo(model);
        assertThat(model).isEqualTo(map);
        assertThat(map.hashCode()).isEqualTo(model.hashCode());
        Map<Long, Integer> copy = new HashMap<>();
        map.forEach((k, v) -> assertThat(copy.put(k, v)).isNull());
        assertThat(copy).isEqualTo(model);
        for (Map.Entry<Long, Integer> e : model.entrySet()) {
            assertThat(Objects.equals(map.get((long) e.getKey()), e.getValue())).isTrue();
        }
    }
}
