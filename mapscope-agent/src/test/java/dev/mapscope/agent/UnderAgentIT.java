package dev.mapscope.agent;

import com.google.common.collect.testing.MapTestSuiteBuilder;
import com.google.common.collect.testing.SetTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.TestStringSetGenerator;
import com.google.common.collect.testing.TestStringSortedMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import dev.mapscope.agent.boot.race.MapWatch;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import junit.framework.Test;
import junit.framework.TestCase;
import junit.framework.TestSuite;

/**
 * Guava testlib's conformance suites for the instrumented maps, run in a JVM started with
 * {@code -javaagent:mapscope-agent.jar} (a surefire execution of its own, see the pom): the advice changes
 * no behaviour of HashMap, LinkedHashMap (insertion and access order), TreeMap and HashSet. The first test
 * proves the agent is really there; the last that the suites, all single-threaded, caused no finding.
 *
 * <p>The 7,500 testlib cases run inside one Jupiter test through JUnit 3's own runner: reported one by one
 * through Surefire they took minutes on a loaded 2-core machine, against 17 s this way. A failure lists
 * the failing cases in its message.
 */
class UnderAgentIT {
    @org.junit.jupiter.api.Test
    void guavaTestlibSuitesPassUnderTheAgent() {
        junit.framework.TestResult result = new junit.framework.TestResult();
        suite().run(result);
        StringBuilder failures = new StringBuilder();
        for (java.util.Enumeration<junit.framework.TestFailure> e = result.failures(); e.hasMoreElements(); ) {
            failures.append(e.nextElement()).append('\n');
        }
        for (java.util.Enumeration<junit.framework.TestFailure> e = result.errors(); e.hasMoreElements(); ) {
            failures.append(e.nextElement()).append('\n');
        }
        org.assertj.core.api.Assertions.assertThat(failures.toString())
                .as("failed testlib cases")
                .isEmpty();
        org.assertj.core.api.Assertions.assertThat(result.runCount()).isGreaterThan(5_000);
    }

    static Test suite() {
        TestSuite suite = new TestSuite("JDK maps under the mapscope agent");
        suite.addTestSuite(AgentIsInstalled.class);
        suite.addTest(MapTestSuiteBuilder.using(new TestStringMapGenerator() {
                    @Override
                    protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                        return fill(new HashMap<>(), entries);
                    }
                })
                .named("HashMap")
                .withFeatures(
                        MapFeature.GENERAL_PURPOSE,
                        MapFeature.ALLOWS_NULL_KEYS,
                        MapFeature.ALLOWS_NULL_VALUES,
                        MapFeature.ALLOWS_ANY_NULL_QUERIES,
                        MapFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                        CollectionFeature.SERIALIZABLE,
                        CollectionSize.ANY)
                .createTestSuite());
        suite.addTest(MapTestSuiteBuilder.using(new TestStringMapGenerator() {
                    @Override
                    protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                        return fill(new LinkedHashMap<>(), entries);
                    }
                })
                .named("LinkedHashMap")
                .withFeatures(
                        MapFeature.GENERAL_PURPOSE,
                        MapFeature.ALLOWS_NULL_KEYS,
                        MapFeature.ALLOWS_NULL_VALUES,
                        MapFeature.ALLOWS_ANY_NULL_QUERIES,
                        MapFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                        CollectionFeature.KNOWN_ORDER,
                        CollectionFeature.SERIALIZABLE,
                        CollectionSize.ANY)
                .createTestSuite());
        // Access order: every get is a write for the agent (afterNodeAccess). No KNOWN_ORDER: testlib's
        // expectations of iteration order do not follow reads.
        suite.addTest(MapTestSuiteBuilder.using(new TestStringMapGenerator() {
                    @Override
                    protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                        return fill(new LinkedHashMap<>(16, 0.75f, true), entries);
                    }
                })
                .named("LinkedHashMap[accessOrder]")
                .withFeatures(
                        MapFeature.GENERAL_PURPOSE,
                        MapFeature.ALLOWS_NULL_KEYS,
                        MapFeature.ALLOWS_NULL_VALUES,
                        MapFeature.ALLOWS_ANY_NULL_QUERIES,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                        CollectionSize.ANY)
                .createTestSuite());
        suite.addTest(MapTestSuiteBuilder.using(new TestStringSortedMapGenerator() {
                    @Override
                    protected SortedMap<String, String> create(Map.Entry<String, String>[] entries) {
                        return fill(new TreeMap<>(), entries);
                    }
                })
                .named("TreeMap")
                .withFeatures(
                        MapFeature.GENERAL_PURPOSE,
                        MapFeature.ALLOWS_NULL_VALUES,
                        MapFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                        CollectionFeature.KNOWN_ORDER,
                        CollectionFeature.SERIALIZABLE,
                        CollectionSize.ANY)
                .createTestSuite());
        suite.addTest(SetTestSuiteBuilder.using(new TestStringSetGenerator() {
                    @Override
                    protected Set<String> create(String[] elements) {
                        return new HashSet<>(java.util.Arrays.asList(elements));
                    }
                })
                .named("HashSet")
                .withFeatures(
                        CollectionFeature.GENERAL_PURPOSE,
                        CollectionFeature.ALLOWS_NULL_VALUES,
                        CollectionFeature.FAILS_FAST_ON_CONCURRENT_MODIFICATION,
                        CollectionFeature.SERIALIZABLE,
                        CollectionSize.ANY)
                .createTestSuite());
        suite.addTestSuite(NoFindings.class);
        return suite;
    }

    static <M extends Map<String, String>> M fill(M map, Map.Entry<String, String>[] entries) {
        for (Map.Entry<String, String> e : entries) {
            map.put(e.getKey(), e.getValue());
        }
        return map;
    }

    /** Without this the suites would pass without an agent too. */
    public static final class AgentIsInstalled extends TestCase {
        public void testAgentIsInstalledAndWatching() {
            assertTrue("the agent is installed (-javaagent in the pom)", Mapscope.isInstalled());
            assertTrue(MapWatch.enabled());
            assertNull("the boot classes come from the bootstrap loader", MapWatch.class.getClassLoader());
        }
    }

    /** The suites are single-threaded: any finding would be a false one. */
    public static final class NoFindings extends TestCase {
        public void testNoFindings() {
            assertEquals("[]", Mapscope.findings().toString());
        }
    }
}
