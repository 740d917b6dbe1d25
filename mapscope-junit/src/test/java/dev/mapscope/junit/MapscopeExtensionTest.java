package dev.mapscope.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs {@link RacyFixture}'s tests through the Jupiter engine and checks each outcome. */
class MapscopeExtensionTest {
    private static EngineExecutionResults run(String method) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(RacyFixture.class, method))
                .execute();
    }

    @Test
    void aTestThatRacesOnAMapFailsWithTheFinding() {
        EngineExecutionResults results = run("tenThreadsWriteOneMap");
        results.testEvents().assertStatistics(s -> s.started(1).failed(1).succeeded(0));
        Event failed = results.testEvents().failed().list().get(0);
        Throwable t = failed.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
        assertThat(t).isInstanceOf(AssertionError.class);
        assertThat(t.getMessage())
                .startsWith("mapscope saw ")
                .contains("mapscope: unsynchronized write to java.util.HashMap@")
                .contains("at dev.mapscope.junit.RacyFixture.lambda$tenThreadsWriteOneMap$")
                .contains("thread \"writer-");
    }

    @Test
    void aCleanTestPasses() {
        run("handOffByStartAndJoin")
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    }
}
