package dev.mapscope.cli.jvm;

import dev.mapscope.cli.console.UserError;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/** Finds the agent jar: the one file that goes into {@code -javaagent:} and into {@code loadAgent}. */
public final class AgentJar {
    private AgentJar() {}

    /** The system property, then the environment variable, that name the jar explicitly. */
    public static final String PROPERTY = "mapscope.agent.jar";

    static final String ENV = "MAPSCOPE_AGENT_JAR";

    /** The agent jar's absolute path, or a {@link UserError} saying where it was looked for and how to build it. */
    public static Path locate() {
        String explicit = System.getProperty(PROPERTY);
        String from = "-D" + PROPERTY;
        if (explicit == null || explicit.isBlank()) {
            explicit = System.getenv(ENV);
            from = ENV;
        }
        Path jar;
        if (explicit != null && !explicit.isBlank()) {
            jar = Path.of(explicit);
        } else {
            // The CLI runs from <repo>/mapscope-cli/target/classes or <repo>/mapscope-cli/target/mapscope-cli.jar.
            Path repo = repositoryRoot();
            jar = repo == null ? null : repo.resolve("mapscope-agent/target/mapscope-agent.jar");
            from = "the repository next to the mapscope command";
        }
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new UserError(
                    "the agent jar is missing" + (jar == null ? "" : " (looked for " + jar + ", from " + from + ")")
                            + "; build it with ./mapscope (which builds on first use) or"
                            + " mvn -B -ntp -q -DskipTests package");
        }
        return jar.toAbsolutePath().normalize();
    }

    /** The build of the agent jar (its manifest's Implementation-Version), or null when it does not say. */
    public static String build(Path jar) {
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            java.util.jar.Manifest m = j.getManifest();
            return m == null ? null : m.getMainAttributes().getValue("Implementation-Version");
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The directory that holds mapscope-cli/, or {@code null} when the CLI does not run from a build tree. */
    static Path repositoryRoot() {
        try {
            CodeSource cs = AgentJar.class.getProtectionDomain().getCodeSource();
            if (cs == null) {
                return null;
            }
            Path self = Path.of(cs.getLocation().toURI()).toAbsolutePath();
            Path target = self.getParent();
            Path module = target == null ? null : target.getParent();
            return module == null ? null : module.getParent();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }
}
