package dev.mapscope.maps;

import com.google.common.collect.testing.MapTestSuiteBuilder;
import com.google.common.collect.testing.SampleElements;
import com.google.common.collect.testing.TestMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import java.util.Map;
import java.util.stream.Stream;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Guava testlib's conformance suite for {@link Map}, run over GoLongMap with every feature it claims: general
 * purpose, null values, null queries, iterator removal. Not claimed: ALLOWS_NULL_KEYS (a {@code long} key cannot
 * be null), FAILS_FAST_ON_CONCURRENT_MODIFICATION and KNOWN_ORDER (Go semantics, as for GoMap), SERIALIZABLE.
 * Keys include 0, -1, Long.MIN_VALUE and Long.MAX_VALUE: an empty slot's stale key must never match.
 */
class GoLongMapGuavaSuiteTest {

    @TestFactory
    Stream<DynamicNode> conformance() {
        return TestlibSuites.toDynamic(suite());
    }

    static TestSuite suite() {
        TestSuite suite = new TestSuite("GoLongMap");
        suite.addTest(MapTestSuiteBuilder.using(new Generator(false))
                .named("GoLongMap")
                .withFeatures(features())
                .suppressing(GoMapGuavaSuiteTest.orderDependentTesters())
                .createTestSuite());
        suite.addTest(MapTestSuiteBuilder.using(new Generator(true))
                .named("GoLongMap presized")
                .withFeatures(features())
                .suppressing(GoMapGuavaSuiteTest.orderDependentTesters())
                .createTestSuite());
        return suite;
    }

    private static com.google.common.collect.testing.features.Feature<?>[] features() {
        return new com.google.common.collect.testing.features.Feature<?>[] {
            CollectionSize.ANY,
            MapFeature.GENERAL_PURPOSE,
            MapFeature.ALLOWS_NULL_VALUES,
            MapFeature.ALLOWS_ANY_NULL_QUERIES,
            CollectionFeature.SUPPORTS_ITERATOR_REMOVE
        };
    }

    /** Long keys, String values; presized maps start with a larger B. */
    private static final class Generator implements TestMapGenerator<Long, String> {
        private final boolean presized;

        Generator(boolean presized) {
            this.presized = presized;
        }

        @Override
        public SampleElements<Map.Entry<Long, String>> samples() {
            return new SampleElements<>(
                    Map.entry(0L, "zero"),
                    Map.entry(-1L, "minus one"),
                    Map.entry(Long.MIN_VALUE, "min"),
                    Map.entry(Long.MAX_VALUE, "max"),
                    Map.entry(42L, "forty-two"));
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<Long, String> create(Object... entries) {
            Map<Long, String> map = presized ? new GoLongMap<>(entries.length * 4) : new GoLongMap<>();
            for (Object o : entries) {
                Map.Entry<Long, String> e = (Map.Entry<Long, String>) o;
                map.put(e.getKey(), e.getValue());
            }
            return map;
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map.Entry<Long, String>[] createArray(int length) {
            return new Map.Entry[length];
        }

        @Override
        public Iterable<Map.Entry<Long, String>> order(java.util.List<Map.Entry<Long, String>> insertionOrder) {
            return insertionOrder;
        }

        @Override
        public Long[] createKeyArray(int length) {
            return new Long[length];
        }

        @Override
        public String[] createValueArray(int length) {
            return new String[length];
        }
    }
}
