package dev.mapscope.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Properties;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Puts the mapscope agent on the test JVM's command line, as JaCoCo's {@code prepare-agent} does: sets the
 * property {@code argLine} (which Surefire and Failsafe read) to
 * {@code -javaagent:<mapscope-agent.jar>=report=<findings>,<options>}, before whatever the property held
 * already (JaCoCo's agent, memory settings), so that nothing is switched off. The agent jar is the one this
 * plugin depends on: no dependency to add.
 *
 * <p>A build that sets {@code <argLine>} in Surefire's own configuration must write {@code @{argLine}} in it
 * for the agent (and JaCoCo's) to stay: Surefire reads the property late only through that placeholder.
 */
@Mojo(name = "prepare-agent", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public final class PrepareAgentMojo extends AbstractMojo {
    static final String AGENT = "dev.mapscope:mapscope-agent";

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    @Parameter(defaultValue = "${plugin.artifactMap}", readonly = true, required = true)
    Map<String, Artifact> pluginArtifacts;

    /** The property to set: {@code argLine} for Surefire and Failsafe, or a name of your own. */
    @Parameter(property = "mapscope.propertyName", defaultValue = "argLine")
    String propertyName;

    /** The findings file the agent appends to (JSON lines); {@code check} reads it. */
    @Parameter(property = "mapscope.findings", defaultValue = "${project.build.directory}/mapscope/findings.jsonl")
    File findings;

    /**
     * More agent options, comma-separated, e.g. {@code halt-on-race=true} or {@code mode=overlap}
     * (docs/AGENT.md). With mapscope-junit on the test class path, halt-on-race fails the racy test, not the JVM.
     */
    @Parameter(property = "mapscope.options")
    String options;

    /** Keep the findings of an earlier run in the file instead of starting it afresh. */
    @Parameter(property = "mapscope.append", defaultValue = "false")
    boolean append;

    @Parameter(property = "mapscope.skip", defaultValue = "false")
    boolean skip;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("mapscope: skipped (mapscope.skip)");
            return;
        }
        Artifact agent = pluginArtifacts.get(AGENT);
        if (agent == null || agent.getFile() == null) {
            throw new MojoExecutionException("the plugin's own dependency " + AGENT + " was not resolved");
        }
        String findingsPath = findings.getAbsolutePath();
        if (findingsPath.contains(",")) {
            throw new MojoExecutionException("the findings path " + findingsPath
                    + " contains a comma, which separates the agent's options; choose another <findings>");
        }
        if (!append) {
            try {
                Files.deleteIfExists(findings.toPath()); // the agent appends: a race fixed since the last run goes
            } catch (IOException e) {
                throw new MojoExecutionException("cannot delete the old findings file " + findingsPath + ": " + e);
            }
        }
        String value = agentArgument(agent.getFile(), findingsPath, options);
        Properties props = project.getProperties();
        Properties user = session.getUserProperties();
        String old = user.getProperty(propertyName, props.getProperty(propertyName));
        String line = prepend(value, old);
        props.setProperty(propertyName, line);
        if (user.getProperty(propertyName) != null) {
            user.setProperty(propertyName, line); // -DargLine=... wins over the project's property: keep both
        }
        getLog().info(propertyName + " set to " + line);
    }

    /** The agent first, then what the property held (JaCoCo's agent, -Xmx): both stay. */
    static String prepend(String agent, String old) {
        return old == null || old.isBlank() ? agent : agent + " " + old.strip();
    }

    /** {@code -javaagent:JAR=report=FILE[,OPTIONS]}, quoted as a whole when a path has a space (as JaCoCo does). */
    static String agentArgument(File jar, String findings, String options) {
        String arg = "-javaagent:" + jar.getAbsolutePath() + "=report=" + findings;
        if (options != null && !options.isBlank()) {
            arg += "," + options.strip();
        }
        return arg.contains(" ") ? '"' + arg + '"' : arg;
    }
}
