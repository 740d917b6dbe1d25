package dev.mapscope.maven;

import dev.mapscope.cli.MapscopeCommand;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Fails the build when the tests made a map race: reads the findings file the agent wrote (prepare-agent),
 * leaves out the races of a baseline and those a suppression rule matches (counted and named in the log), writes
 * SARIF and JUnit XML when asked, and fails with every remaining race in the log. It runs {@code mapscope report}
 * in the build's JVM, so its output and files are the command's (docs/CLI.md).
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public final class CheckMojo extends AbstractMojo {
    /** mapscope report's status for "a race remains" (the agent's halt-on-race status). */
    static final int RACE_FOUND = 66;

    @Parameter(property = "mapscope.findings", defaultValue = "${project.build.directory}/mapscope/findings.jsonl")
    File findings;

    /** An earlier findings file: its races are accepted (counted, not reported). */
    @Parameter(property = "mapscope.baseline")
    File baseline;

    /** Suppression rules, one a line: {@code id <finding-id> <reason>} or {@code frame <glob> <reason>}. */
    @Parameter(property = "mapscope.suppressions")
    File suppressions;

    /** Also write a SARIF 2.1.0 log here (GitHub code scanning). */
    @Parameter(property = "mapscope.sarif")
    File sarif;

    /** Also write a JUnit XML report here, one failed test case per race (Jenkins, GitLab). */
    @Parameter(property = "mapscope.junitXml")
    File junitXml;

    /** Fail the build when a race remains; {@code false} only reports. */
    @Parameter(property = "mapscope.failOnRace", defaultValue = "true")
    boolean failOnRace;

    @Parameter(property = "mapscope.skip", defaultValue = "false")
    boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("mapscope: skipped (mapscope.skip)");
            return;
        }
        if (!findings.isFile()) {
            getLog().info("mapscope: no findings file " + findings
                    + ": no test ran under the agent (is prepare-agent bound, and did tests run?)");
            return;
        }
        List<String> args = new ArrayList<>(List.of("report", findings.getPath()));
        option(args, "--baseline", baseline);
        option(args, "--suppress", suppressions);
        option(args, "--sarif", sarif);
        option(args, "--junit-xml", junitXml);
        if (failOnRace) {
            args.add("--fail-on-race");
        }
        for (File out : new File[] {sarif, junitXml}) {
            if (out != null && out.getAbsoluteFile().getParentFile() != null) {
                out.getAbsoluteFile().getParentFile().mkdirs();
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status;
        try (PrintWriter o = new PrintWriter(out);
                PrintWriter e = new PrintWriter(err)) {
            status = MapscopeCommand.execute(o, e, args.toArray(new String[0]));
        }
        Log log = getLog();
        boolean races = status == RACE_FOUND;
        for (String line : out.toString().split("\\R")) {
            if (races && !line.startsWith("wrote ")) {
                log.error(line);
            } else {
                log.info(line);
            }
        }
        for (String line : err.toString().split("\\R")) {
            if (!line.isEmpty()) {
                log.warn(line);
            }
        }
        if (races) {
            throw new MojoFailureException("mapscope found map races in " + findings
                    + " (above); fix them, or accept them with <baseline> or <suppressions>");
        }
        if (status != 0) {
            throw new MojoExecutionException("mapscope report " + findings + " failed with status " + status + ": "
                    + err.toString().strip());
        }
    }

    private static void option(List<String> args, String name, File value) {
        if (value != null) {
            args.add(name);
            args.add(value.getPath());
        }
    }
}
