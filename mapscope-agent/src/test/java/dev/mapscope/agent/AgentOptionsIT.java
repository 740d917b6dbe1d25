package dev.mapscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's options, each in a JVM started with {@code -javaagent}. */
class AgentOptionsIT {
    @TempDir
    Path dir;

    private Jvm start(String options, List<String> prefix, String... patterns) throws Exception {
        String arg = "-javaagent:" + Jvm.agentJar() + (options.isEmpty() ? "" : "=" + options);
        return Jvm.start(dir, prefix, List.of(arg), Patterns.class.getName(), patterns);
    }

    @Test
    void withoutOptionsFindingsArePrintedOnStderrWithBothThreads() throws Exception {
        try (Jvm jvm = start("", List.of(), "racySeed")) {
            assertThat(jvm.waitFor(60)).isZero();
            String out = jvm.output();
            // Tier 2 reports it; when two of the writes also overlapped in time, tier 1 upgrades the same finding
            // to a concurrent write (AGENT-PROTOCOL.md). Which one is printed depends on the interleaving.
            assertThat(out)
                    .containsPattern("mapscope: (unsynchronized|concurrent) write to java\\.util\\.HashMap@")
                    .containsPattern("kind: (unsynchronized|concurrent)-write")
                    .contains("at dev.mapscope.agent.Patterns.lambda$racySeed$")
                    .contains("...with no happens-before order after thread \"seed-")
                    .contains("fix: ")
                    .doesNotContain("dev.mapscope.agent.boot.");
        }
    }

    @Test
    void haltOnRaceEndsTheJvmWithStatus66AfterWritingTheFinding() throws Exception {
        Path report = dir.resolve("halt.jsonl");
        try (Jvm jvm =
                start("halt-on-race=true,stderr=false,report=" + report, List.of(), "racySeed", "quietConfined")) {
            assertThat(jvm.waitFor(60)).as(jvm.output()).isEqualTo(66);
            assertThat(jvm.output()).doesNotContain("done");
        }
        assertThat(Jvm.findings(report)).hasSize(1);
        assertThat(Files.readString(report)).contains("{\"type\":\"summary\",\"findings\":1,\"dropped\":0");
    }

    @Test
    void overlapModeKeepsOnlyGosCheck() throws Exception {
        Path report = dir.resolve("overlap.jsonl");
        try (Jvm jvm =
                start("mode=overlap,stderr=false,report=" + report, List.of(), "racyTwoWritesApart", "racySeed")) {
            assertThat(jvm.waitFor(60)).as(jvm.output()).isZero();
        }
        assertThat(Jvm.findings(report)).allMatch(f -> f.contains("\"kind\":\"concurrent-write\""));
    }

    @Test
    void stderrFalsePrintsNothing() throws Exception {
        try (Jvm jvm = start("stderr=false", List.of(), "racySeed")) {
            assertThat(jvm.waitFor(60)).isZero();
            assertThat(jvm.output()).doesNotContain("mapscope:");
        }
    }

    @Test
    void aBadOptionIsOneLineAndTheApplicationRunsWithoutTheAgent() throws Exception {
        try (Jvm jvm = start("mode=fast", List.of(), "racySeed")) {
            assertThat(jvm.waitFor(60)).isZero();
            assertThat(jvm.output())
                    .contains("mapscope: option mode must be full or overlap, not 'fast'; nothing was installed")
                    .contains("done")
                    .doesNotContain("unsynchronized write");
        }
    }

    /** The seed program is found on every run, on one CPU too (threads then never overlap). */
    @Test
    void theSeedProgramIsFoundOnOneCpu() throws Exception {
        boolean taskset =
                Files.isExecutable(Path.of("/usr/bin/taskset")) || Files.isExecutable(Path.of("/bin/taskset"));
        List<String> prefix = taskset ? List.of("taskset", "-c", "0") : List.of();
        for (int run = 0; run < 3; run++) {
            Path report = dir.resolve("seed-" + run + ".jsonl");
            try (Jvm jvm = start("stderr=false,report=" + report, prefix, "racySeed")) {
                assertThat(jvm.waitFor(60)).isZero();
            }
            assertThat(Jvm.findings(report)).as("run " + run).isNotEmpty();
        }
    }
}
