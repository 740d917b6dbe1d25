package dev.mapscope.maps;

import java.util.Collections;
import java.util.stream.Stream;
import junit.framework.Test;
import junit.framework.TestFailure;
import junit.framework.TestResult;
import junit.framework.TestSuite;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs a Guava testlib suite (JUnit 3 style) as JUnit 5 dynamic tests. Through the vintage engine the same
 * suites took about 2.5 times as long in Surefire, which also counted them as 0 tests run; as dynamic tests
 * each testlib case is one counted, named test.
 */
final class TestlibSuites {
    private TestlibSuites() {}

    static Stream<DynamicNode> toDynamic(TestSuite suite) {
        return Collections.list(suite.tests()).stream()
                .map(t -> t instanceof TestSuite child
                        ? DynamicContainer.dynamicContainer(child.getName(), toDynamic(child))
                        : DynamicTest.dynamicTest(t.toString(), () -> run(t)));
    }

    private static void run(Test test) throws Throwable {
        TestResult result = new TestResult();
        test.run(result);
        for (TestFailure f : Collections.list(result.errors())) {
            throw f.thrownException();
        }
        for (TestFailure f : Collections.list(result.failures())) {
            throw f.thrownException();
        }
    }
}
