package dev.mapscope.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Runs the fixtures' tests through the Jupiter engine and checks each outcome. */
class MapscopeExtensionTest {
    private static EngineExecutionResults run(String method) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(RacyFixture.class, method))
                .execute();
    }

    /** As MapscopeSessionListener sets it up for a session: the extension auto-detected, alone. */
    private static EngineExecutionResults runAutoDetected(org.junit.platform.engine.DiscoverySelector selector) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(MapscopeSessionListener.AUTODETECTION, "true")
                .configurationParameter(MapscopeSessionListener.INCLUDE, MapscopeExtension.class.getName())
                .selectors(selector)
                .execute();
    }

    private static Throwable failure(Event e) {
        return e.getPayload(TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
    }

    @Test
    void aTestThatRacesOnAMapFailsWithTheFinding() {
        EngineExecutionResults results = run("tenThreadsWriteOneMap");
        results.testEvents().assertStatistics(s -> s.started(1).failed(1).succeeded(0));
        Throwable t = failure(results.testEvents().failed().list().get(0));
        assertThat(t).isInstanceOf(AssertionError.class);
        assertThat(t.getMessage())
                .startsWith("mapscope saw 1 map race during this test:")
                .contains("mapscope: unsynchronized write to java.util.HashMap@")
                .contains("at dev.mapscope.junit.RacyFixture.lambda$race$")
                .contains("thread \"writer-");
    }

    @Test
    void aCleanTestPasses() {
        run("handOffByStartAndJoin")
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    }

    @Test
    void aRaceOutsideTheTestsFailsTheClass() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(RaceInBeforeAllFixture.class))
                .execute();
        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
        results.containerEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                container(RaceInBeforeAllFixture.class),
                                finishedWithFailure(
                                        instanceOf(AssertionError.class),
                                        message(m -> m.startsWith("mapscope saw 1 map race while this class ran but"
                                                        + " outside its tests")
                                                && m.contains("at dev.mapscope.junit.RacyFixture.lambda$race$")))));
    }

    @Test
    void autoDetectedTheExtensionWatchesAClassWithoutTheAnnotation() {
        EngineExecutionResults results =
                runAutoDetected(DiscoverySelectors.selectMethod(UnannotatedFixture.class, "tenThreadsWriteOneMap"));
        results.testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("tenThreadsWriteOneMap"),
                                finishedWithFailure(
                                        message(m -> m.startsWith("mapscope saw 1 map race during this test:")
                                                && m.contains("at dev.mapscope.junit.RacyFixture.lambda$race$")))));
    }

    @Test
    void withoutAutoDetectionAnUnannotatedClassIsNotWatched() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(UnannotatedFixture.class, "tenThreadsWriteOneMap"))
                .execute()
                .testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    }

    @Test
    void anExpectedRacePassesAndAnExpectedRaceThatNeverHappensFails() {
        EngineExecutionResults results = runAutoDetected(selectClass(UnannotatedFixture.class));
        results.testEvents()
                .assertThatEvents()
                .haveExactly(1, event(test("expectedRace"), finishedSuccessfully()))
                .haveExactly(1, event(test("handOffByStartAndJoin"), finishedSuccessfully()))
                .haveExactly(
                        1,
                        event(
                                test("expectedRaceThatNeverHappens"),
                                finishedWithFailure(
                                        message(m -> m.startsWith("mapscope saw no map race during this test")))));
        // the expected race was charged to its test, not to the class
        results.containerEvents()
                .assertThatEvents()
                .haveExactly(1, event(container(UnannotatedFixture.class), finishedSuccessfully()));
    }
}
