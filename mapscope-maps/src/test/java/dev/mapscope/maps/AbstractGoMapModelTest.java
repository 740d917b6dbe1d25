package dev.mapscope.maps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The model-based test of Go's map, shared by {@link GoMapModelTest} and {@link GoLongMapModelTest}: random
 * sequences of map operations applied to the map and to a {@link HashMap}, compared after every step, with the
 * map's {@code checkInvariants()} after every step.
 *
 * <p>Keys come from a small space and collide in groups (each subclass says how it makes them collide), so that
 * buckets overflow, deletions leave sparse chains that force same-size growth, and growth is interleaved with
 * deletions and iteration. Iterations mutate the map as they go and are checked against Go's rules. Coverage
 * checks at the end of each property ({@link #requireCoverage}) fail the test if these situations stop
 * occurring, so the test cannot quietly degrade into exercising only the easy paths.
 *
 * @param <K> the map's key type
 * @param <M> the map
 */
abstract class AbstractGoMapModelTest<K, M extends Map<K, Integer>> {

    sealed interface Op
            permits Put, Remove, RemoveValue, PutIfAbsent, Merge, Get, Clear, Iterate, PutGroup, RemoveGroup {}

    record Put(int id, Integer value) implements Op {}

    record Remove(int id) implements Op {}

    record RemoveValue(int id, Integer value) implements Op {}

    record PutIfAbsent(int id, Integer value) implements Op {}

    record Merge(int id, Integer value) implements Op {}

    record Get(int id) implements Op {}

    record Clear() implements Op {}

    /** Puts every key of the hash group of {@code id}: fills one bucket chain, usually past 8 entries. */
    record PutGroup(int id) implements Op {}

    /** Removes every key of the hash group of {@code id}, leaving a sparse overflow chain behind. */
    record RemoveGroup(int id) implements Op {}

    /** Iterate the entry set, mutating the map along the way as decided by a random generator seeded with seed. */
    record Iterate(long seed, int mutationPercent) implements Op {}

    record Scenario(int keyCount, int groupSize, List<Op> ops) {}

    /** Operation mixes: balanced, growing (mostly puts, long growths), churn (groups in and out: same-size growth). */
    enum Profile {
        BALANCED,
        GROWING,
        CHURN
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Integer> keyCounts = Arbitraries.of(12, 24, 40, 80, 200, 600);
        Arbitrary<Integer> groupSizes = Arbitraries.of(1, 3, 9, 12, 20);
        Arbitrary<Profile> profiles = Arbitraries.of(Profile.class);
        return Combinators.combine(keyCounts, groupSizes, profiles).flatAs((keys, group, profile) -> {
            Arbitrary<Integer> ids = Arbitraries.integers().between(0, keys - 1);
            Arbitrary<Integer> values = Arbitraries.integers().between(0, 5).injectNull(0.1);
            int put = profile == Profile.GROWING ? 60 : profile == Profile.CHURN ? 10 : 40;
            int remove = profile == Profile.GROWING ? 14 : profile == Profile.CHURN ? 10 : 28;
            int groups = profile == Profile.CHURN ? 30 : 2;
            Arbitrary<Op> ops = Arbitraries.frequencyOf(
                    Tuple.of(put, Combinators.combine(ids, values).as(Put::new)),
                    Tuple.of(remove, ids.map(Remove::new)),
                    Tuple.of(4, Combinators.combine(ids, values).as(RemoveValue::new)),
                    Tuple.of(4, Combinators.combine(ids, values).as(PutIfAbsent::new)),
                    Tuple.of(4, Combinators.combine(ids, values).as(Merge::new)),
                    Tuple.of(8, ids.map(Get::new)),
                    Tuple.of(1, Arbitraries.just(new Clear())),
                    Tuple.of(groups, ids.map(PutGroup::new)),
                    Tuple.of(groups, ids.map(RemoveGroup::new)),
                    Tuple.of(
                            profile == Profile.GROWING ? 16 : 8,
                            Combinators.combine(Arbitraries.longs(), Arbitraries.of(0, 20, 60))
                                    .as(Iterate::new)));
            return ops.list().ofMinSize(10).ofMaxSize(400).map(list -> new Scenario(keys, group, list));
        });
    }

    /** What happened in one try, for the coverage checks. */
    static final class Seen implements GoGrowthListener {
        boolean grow;
        boolean sameSizeGrow;
        boolean evacuatedToY;
        boolean overflow;
        boolean deleteDuringGrowth;
        boolean iterationDuringGrowth;
        boolean growthDuringIteration;
        boolean iterating;

        @Override
        public void growStarted(int oldB, int newB, boolean sameSize) {
            grow |= !sameSize;
            sameSizeGrow |= sameSize;
            growthDuringIteration |= iterating;
        }

        @Override
        public void bucketEvacuated(int oldBucket, int toX, int toY) {
            evacuatedToY |= toY > 0;
        }
    }

    /** A fresh, empty map. */
    abstract M newMap();

    /** Key {@code id} of scenario {@code s}: the keys of one group ({@code id / s.groupSize()}) collide. */
    abstract K key(int id, Scenario s);

    abstract void checkInvariants(M map);

    abstract boolean growing(M map);

    abstract int noverflow(M map);

    abstract void setGrowthListener(M map, GoGrowthListener listener);

    /** The map's own put (GoLongMap's: the primitive one); the Map methods are checked beside it. */
    abstract Integer put(M map, K key, Integer value);

    abstract Integer remove(M map, K key);

    abstract Integer get(M map, K key);

    abstract boolean containsKey(M map, K key);

    /** The situations counted by {@link #run}, in the order {@link #requireCoverage} takes their minimum counts. */
    static final List<String> LABELS = List.of(
            "doubling growth",
            "same-size growth",
            "evacuation to Y",
            "overflow buckets",
            "delete during growth",
            "iteration during growth",
            "growth during iteration");

    /** Runs one scenario against the model, and counts the situations of {@link #LABELS} it met. */
    final void run(Scenario scenario) {
        M map = newMap();
        Map<K, Integer> model = new HashMap<>();
        Seen seen = new Seen();
        setGrowthListener(map, seen);
        for (Op op : scenario.ops()) {
            apply(op, scenario, map, model, seen);
            checkInvariants(map);
            seen.overflow |= noverflow(map) > 0;
            assertThat(map.size()).isEqualTo(model.size());
        }
        assertSameContents(map, model);
        boolean[] met = {
            seen.grow,
            seen.sameSizeGrow,
            seen.evacuatedToY,
            seen.overflow,
            seen.deleteDuringGrowth,
            seen.iterationDuringGrowth,
            seen.growthDuringIteration
        };
        for (int i = 0; i < met.length; i++) {
            Statistics.label(LABELS.get(i)).collect(met[i]);
        }
    }

    /**
     * Fails the property unless each situation of {@link #LABELS} occurred in at least that many of its tries; 0
     * leaves a situation unchecked (it is still counted and reported). The tries are random: a minimum must sit
     * far enough below the usual count that a run missing it means the test has changed, not bad luck.
     */
    static void requireCoverage(int... minimumTries) {
        for (int i = 0; i < LABELS.size(); i++) {
            int min = minimumTries[i];
            if (min > 0) {
                Statistics.label(LABELS.get(i)).coverage(c -> c.check(true).count(n -> n >= min));
            }
        }
    }

    private void apply(Op op, Scenario s, M map, Map<K, Integer> model, Seen seen) {
        if (op instanceof Put p) {
            K k = key(p.id(), s);
            assertThat(put(map, k, p.value())).isEqualTo(model.put(k, p.value()));
        } else if (op instanceof Remove r) {
            K k = key(r.id(), s);
            seen.deleteDuringGrowth |= growing(map) && model.containsKey(k);
            assertThat(remove(map, k)).isEqualTo(model.remove(k));
        } else if (op instanceof RemoveValue r) {
            K k = key(r.id(), s);
            assertThat(map.remove(k, r.value())).isEqualTo(model.remove(k, r.value()));
        } else if (op instanceof PutIfAbsent p) {
            K k = key(p.id(), s);
            assertThat(map.putIfAbsent(k, p.value())).isEqualTo(model.putIfAbsent(k, p.value()));
        } else if (op instanceof Merge m) {
            K k = key(m.id(), s);
            Integer v = m.value() == null ? 0 : m.value();
            // A merge result of 0 removes the entry: exercises merge's removal branch too.
            assertThat(map.merge(k, v, AbstractGoMapModelTest::sumOrRemove))
                    .isEqualTo(model.merge(k, v, AbstractGoMapModelTest::sumOrRemove));
        } else if (op instanceof Get g) {
            K k = key(g.id(), s);
            assertThat(get(map, k)).isEqualTo(model.get(k));
            assertThat(containsKey(map, k)).isEqualTo(model.containsKey(k));
            assertThat(map.get(k)).isEqualTo(model.get(k));
            assertThat(map.containsKey(k)).isEqualTo(model.containsKey(k));
        } else if (op instanceof Clear) {
            map.clear();
            model.clear();
        } else if (op instanceof PutGroup g) {
            int first = g.id() / s.groupSize() * s.groupSize();
            for (int id = first; id < Math.min(first + s.groupSize(), s.keyCount()); id++) {
                K k = key(id, s);
                assertThat(put(map, k, id % 5)).isEqualTo(model.put(k, id % 5));
            }
        } else if (op instanceof RemoveGroup g) {
            int first = g.id() / s.groupSize() * s.groupSize();
            for (int id = first; id < Math.min(first + s.groupSize(), s.keyCount()); id++) {
                K k = key(id, s);
                seen.deleteDuringGrowth |= growing(map) && model.containsKey(k);
                assertThat(remove(map, k)).isEqualTo(model.remove(k));
            }
        } else if (op instanceof Iterate it) {
            iterate(it, s, map, model, seen);
        }
    }

    private static Integer sumOrRemove(Integer a, Integer b) {
        int sum = (a + b) % 4;
        return sum == 0 ? null : sum;
    }

    /**
     * Iterates with mutations and checks Go's iteration rules: every produced entry is in the map at that moment
     * with that value; a key present at the start and never removed is produced exactly once; a key is produced
     * again only if it was removed (and re-added) after it was produced.
     */
    private void iterate(Iterate op, Scenario s, M map, Map<K, Integer> model, Seen seen) {
        Random random = new Random(op.seed());
        Set<K> atStart = new HashSet<>(model.keySet());
        Set<K> everRemoved = new HashSet<>();
        Set<K> produced = new HashSet<>();
        Set<K> removedSinceProduced = new HashSet<>();
        List<K> order = new ArrayList<>();
        seen.iterating = true;
        try {
            Iterator<Map.Entry<K, Integer>> it = map.entrySet().iterator();
            while (it.hasNext()) {
                seen.iterationDuringGrowth |= growing(map);
                Map.Entry<K, Integer> e = it.next();
                K k = e.getKey();
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
                        K other = key(random.nextInt(s.keyCount()), s);
                        Integer v = random.nextInt(5);
                        assertThat(put(map, other, v)).isEqualTo(model.put(other, v));
                    }
                    case 2 -> {
                        K other = key(random.nextInt(s.keyCount()), s);
                        assertThat(remove(map, other)).isEqualTo(model.remove(other));
                        everRemoved.add(other);
                        removedSinceProduced.add(other);
                    }
                    default -> {
                        Integer v = random.nextInt(5);
                        assertThat(e.setValue(v)).isEqualTo(model.put(k, v));
                        assertThat(get(map, k)).isEqualTo(v);
                    }
                }
                checkInvariants(map);
            }
        } finally {
            seen.iterating = false;
        }
        for (K k : atStart) {
            if (!everRemoved.contains(k)) {
                assertThat(produced)
                        .as("key %s, present throughout, not produced; produced %s", k, order)
                        .contains(k);
            }
        }
    }

    private void assertSameContents(M map, Map<K, Integer> model) {
        assertThat(map).isEqualTo(model);
        assertThat(model).isEqualTo(map);
        assertThat(map.hashCode()).isEqualTo(model.hashCode());
        Map<K, Integer> copy = new HashMap<>();
        map.forEach((k, v) -> assertThat(copy.put(k, v)).isNull());
        assertThat(copy).isEqualTo(model);
        for (Map.Entry<K, Integer> e : model.entrySet()) {
            assertThat(Objects.equals(get(map, e.getKey()), e.getValue())).isTrue();
        }
    }
}
