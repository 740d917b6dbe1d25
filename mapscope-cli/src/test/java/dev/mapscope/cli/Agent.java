package dev.mapscope.cli;

import static org.junit.jupiter.api.Assertions.fail;

import dev.mapscope.cli.jvm.AgentJar;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The real agent jar, built earlier in the same reactor run (the pom passes its path as mapscope.agent.jar). */
final class Agent {
    private Agent() {}

    /** Its path; skips the test when it was not built, unless CI is set (then a missing agent is a failure). */
    static Path require() {
        String p = System.getProperty(AgentJar.PROPERTY);
        if (p != null && Files.isRegularFile(Path.of(p))) {
            return Path.of(p);
        }
        if (System.getenv("CI") != null) {
            fail("the agent jar was not built: " + p);
        }
        Assumptions.abort("the agent jar was not built (" + p + "); end-to-end tests skipped");
        return null;
    }
}
