package dev.mapscope.agent;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import com.google.common.collect.testing.testers.CollectionAddAllTester;
import com.google.common.collect.testing.testers.CollectionAddTester;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import junit.framework.TestResult;
import junit.framework.TestSuite;

/**
 * Guava testlib's suites of UnderAgentIT (HashMap, LinkedHashMap, TreeMap, HashSet), and ConcurrentHashMap's,
 * as a main class for a JVM that runs the map profile ({@code -javaagent:...=profile=DIR}): ProfileIT
 * checks the exit status. Prints JUnit 3's summary ("OK (N tests)") and exits 1 on any failure.
 */
public final class UnderProfile {
    private UnderProfile() {}

    public static void main(String[] args) throws NoSuchMethodException {
        TestSuite suite = new TestSuite("JDK maps under the map profile");
        suite.addTest(UnderAgentIT.suite());
        suite.addTest(ConcurrentMapTestSuiteBuilder.using(new TestStringMapGenerator() {
                    @Override
                    protected Map<String, String> create(Map.Entry<String, String>[] entries) {
                        return UnderAgentIT.fill(new ConcurrentHashMap<>(), entries);
                    }
                })
                .named("ConcurrentHashMap")
                .withFeatures(
                        MapFeature.GENERAL_PURPOSE,
                        CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
                        CollectionFeature.SERIALIZABLE,
                        CollectionSize.ANY)
                // testlib derives entrySet() as not supporting add; ConcurrentHashMap's does (EntrySetView.add)
                .suppressing(
                        CollectionAddTester.class.getMethod("testAdd_unsupportedNotPresent"),
                        CollectionAddAllTester.class.getMethod("testAddAll_unsupportedNonePresent"),
                        CollectionAddAllTester.class.getMethod("testAddAll_unsupportedSomePresent"))
                .createTestSuite());
        TestResult result = junit.textui.TestRunner.run(suite);
        System.exit(result.wasSuccessful() ? 0 : 1);
    }
}
