package dev.mapscope.maps;

import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link AbstractGoMapModelTest} for {@link GoMap}: keys share hash codes in groups ({@link Key}), so that they
 * share a bucket chain and a tophash whatever the seed.
 */
class GoMapModelTest extends AbstractGoMapModelTest<GoMapModelTest.Key, GoMap<GoMapModelTest.Key, Integer>> {

    /** A key whose hash code is shared by {@code groupSize} consecutive ids. */
    record Key(int id, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.id == id;
        }

        @Override
        public String toString() {
            return "k" + id + "#" + hash;
        }
    }

    @Property(tries = 600, edgeCases = EdgeCasesMode.NONE)
    void behavesLikeHashMap(@ForAll("scenarios") Scenario scenario) {
        run(scenario);
        // Each situation must have occurred in enough of the 600 tries (one run measured 430, 41, 394, 277, 12,
        // 17 and 33 tries), so that the property keeps testing what it claims to test.
        requireCoverage(100, 5, 100, 50, 3, 2, 3);
    }

    @Override
    GoMap<Key, Integer> newMap() {
        return new GoMap<>();
    }

    @Override
    Key key(int id, Scenario s) {
        return new Key(id, id / s.groupSize());
    }

    @Override
    void checkInvariants(GoMap<Key, Integer> map) {
        map.checkInvariants();
    }

    @Override
    boolean growing(GoMap<Key, Integer> map) {
        return map.growing();
    }

    @Override
    int noverflow(GoMap<Key, Integer> map) {
        return map.noverflow;
    }

    @Override
    void setGrowthListener(GoMap<Key, Integer> map, GoGrowthListener listener) {
        map.setGrowthListener(listener);
    }

    @Override
    Integer put(GoMap<Key, Integer> map, Key key, Integer value) {
        return map.put(key, value);
    }

    @Override
    Integer remove(GoMap<Key, Integer> map, Key key) {
        return map.remove(key);
    }

    @Override
    Integer get(GoMap<Key, Integer> map, Key key) {
        return map.get(key);
    }

    @Override
    boolean containsKey(GoMap<Key, Integer> map, Key key) {
        return map.containsKey(key);
    }
}
