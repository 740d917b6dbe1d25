package dev.mapscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The racy and the correct programs of {@link Patterns}, each in a JVM started with
 * {@code -javaagent:mapscope-agent.jar}: every racy one is reported, no correct one is.
 */
class PatternsIT {
    /** racy pattern -> the prefix of its threads' names */
    static final Map<String, String> RACY = Map.of(
            "racySeed", "seed-",
            "racyTwoWritesApart", "apart-",
            "racyReadLock", "readlock-",
            "racyDifferentMonitors", "ownlock-",
            "racyAccessOrderGet", "lru-",
            "racyHashSet", "set-",
            "racyTreeMap", "tree-",
            "racyWeakHashMap", "weak-",
            "racyIdentityHashMap", "identity-",
            "racyWithMain", "with-main");

    @TempDir
    Path dir;

    private List<String> run(String options, List<String> prefix, String... patterns) throws Exception {
        Path report = dir.resolve("findings-" + System.nanoTime() + ".jsonl");
        String opts = "report=" + report + (options.isEmpty() ? "" : "," + options);
        try (Jvm jvm = Jvm.start(
                dir,
                prefix,
                List.of("-javaagent:" + Jvm.agentJar() + "=" + opts),
                Patterns.class.getName(),
                patterns)) {
            int status = jvm.waitFor(120);
            assertThat(status).as(jvm.output()).isZero();
            assertThat(jvm.output()).contains("done");
            assertThat(Files.readString(report)).contains("{\"type\":\"summary\"");
        }
        return Jvm.findings(report);
    }

    @Test
    void correctProgramsAreNotReported() throws Exception {
        List<String> quiet = new ArrayList<>();
        for (String p : Patterns.all()) {
            if (p.startsWith("quiet")) {
                quiet.add(p);
            }
        }
        List<String> findings = run("stderr=false", List.of(), quiet.toArray(new String[0]));
        assertThat(findings).as("findings on correct programs").isEmpty();
    }

    @Test
    void everyRacyProgramIsReported() throws Exception {
        List<String> findings = run("stderr=false", List.of(), RACY.keySet().toArray(new String[0]));
        for (Map.Entry<String, String> e : RACY.entrySet()) {
            assertThat(findings)
                    .as(e.getKey() + " is reported; findings: " + findings)
                    .anyMatch(f -> Jvm.thread0(f).startsWith(e.getValue())
                            || Jvm.thread1(f).startsWith(e.getValue()));
        }
        assertThat(findings)
                .as("the main thread was not started by the agent's premain: no start site")
                .anyMatch(f -> f.contains("\"name\":\"main\""))
                .noneMatch(f -> f.contains("MapscopeAgent.premain") || f.contains("BootJar."));
        assertThat(findings).as("access order").anyMatch(f -> f.contains("\"operation\":\"get (access-ordered"));
        assertThat(findings).as("backing map").anyMatch(f -> f.contains("\"backingOf\":\"java.util.HashSet\""));
        assertThat(findings)
                .as("both stacks name the code")
                .anyMatch(f -> f.contains("\"kind\":\"unsynchronized-write\"") && f.contains("\"stackAt\":\"write\""));
    }
}
