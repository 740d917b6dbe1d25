package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.jvm.AgentJar;
import dev.mapscope.cli.jvm.Jvm;
import dev.mapscope.cli.race.RunCommand;
import dev.mapscope.cli.render.FindingsTail;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where `run` puts -javaagent, and how the findings of a growing file are followed. */
class RunCommandTest {

    private static final Path AGENT = Path.of("/opt/m/mapscope-agent.jar");

    private final Map<String, String> env = new HashMap<>();
    private final StringWriter err = new StringWriter();

    private List<String> inject(String... command) {
        return RunCommand.withAgent(List.of(command), AGENT, "report=/f.jsonl", env, new PrintWriter(err, true));
    }

    @Test
    void theAgentGoesRightAfterTheJavaExecutable() {
        assertThat(inject("java", "-cp", "app.jar", "com.example.Main", "--port", "1"))
                .containsExactly(
                        "java",
                        "-javaagent:/opt/m/mapscope-agent.jar=report=/f.jsonl",
                        "-cp",
                        "app.jar",
                        "com.example.Main",
                        "--port",
                        "1");
        assertThat(inject("/usr/local/jdk/bin/java", "-jar", "a.jar").subList(0, 2))
                .containsExactly("/usr/local/jdk/bin/java", "-javaagent:/opt/m/mapscope-agent.jar=report=/f.jsonl");
        assertThat(env).isEmpty();
    }

    @Test
    void javaOptionsAloneUseThisJdksJava() {
        assertThat(inject("-jar", "app.jar", "x"))
                .containsExactly(
                        Jvm.java(), "-javaagent:/opt/m/mapscope-agent.jar=report=/f.jsonl", "-jar", "app.jar", "x");
        assertThat(inject("app.jar"))
                .containsExactly(Jvm.java(), "-javaagent:/opt/m/mapscope-agent.jar=report=/f.jsonl", "-jar", "app.jar");
    }

    @Test
    void otherProgramsGetTheAgentThroughJavaToolOptions() {
        env.put("JAVA_TOOL_OPTIONS", "-Xmx1g");
        assertThat(inject("mvn", "-q", "test")).containsExactly("mvn", "-q", "test");
        assertThat(env)
                .containsEntry("JAVA_TOOL_OPTIONS", "-Xmx1g -javaagent:/opt/m/mapscope-agent.jar=report=/f.jsonl");
        assertThat(err.toString()).contains("'mvn' is not java");
    }

    @Test
    void aCommaInTheFindingsPathIsRefused() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                        () -> Jvm.agentOptions(Path.of("/tmp/a,b.jsonl"), "")))
                .isInstanceOf(UserError.class)
                .hasMessage("the findings file path must not contain a comma (the agent's option separator):"
                        + " /tmp/a,b.jsonl");
    }

    @Test
    void aProgramThatDoesNotExistIsOneSentence(@TempDir Path dir) {
        String saved = System.setProperty(AgentJar.PROPERTY, fakeAgent(dir).toString());
        try {
            Cli.Result r = Cli.run("run", "--", "no-such-program-mapscope");
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).endsWith("mapscope: cannot start 'no-such-program-mapscope': no such program\n");
        } finally {
            restore(saved);
        }
    }

    @Test
    void aMissingAgentJarSaysHowToBuildIt(@TempDir Path dir) {
        String saved =
                System.setProperty(AgentJar.PROPERTY, dir.resolve("none.jar").toString());
        try {
            Cli.Result r = Cli.run("agent-path");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err())
                    .isEqualTo("mapscope: the agent jar is missing (looked for " + dir.resolve("none.jar")
                            + ", from -Dmapscope.agent.jar); build it with ./mapscope (which builds on first use) or"
                            + " mvn -B -ntp -q -DskipTests package\n");
        } finally {
            restore(saved);
        }
    }

    @Test
    void theTailReturnsOnlyCompleteLines(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("findings.jsonl");
        FindingsTail tail = new FindingsTail(f);
        assertThat(tail.poll()).isEmpty();
        Files.writeString(f, "{\"a\":1}\n{\"b\":");
        assertThat(tail.poll()).containsExactly("{\"a\":1}");
        Files.writeString(f, "2}\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(tail.poll()).containsExactly("{\"b\":2}");
        assertThat(tail.poll()).isEmpty();
    }

    private static void restore(String saved) {
        if (saved == null) {
            System.clearProperty(AgentJar.PROPERTY);
        } else {
            System.setProperty(AgentJar.PROPERTY, saved);
        }
    }

    private static Path fakeAgent(Path dir) {
        try {
            return Files.writeString(dir.resolve("agent.jar"), "not really a jar");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
