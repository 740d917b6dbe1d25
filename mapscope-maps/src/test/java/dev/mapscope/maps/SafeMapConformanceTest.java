package dev.mapscope.maps;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.MapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import junit.framework.Test;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Guava testlib's {@code ConcurrentMapTestSuiteBuilder} for each safe map: the Map and ConcurrentMap contracts,
 * their views and their Java 8 default methods, for sizes 0 to 3. Every feature the maps have is switched on:
 * put, remove, iterator remove, entry setValue write-through (GENERAL_PURPOSE). Off, on purpose: null keys and
 * values (all four reject them, as ConcurrentHashMap does), serialization (a SerialMap owns a thread, and
 * none of the four promises a serial form), and known iteration order.
 */
class SafeMapConformanceTest {

    /** The testlib suites as JUnit 5 dynamic tests (see {@link TestlibSuites}). */
    @TestFactory
    Stream<DynamicNode> conformance() {
        return TestlibSuites.toDynamic(suite());
    }

    static TestSuite suite() {
        TestSuite suite = new TestSuite("safe maps conformance");
        suite.addTest(suiteFor("SyncMap", SyncMap::new, null));
        suite.addTest(suiteFor("RwLockMap", RwLockMap::new, null));
        suite.addTest(suiteFor("ShardedMap", ShardedMap::new, null));
        suite.addTest(suiteFor("ShardedMap[1 shard]", () -> new ShardedMap<>(1), null));
        List<SerialMap<String, String>> open = new ArrayList<>();
        // Each test gets a fresh SerialMap; the tear-down closes it so the suite leaves no owner threads behind.
        suite.addTest(suiteFor(
                "SerialMap",
                () -> {
                    SerialMap<String, String> m = new SerialMap<>();
                    open.add(m);
                    return m;
                },
                () -> {
                    open.forEach(SerialMap::close);
                    open.clear();
                }));
        return suite;
    }

    private static Test suiteFor(String name, Supplier<ConcurrentMap<String, String>> factory, Runnable tearDown) {
        MapTestSuiteBuilder<String, String> builder = ConcurrentMapTestSuiteBuilder.using(new TestStringMapGenerator() {
                    @Override
                    protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                        ConcurrentMap<String, String> map = factory.get();
                        for (Map.Entry<String, String> e : entries) {
                            map.put(e.getKey(), e.getValue());
                        }
                        return map;
                    }
                })
                .named(name)
                .withFeatures(
                        MapFeature.GENERAL_PURPOSE, CollectionFeature.SUPPORTS_ITERATOR_REMOVE, CollectionSize.ANY);
        if (tearDown != null) {
            builder.withTearDown(tearDown);
        }
        return builder.createTestSuite();
    }
}
