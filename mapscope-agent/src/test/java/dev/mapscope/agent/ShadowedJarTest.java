package dev.mapscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warning for another build of the agent earlier on the class path than the jar -javaagent names. */
class ShadowedJarTest {
    private static final String AGENT = "dev/mapscope/agent/MapscopeAgent.class";
    private static final byte[] BUILD = {1, 2, 3};
    private static final byte[] OTHER_BUILD = {1, 2, 4};

    @TempDir
    Path dir;

    private Path jar(String name, String entry, byte[] boot) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p);
                JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry(entry));
            j.closeEntry();
            j.putNextEntry(new JarEntry(BootJar.RESOURCE));
            j.write(boot);
            j.closeEntry();
        }
        return p;
    }

    @Test
    void anotherBuildEarlierOnTheClassPathIsNamedWithTheJarItShadows() throws IOException {
        Path onClassPath = jar("mapscope-agent-0.0.9.jar", AGENT, OTHER_BUILD);
        Path named = jar("mapscope-agent.jar", AGENT, BUILD);
        String line = MapscopeAgent.shadowedJar(
                onClassPath,
                OTHER_BUILD,
                List.of("-Xmx1g", "-javaagent:" + named + "=mode=full", "-cp", onClassPath.toString()));
        assertThat(line)
                .startsWith("mapscope: the agent runs from " + onClassPath)
                .contains("another build than " + named);
    }

    @Test
    void theNamedJarACopyOfItsBuildOrAnotherAgentIsNoWarning() throws IOException {
        Path agent = jar("mapscope-agent.jar", AGENT, BUILD);
        Path copy = jar("copy.jar", AGENT, BUILD);
        Path other = jar("other-agent.jar", "com/example/Agent.class", OTHER_BUILD);
        assertThat(MapscopeAgent.shadowedJar(agent, BUILD, List.of("-javaagent:" + agent)))
                .isNull();
        assertThat(MapscopeAgent.shadowedJar(copy, BUILD, List.of("-javaagent:" + agent)))
                .isNull();
        assertThat(MapscopeAgent.shadowedJar(
                        agent, BUILD, List.of("-javaagent:" + other + "=x", "-javaagent:" + agent)))
                .isNull();
        assertThat(MapscopeAgent.shadowedJar(agent, BUILD, List.of("-javaagent:" + dir.resolve("missing.jar"))))
                .isNull();
    }
}
