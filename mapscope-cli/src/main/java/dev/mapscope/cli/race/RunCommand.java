package dev.mapscope.cli.race;

import dev.mapscope.cli.console.DurationConverter;
import dev.mapscope.cli.console.Invocation;
import dev.mapscope.cli.console.Outputs;
import dev.mapscope.cli.console.Shutdown;
import dev.mapscope.cli.console.Terminal;
import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.jvm.AgentJar;
import dev.mapscope.cli.jvm.AgentModeOption;
import dev.mapscope.cli.jvm.Jvm;
import dev.mapscope.cli.profile.ProfileCommand;
import dev.mapscope.cli.profile.ProfileFiles;
import dev.mapscope.cli.render.Findings;
import dev.mapscope.cli.render.FindingsOptions;
import dev.mapscope.cli.render.HtmlReport;
import dev.mapscope.cli.render.LiveFindings;
import dev.mapscope.cli.render.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "run",
        header = "Run a Java program under the agent; print races as they happen.",
        description = {
            "Starts a Java program with the mapscope agent, prints each map race as it is found (on stderr)"
                    + " and a summary when the program ends. Exits with the program's status, or 66 with --fail-on-race"
                    + " when a race was found.",
            "The command after -- is a java command line (the agent goes right after the java executable),"
                    + " java options alone (-jar app.jar, -cp dir Main: this JDK's java is used), a jar file, or any"
                    + " other program that starts JVMs (mvn, gradle, a script: the agent is passed through"
                    + " JAVA_TOOL_OPTIONS)."
        },
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  mapscope run -- java -cp build/classes com.example.Main --port 8080",
            "  mapscope run --fail-on-race --report findings.jsonl -- -jar app.jar",
            "  mapscope run --mode overlap --html races.html -- mvn -q test"
        })
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AgentModeOption agentMode;

    @Mixin
    FindingsOptions findingsOptions;

    @Option(
            names = "--report",
            paramLabel = "FILE",
            description = "keep the findings (JSON lines) in FILE; `mapscope report FILE` renders them later")
    Path report;

    @Option(names = "--fail-on-race", description = "exit with status 66 when the agent found any race")
    boolean failOnRace;

    @Option(
            names = "--profile",
            paramLabel = "DIR",
            description = "profile the maps from the start; when the program ends write flame.html, profile.collapsed,"
                    + " profile.pb.gz, profile.jfr, summary.txt and report.html into DIR (as `mapscope profile` does)")
    Path profile;

    @Option(
            names = "--profile-sample",
            paramLabel = "N",
            defaultValue = "" + ProfileCommand.DEFAULT_SAMPLE,
            description = "with --profile: record the stack of one map operation in N per thread"
                    + " (default: ${DEFAULT-VALUE})")
    int profileSample;

    @Option(
            names = "--profile-window",
            paramLabel = "DURATION",
            defaultValue = "1ms",
            description = "with --profile: count same-bucket writes by two threads within this window"
                    + " (default: ${DEFAULT-VALUE})")
    String profileWindow;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "the program to run, after --")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path agent = AgentJar.locate();
        Path findingsFile = prepareFindingsFile(report);
        if (findingsOptions.html != null) {
            Outputs.checkWritable(findingsOptions.html);
        }
        String options = Jvm.agentOptions(findingsFile, "stderr=false,mode=" + agentMode.mode + profileOptions());
        ProcessBuilder pb = new ProcessBuilder().inheritIO();
        List<String> cmd = withAgent(command, agent, options, pb.environment(), err);
        pb.command(cmd);
        String program = cmd.get(0);
        if (program.contains("/") ? !Files.isExecutable(Path.of(program)) : Jvm.findOnPath(program) == null) {
            throw new UserError("cannot start '" + program + "': no such program");
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UserError("cannot start '" + cmd.get(0) + "': " + firstSentence(e.getMessage()));
        }
        LiveFindings live = new LiveFindings(findingsFile, err, findingsOptions.frames);
        AtomicBoolean finished = new AtomicBoolean();
        // Ctrl-C reaches the program too (same process group); print what was found before this JVM exits.
        Thread onInterrupt = new Thread(
                () -> {
                    if (finished.compareAndSet(false, true)) {
                        try {
                            // Ctrl-C already reached the program; a kill aimed at mapscope alone did not: pass it on.
                            if (!process.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) {
                                process.destroy();
                                process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                            }
                        } catch (InterruptedException ignored) {
                            Thread.currentThread().interrupt();
                        }
                        live.poll();
                        summarize(live.findings(), findingsFile, err);
                    }
                },
                "mapscope-run-interrupted");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        while (!process.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            live.poll();
        }
        if (!finished.compareAndSet(false, true)) {
            return process.exitValue(); // the shutdown hook is printing the summary; this JVM is ending
        }
        Shutdown.removeHook(onInterrupt);
        live.poll();
        Findings findings = live.findings();
        summarize(findings, findingsFile, err);
        if (findingsOptions.html != null) {
            HtmlReport.write(Findings.read(findingsFile), findingsFile.toString(), findingsOptions.html);
            err.println("mapscope: HTML report: " + findingsOptions.html.toAbsolutePath());
        }
        if (profile != null) {
            renderProfile(err);
        }
        if (report == null) {
            Files.deleteIfExists(findingsFile);
        }
        err.flush();
        int status = process.exitValue();
        if (failOnRace && !findings.list().isEmpty()) {
            err.println("mapscope: exit status " + Invocation.RACE_FOUND + " (--fail-on-race); the program's own was "
                    + status + ".");
            err.flush();
            return Invocation.RACE_FOUND;
        }
        return status;
    }

    /** The agent options for --profile ("" without it); checks the directory and the values first. */
    private String profileOptions() {
        if (profile == null) {
            return "";
        }
        if (profileSample < 1) {
            throw new UserError(
                    "--profile-sample must be 1 or more (one operation in N is sampled), not " + profileSample, 2);
        }
        long micros;
        try {
            micros = DurationConverter.windowMicros(profileWindow, "--profile-window");
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), 2);
        }
        Path dir = Outputs.ensureDirectory(profile.toAbsolutePath());
        if (dir.toString().contains(",")) {
            throw new UserError(
                    "the --profile directory must not contain a comma (the agent's option separator): " + dir, 2);
        }
        for (String name : new String[] {"run.done", "run.error", "run.collapsed", "run.json", "run.jfr"}) {
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                throw new UserError("cannot clear the previous profile in " + dir + ": " + e.getMessage());
            }
        }
        return ",profile=" + dir + ",profile-sample=" + profileSample + ",profile-window=" + micros;
    }

    /** After the program ended: the agent wrote DIR/run.* at its exit; render them into DIR like `profile` does. */
    private void renderProfile(PrintWriter err) throws IOException, InterruptedException {
        Path dir = profile.toAbsolutePath();
        long deadline = System.nanoTime() + 10_000_000_000L; // the files are written before the JVM exits
        while (!Files.exists(dir.resolve("run.done"))
                && !Files.exists(dir.resolve("run.error"))
                && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
        }
        if (Files.exists(dir.resolve("run.error"))) {
            err.println("mapscope: no profile: "
                    + Files.readString(dir.resolve("run.error")).strip());
        } else if (!Files.exists(dir.resolve("run.done"))) {
            err.println("mapscope: no profile: the program ended without the agent writing " + dir.resolve("run.done")
                    + " (was it killed?)");
        } else {
            String program = String.join(" ", command);
            program = program.length() > 72 ? program.substring(0, 69) + "..." : program;
            String summary = ProfileFiles.renderMap(
                    dir.resolve("run"),
                    dir,
                    "map profile of " + program,
                    new ProfileFiles.Options(List.of(), List.of(), 5, Terminal.colorWanted(false)));
            err.println();
            err.print(summary);
            err.println(ProfileFiles.written(dir));
        }
        err.flush();
    }

    private void summarize(Findings findings, Path findingsFile, PrintWriter err) {
        err.println();
        if (findings.list().isEmpty()) {
            err.println("mapscope: no map races seen in this run. (The agent reports a map written by two threads"
                    + " without a common lock; a run that never did that stays quiet.)");
        } else {
            err.printf(
                    "mapscope: %s found, %d occurrence%s in all.%n",
                    TextReport.races(findings.list().size()),
                    findings.occurrences(),
                    findings.occurrences() == 1 ? "" : "s");
            if (report != null) {
                err.println("mapscope: findings kept in " + findingsFile + "; render them with: " + Invocation.name()
                        + " report " + findingsFile + " --html report.html");
            }
        }
        Findings.Summary s = findings.summary();
        if (s != null && s.dropped() > 0) {
            err.println("mapscope: the agent dropped " + s.dropped() + " findings when it reached its memory bound.");
        }
        err.flush();
    }

    /** A fresh findings file: the user's (emptied: the agent appends), or a temporary one. */
    static Path prepareFindingsFile(Path report) throws IOException {
        if (report == null) {
            return Files.createTempFile("mapscope-run-", ".jsonl").toAbsolutePath();
        }
        Outputs.checkWritable(report);
        Files.deleteIfExists(report);
        return report.toAbsolutePath();
    }

    /**
     * The command line to start, with {@code -javaagent:AGENT=OPTIONS} placed where the JVM reads it: right after
     * the java executable; after this JDK's java when the command starts with a java option or is a jar; in
     * {@code JAVA_TOOL_OPTIONS} (added to {@code env}) for any other program.
     */
    public static List<String> withAgent(
            List<String> command, Path agent, String options, Map<String, String> env, PrintWriter err) {
        String javaagent = "-javaagent:" + agent + "=" + options;
        String first = command.get(0);
        List<String> cmd = new ArrayList<>();
        String base = Path.of(first).getFileName() == null
                ? first
                : Path.of(first).getFileName().toString();
        if (base.equals("java") || base.equals("java.exe") || base.equals("javaw.exe")) {
            cmd.add(first);
            cmd.add(javaagent);
            cmd.addAll(command.subList(1, command.size()));
        } else if (first.startsWith("-")) {
            cmd.add(Jvm.java());
            cmd.add(javaagent);
            cmd.addAll(command);
        } else if (first.endsWith(".jar")) {
            cmd.add(Jvm.java());
            cmd.add(javaagent);
            cmd.add("-jar");
            cmd.addAll(command);
        } else {
            if (javaagent.contains(" ")) {
                throw new UserError("JAVA_TOOL_OPTIONS cannot carry a path with spaces: " + javaagent);
            }
            String existing = env.get("JAVA_TOOL_OPTIONS");
            env.put(
                    "JAVA_TOOL_OPTIONS",
                    existing == null || existing.isBlank() ? javaagent : existing + " " + javaagent);
            err.println("mapscope: '" + first + "' is not java; every JVM it starts gets the agent through"
                    + " JAVA_TOOL_OPTIONS.");
            cmd.addAll(command);
        }
        return cmd;
    }

    private static String firstSentence(String message) {
        return message == null ? "it could not be started" : message;
    }
}
