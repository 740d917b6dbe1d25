package dev.mapscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A racy program under {@code -javaagent}: each finding names the field that holds its map, read from the
 * program's bytecode by the agent's explainer thread, in the JSON line and in the text on stderr.
 */
class FieldNamingIT {
    @TempDir
    Path dir;

    @Test
    void findingsNameTheStaticMapAndTheInstanceSet() throws Exception {
        Path report = dir.resolve("findings.jsonl");
        try (Jvm jvm = Jvm.start(
                dir,
                List.of(),
                List.of("-javaagent:" + Jvm.agentJar() + "=report=" + report),
                FieldRaces.class.getName())) {
            assertThat(jvm.waitFor(120)).as(jvm.output()).isZero();
            List<String> findings = Jvm.findings(report);
            String cls = FieldRaces.class.getName();
            assertThat(findings)
                    .as(jvm.output())
                    .anyMatch(f -> f.contains("\"field\":{\"name\":\"" + cls + ".PRICES\",\"static\":true,\"frame\":\""
                            + cls + ".price(FieldRaces.java:"))
                    .anyMatch(f -> f.contains("\"backingOf\":\"java.util.HashSet\"")
                            && f.contains("\"field\":{\"name\":\"" + cls + ".seen\",\"static\":false"));
            assertThat(findings).allMatch(f -> f.contains("\"fix\":{\"advice\":\"use "));
            assertThat(jvm.output())
                    .contains("  field: " + cls + ".PRICES (static field, read at " + cls + ".price(FieldRaces.java:")
                    .contains("  field: " + cls + ".seen (instance field, read at " + cls + ".see(FieldRaces.java:")
                    .contains("  fix: use ");
        }
    }
}
