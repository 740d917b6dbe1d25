package dev.mapscope.agent.race.explain;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Small classes whose bytecode FieldNamerTest names fields in: each method calls a map the way application code
 * does. They are compiled by the build like any test class (javac, with line numbers) and never run by the test
 * that reads them, except where it says so.
 */
final class NamerFixtures {
    static final Map<String, Integer> PRICES = new HashMap<>();

    /** set by {@link Guarded}'s static initialiser: the namer must never run it */
    static volatile boolean guardedInitialised;

    private NamerFixtures() {}

    static final class Service {
        private final Map<String, Integer> cache = new HashMap<>();
        private final Map<String, Integer> other = new HashMap<>();
        private final Set<String> seen = new HashSet<>();

        void instanceField(String k) {
            cache.put(k, 1);
        }

        void staticField(String k) {
            PRICES.put(k, 1);
        }

        void localCopy(String k) {
            Map<String, Integer> m = cache;
            if (k.isEmpty()) {
                return;
            }
            m.put(k, 2);
        }

        void viaGetter(String k) {
            cache().put(k, 3);
        }

        Map<String, Integer> cache() {
            return cache;
        }

        void setField(String k) {
            seen.add(k);
        }

        int forEachOverKeys() {
            int n = 0;
            for (String k : cache.keySet()) {
                n += k.length();
            }
            return n;
        }

        int iteratorOfView() {
            int n = 0;
            Iterator<Map.Entry<String, Integer>> it = cache.entrySet().iterator();
            while (it.hasNext()) {
                n += it.next().getValue();
            }
            return n;
        }

        void ambiguousLine(String k) {
            cache.put(k, other.put(k, 2));
        }

        void sameFieldTwice(String k) {
            cache.put(k, cache.put(k, 1));
        }

        void eitherField(boolean first, String k) {
            Map<String, Integer> m = first ? cache : other;
            m.put(k, 1);
        }

        void parameter(Map<String, Integer> m, String k) {
            m.put(k, 1);
        }

        void returnedByAMethod(String k) {
            fresh().put(k, 1);
        }

        static Map<String, Integer> fresh() {
            return new HashMap<>();
        }

        Runnable captured() {
            Map<String, Integer> m = new HashMap<>();
            return () -> m.put("a", 1);
        }

        Map<String, Integer> copy() {
            return new HashMap<>(cache);
        }

        String printed() {
            return String.valueOf(cache);
        }
    }

    /** A class whose static initialiser must not run when the namer reads it. */
    static final class Guarded {
        static final Map<String, Integer> TABLE = new HashMap<>();

        static {
            guardedInitialised = true;
        }

        void put(String k) {
            TABLE.put(k, 1);
        }
    }
}
