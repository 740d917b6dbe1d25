package dev.mapscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SyncPatterns} in a JVM started with the agent (mode=full): each correct program is ordered only by
 * an edge of the happens-before model (the lockset finds no common monitor for any of them), so each finding
 * here would be an edge the model misses.
 */
class SyncPatternsIT {
    @TempDir
    Path dir;

    private List<String> run(List<String> patterns) throws Exception {
        Path report = dir.resolve("findings-" + System.nanoTime() + ".jsonl");
        try (Jvm jvm = Jvm.start(
                dir,
                List.of(),
                List.of("-javaagent:" + Jvm.agentJar() + "=stderr=false,report=" + report),
                SyncPatterns.class.getName(),
                patterns.toArray(new String[0]))) {
            int status = jvm.waitFor(120);
            assertThat(status).as(jvm.output()).isZero();
            assertThat(jvm.output()).contains("done").doesNotContain("happens-before model misses");
            assertThat(Files.readString(report)).contains("{\"type\":\"summary\"");
        }
        return Jvm.findings(report);
    }

    private static List<String> named(String prefix) {
        List<String> r = new ArrayList<>();
        for (String p : SyncPatterns.all()) {
            if (p.startsWith(prefix)) {
                r.add(p);
            }
        }
        return r;
    }

    @Test
    void correctProgramsAreNotReported() throws Exception {
        assertThat(run(named("quiet"))).as("findings on correct programs").isEmpty();
    }

    /**
     * Tier 2 decides by happens-before alone: each thread's own monitor orders nothing between them, nor does a
     * ConcurrentHashMap's lock order what is done to a value after computeIfAbsent returned it.
     */
    @Test
    void writersOnTheirOwnMonitorsAreReported() throws Exception {
        List<String> findings = run(named("racy"));
        for (String prefix : List.of("own-monitor-", "self-locked-", "outside-compute-")) {
            assertThat(findings)
                    .as(prefix + " is reported; findings: " + findings)
                    .anyMatch(f ->
                            Jvm.thread0(f).startsWith(prefix) && Jvm.thread1(f).startsWith(prefix));
        }
    }
}
