package dev.mapscope.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import org.junit.jupiter.api.Test;

class PrepareAgentMojoTest {
    @Test
    void theAgentArgumentNamesTheJarTheFindingsAndTheOptions() {
        assertThat(PrepareAgentMojo.agentArgument(new File("/r/mapscope-agent.jar"), "/p/target/f.jsonl", null))
                .isEqualTo("-javaagent:/r/mapscope-agent.jar=report=/p/target/f.jsonl");
        assertThat(PrepareAgentMojo.agentArgument(
                        new File("/r/mapscope-agent.jar"), "/p/target/f.jsonl", " halt-on-race=true "))
                .isEqualTo("-javaagent:/r/mapscope-agent.jar=report=/p/target/f.jsonl,halt-on-race=true");
    }

    @Test
    void aPathWithASpaceIsQuotedAsAWhole() {
        assertThat(PrepareAgentMojo.agentArgument(new File("/my repo/mapscope-agent.jar"), "/p/f.jsonl", null))
                .isEqualTo("\"-javaagent:/my repo/mapscope-agent.jar=report=/p/f.jsonl\"");
    }

    @Test
    void whatArgLineHeldStaysAfterTheAgent() {
        assertThat(PrepareAgentMojo.prepend("-javaagent:a.jar", null)).isEqualTo("-javaagent:a.jar");
        assertThat(PrepareAgentMojo.prepend("-javaagent:a.jar", "  ")).isEqualTo("-javaagent:a.jar");
        assertThat(PrepareAgentMojo.prepend("-javaagent:a.jar", "-javaagent:jacoco.jar=destfile=x -Xmx1g"))
                .isEqualTo("-javaagent:a.jar -javaagent:jacoco.jar=destfile=x -Xmx1g");
    }
}
