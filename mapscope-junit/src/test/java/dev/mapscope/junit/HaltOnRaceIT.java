package dev.mapscope.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.mapscope.agent.Mapscope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A user's build: Surefire starts this JVM with -javaagent:mapscope-agent.jar=halt-on-race=true,report=...,
 * mapscope-junit is on the class path and nothing else is configured. A race fails the test that made it,
 * named, with the finding as its message; the JVM goes on (this test would never report otherwise) and the
 * findings file has the race.
 */
class HaltOnRaceIT {
    @Test
    void theAgentCameFromTheCommandLineWithHaltOnRace() {
        assertThat(Mapscope.isInstalled()).isTrue();
        assertThat(Mapscope.haltOnRace()).isTrue();
        assertThat(System.getProperty(MapscopeSessionListener.AUTODETECTION)).isEqualTo("true");
    }

    /** The fixture's races happen while this test runs too: it declares them. */
    @Test
    @ExpectMapRace
    void aRaceFailsTheTestThatMadeItNotTheJvm() throws IOException {
        Path findings = Path.of(System.getProperty("mapscope.test.findings"));
        long before = Files.exists(findings) ? Files.size(findings) : 0;

        // the outer session's properties (auto-detection on) reach this run as system properties
        EngineTestKit.engine("junit-jupiter")
                .enableImplicitConfigurationParameters(true)
                .selectors(selectClass(UnannotatedFixture.class))
                .execute()
                .testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("tenThreadsWriteOneMap"),
                                finishedWithFailure(
                                        message(m -> m.startsWith("mapscope saw 1 map race during this test:")
                                                && m.contains("at dev.mapscope.junit.RacyFixture.lambda$race$")))))
                .haveExactly(1, event(test("handOffByStartAndJoin"), finishedSuccessfully()))
                .haveExactly(1, event(test("expectedRace"), finishedSuccessfully()));

        String added = new String(Files.readAllBytes(findings), StandardCharsets.UTF_8).substring((int) before);
        assertThat(added).contains("\"type\":\"finding\"").contains("RacyFixture.lambda$race$");
    }
}
