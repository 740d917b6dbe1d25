package dev.mapscope.maps;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.concurrent.ConcurrentMap;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Proof that the Lincheck tests of the safe maps can fail: a map with the most common real bug, compound
 * operations written as check-then-act over individually synchronized calls, run through exactly the same
 * operations and model-checking configuration as the safe maps, must be reported as not linearizable.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:3")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class CheckThenActLincheckTest extends LincheckMapOperations {
    private final CheckThenActMap map = new CheckThenActMap();

    @Override
    ConcurrentMap<Integer, Integer> map() {
        return map;
    }

    @Test
    void modelCheckingReportsTheRace() {
        assertThatThrownBy(() -> check(CheckThenActLincheckTest.class, modelCheckingOptions()))
                .isInstanceOf(LincheckAssertionError.class)
                .hasMessageContaining("Invalid execution results");
    }

    /**
     * Each call locks the map, so get, put and remove are atomic; but putIfAbsent, replace and remove(k, v)
     * check with one call and act with another, and ConcurrentMap's compute, computeIfAbsent and merge are built
     * on those. Another thread can change the key between the check and the act.
     */
    static final class CheckThenActMap extends AbstractSafeMap<Integer, Integer> {
        private final HashMap<Integer, Integer> m = new HashMap<>();

        @Override
        public synchronized Integer get(Object key) {
            return m.get(key);
        }

        @Override
        public synchronized Integer put(Integer key, Integer value) {
            return m.put(key, value);
        }

        @Override
        public synchronized Integer remove(Object key) {
            return m.remove(key);
        }

        @Override
        public synchronized int size() {
            return m.size();
        }

        @Override
        public Integer putIfAbsent(Integer key, Integer value) {
            Integer present = get(key); // check...
            if (present == null) {
                put(key, value); // ...then act: another thread may have put in between
            }
            return present;
        }

        @Override
        public boolean remove(Object key, Object value) {
            if (value.equals(get(key))) {
                remove(key);
                return true;
            }
            return false;
        }

        @Override
        public boolean replace(Integer key, Integer oldValue, Integer newValue) {
            if (oldValue.equals(get(key))) {
                put(key, newValue);
                return true;
            }
            return false;
        }

        @Override
        public Integer replace(Integer key, Integer value) {
            return get(key) != null ? put(key, value) : null;
        }

        @Override
        synchronized java.util.Iterator<java.util.Map.Entry<Integer, Integer>> entryIterator() {
            return new java.util.ArrayList<>(m.entrySet()).iterator();
        }
    }
}
