package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.cli.jvm.Jvm;
import dev.mapscope.cli.jvm.Session;
import dev.mapscope.cli.render.Findings;
import dev.mapscope.cli.render.ReportedFinding;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that load the real agent into other JVMs: run, demo, attach/status/detach, repro. */
class EndToEndTest {

    @TempDir
    Path dir;

    @BeforeEach
    void agentBuilt() {
        Agent.require();
    }

    /** At least one finding names both threads with a stack (the agent may miss the other thread's stack). */
    private static void assertOneWithBothStacks(List<ReportedFinding> findings) {
        assertThat(findings).isNotEmpty().anySatisfy(EndToEndTest::assertBothStacks);
    }

    private static void assertBothStacks(ReportedFinding f) {
        assertThat(f.threads()).hasSize(2);
        assertThat(f.threads().get(0).stack()).isNotEmpty();
        assertThat(f.threads().get(1).stack()).isNotEmpty();
        assertThat(f.mapClass()).isEqualTo("java.util.HashMap");
    }

    @Test
    void runStreamsTheSeedRaceAndKeepsTheProgramsStatus() {
        Path report = dir.resolve("findings.jsonl");
        Cli.Result r = Cli.run(
                "run",
                "--report",
                report.toString(),
                "--",
                Jvm.java(),
                "-cp",
                Jvm.demoClassPath(),
                "dev.mapscope.demo.SeedRace",
                "--threads",
                "8",
                "--writes",
                "200");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("[1] ", "saw the race", "the other writer", "found, ");
        List<ReportedFinding> findings = Findings.read(report).list();
        assertOneWithBothStacks(findings);
        assertThat(String.join("\n", findings.get(0).threads().get(0).stack())).contains("dev.mapscope.demo.SeedRace");
    }

    @Test
    void failOnRaceExitsWith66() {
        Cli.Result r = Cli.run(
                "run",
                "--fail-on-race",
                "--",
                "-cp",
                Jvm.demoClassPath(),
                "dev.mapscope.demo.SeedRace",
                "--threads",
                "8",
                "--writes",
                "200");
        assertThat(r.exit()).as(r.toString()).isEqualTo(66);
        assertThat(r.err()).contains("mapscope: exit status 66 (--fail-on-race); the program's own was 0.");
    }

    @Test
    void aProgramWithoutSharedWritesStaysQuietAndItsStatusPassesThrough() {
        Cli.Result r = Cli.run(
                "run",
                "--fail-on-race",
                "--",
                Jvm.java(),
                "-cp",
                Jvm.demoClassPath(),
                "dev.mapscope.demo.SeedRace",
                "--threads",
                "1",
                "--writes",
                "100");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("mapscope: no map races seen in this run.");
        Cli.Result bad = Cli.run(
                "run", "--", Jvm.java(), "-cp", Jvm.demoClassPath(), "dev.mapscope.demo.SeedRace", "--threads", "0");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
    }

    @Test
    void demoShowsFindingsAndWritesTheReport() throws Exception {
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("demo", "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains(
                        "[1/2] the seed",
                        "[2/2] a quote service",
                        "HTML report: " + out.resolve("report.html"),
                        "Next:",
                        "the ConcurrentHashMap counters stayed quiet");
        assertThat(r.out()).containsPattern("mapscope found: \\d+ map races?");
        assertThat(out.resolve("report.html")).exists();
        List<ReportedFinding> findings =
                Findings.read(out.resolve("findings.jsonl")).list();
        assertOneWithBothStacks(findings);
        assertThat(findings).noneMatch(f -> f.mapClass().contains("Concurrent"));
    }

    @Test
    void attachFindsTheRaceWithBothStacksDetachesAndTheTargetKeepsRunning() throws Exception {
        try (RacyJvm target = RacyJvm.start()) {
            String pid = Long.toString(target.pid());
            Path report = dir.resolve("attach.jsonl");
            Path html = dir.resolve("attach.html");
            Cli.Result r =
                    Cli.run("attach", pid, "--for", "6s", "--report", report.toString(), "--html", html.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out())
                    .contains(
                            "attached to pid " + pid,
                            "[1] ",
                            "saw the race",
                            "the other writer",
                            "detached: the original bytecode is restored and pid " + pid + " keeps running.");
            List<ReportedFinding> findings = Findings.read(report).list();
            assertOneWithBothStacks(findings);
            assertThat(String.join("\n", findings.get(0).threads().get(0).stack()))
                    .contains("dev.mapscope.demo.RacyTarget");
            assertThat(html).exists();
            if (Runtime.version().feature() >= 21) {
                // The target runs on this JDK: mapscope says beforehand that it will warn about a dynamic agent.
                assertThat(r.err())
                        .contains(
                                "mapscope: note: pid " + pid + " runs Java "
                                        + Runtime.version().feature()
                                        + ", so it will print a warning on its own stderr that an agent was loaded dynamically.",
                                "-XX:+EnableDynamicAgentLoading");
            } else {
                assertThat(r.err()).doesNotContain("EnableDynamicAgentLoading");
            }

            Thread.sleep(500);
            assertThat(target.process.isAlive())
                    .as("the target still runs after the detach")
                    .isTrue();
            Cli.Result status = Cli.run("status", pid);
            assertThat(status.out()).contains("state:        detached");
            Cli.Result detach = Cli.run("detach", pid);
            assertThat(detach.exit()).isEqualTo(1);
            assertThat(detach.err())
                    .isEqualTo("mapscope: mapscope is not attached to pid " + pid
                            + " (its last session was already detached); nothing to detach\n");

            // A second session on the same JVM works too, and the target survives it.
            Cli.Result again = Cli.run("attach", pid, "--for", "2s");
            assertThat(again.exit()).as(again.toString()).isZero();
            assertThat(again.out()).contains("detached: the original bytecode is restored");
            assertThat(target.process.isAlive()).isTrue();
        }
    }

    @Test
    void statusAndDetachFromAnotherTerminalEndTheAttachSession() throws Exception {
        try (RacyJvm target = RacyJvm.start()) {
            String pid = Long.toString(target.pid());
            java.util.concurrent.CompletableFuture<Cli.Result> attach =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> Cli.run("attach", pid, "--for", "2m"));
            Session session = new Session(target.pid());
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (session.readStatus() == null || !session.readStatus().attached()) {
                assertThat(System.nanoTime() - deadline).as("the agent started").isNegative();
                assertThat(attach).isNotDone();
                Thread.sleep(100);
            }
            Cli.Result status = Cli.run("status", pid);
            assertThat(status.exit()).as(status.toString()).isZero();
            assertThat(status.out()).contains("pid:          " + pid, "state:        attached", "HashMap");

            Cli.Result detach = Cli.run("detach", pid);
            assertThat(detach.exit()).as(detach.toString()).isZero();
            assertThat(detach.out())
                    .startsWith("detached from pid " + pid
                            + ": the original bytecode is restored and the JVM keeps running.");

            Cli.Result attached = attach.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(attached.exit()).as(attached.toString()).isZero();
            assertThat(attached.out()).contains("mapscope: the session was ended by `mapscope detach " + pid + "`.");
            assertThat(target.process.isAlive()).isTrue();
        }
    }

    @Test
    void reproPrintsTheTable() {
        Cli.Result r = Cli.run("repro", "--runs", "1", "--threads", "4", "--writes", "50");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains(
                        "perturbation",
                        "HashMap damaged",
                        "GoMap check fired",
                        "agent reported",
                        "none",
                        "Thread.yield() before each write");
        assertThat(r.out()).containsPattern("none\\s+\\d/1 \\(\\d+%\\)");
        assertThat(r.err()).contains("progress: ");
    }
}
