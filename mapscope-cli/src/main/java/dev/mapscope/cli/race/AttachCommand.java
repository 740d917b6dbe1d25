package dev.mapscope.cli.race;

import dev.mapscope.cli.console.DurationConverter;
import dev.mapscope.cli.console.Invocation;
import dev.mapscope.cli.console.Outputs;
import dev.mapscope.cli.console.Shutdown;
import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.jvm.AgentJar;
import dev.mapscope.cli.jvm.AgentModeOption;
import dev.mapscope.cli.jvm.Attachment;
import dev.mapscope.cli.jvm.Session;
import dev.mapscope.cli.jvm.Target;
import dev.mapscope.cli.render.Findings;
import dev.mapscope.cli.render.FindingsOptions;
import dev.mapscope.cli.render.HtmlReport;
import dev.mapscope.cli.render.LiveFindings;
import dev.mapscope.cli.render.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "attach",
        header = "Watch a running JVM for map races, then detach.",
        description = {
            "Loads the agent into a running JVM, prints each map race as it happens, then detaches: the"
                    + " original bytecode is restored and the JVM keeps running.",
            "Watches for --for DURATION, or until Ctrl-C. No network port is opened in the target: the agent is"
                    + " loaded through the JVM's attach mechanism (same user only) and talks through files in a"
                    + " directory only you can read."
        },
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  mapscope attach 12345 --for 30s",
            "  mapscope attach 12345 --for 5m --mode overlap --html races.html",
            "  mapscope attach $(pgrep -f my-service.jar)        until Ctrl-C"
        })
public final class AttachCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AgentModeOption agentMode;

    @Mixin
    FindingsOptions findingsOptions;

    @Parameters(index = "0", paramLabel = "PID", description = "the process id of the JVM to watch")
    long pid;

    @Option(
            names = "--for",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "how long to watch before detaching: 30s, 5m, 1h (default: until Ctrl-C)")
    Duration duration;

    @Option(names = "--report", paramLabel = "FILE", description = "copy the findings (JSON lines) to FILE at the end")
    Path report;

    @Option(names = "--verbose", description = "print how long the attach and the detach took")
    boolean verbose;

    private Session session;
    private LiveFindings live;
    private boolean finished;
    /** the session's owner lock, held while this command watches (released by the OS if it is killed) */
    private Session.Owner owner;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Target target = Target.of(pid);
        target.checkAttachable();
        session = new Session(pid);
        session.createPrivate();
        Path agent = AgentJar.locate();
        owner = session.own(Duration.ZERO);
        if (owner == null) {
            throw new UserError(Attachment.busy(pid, session));
        }
        try {
            return watch(target, agent, out, err);
        } finally {
            owner.close();
        }
    }

    private Integer watch(Target target, Path agent, PrintWriter out, PrintWriter err) throws Exception {
        Session.Status previous = session.readStatus();
        if (previous != null && previous.attached() && !Attachment.stale(previous, target)) {
            // Attached, and no mapscope holds the session: the one that attached was killed. Not in the way.
            throw new UserError("mapscope is already attached to pid " + pid + " (since " + previous.since()
                    + ") by a mapscope command that has ended; see it with `mapscope status " + pid
                    + "` or end it with `mapscope detach " + pid + "`, then attach again");
        }
        if (report != null) {
            Outputs.checkWritable(report);
        }
        if (findingsOptions.html != null) {
            Outputs.checkWritable(findingsOptions.html);
        }
        session.clearPrevious();
        long t0 = System.nanoTime();
        Attachment.load(target, session, agent, agentMode.mode, err);
        long loaded = System.nanoTime();
        Session.Status status = Attachment.awaitStart(target, session);
        long started = System.nanoTime();
        if (verbose) {
            err.printf(
                    "mapscope: attach took %d ms: loadAgent %d ms, then %d ms until the agent's first status%n",
                    (started - t0) / 1_000_000, (loaded - t0) / 1_000_000, (started - loaded) / 1_000_000);
            err.flush();
        }
        if (!Attachment.sameBuild(status, agent)) {
            session.command("detach", st -> !st.attached(), Attachment.DETACH_TIMEOUT);
            Attachment.checkBuild(status, agent, pid);
        }
        out.printf(
                "attached to pid %d (mode %s, watching %s); the agent writes to %s%n",
                pid, status.mode(), status.watchedMaps(), session.dir());
        out.println(
                duration == null
                        ? "watching until Ctrl-C; then mapscope detaches and the JVM keeps running."
                        : "watching for " + DurationConverter.format(duration)
                                + "; then mapscope detaches and the JVM keeps" + " running (Ctrl-C detaches earlier).");
        out.flush();

        live = new LiveFindings(session.findingsFile(), out, findingsOptions.frames);
        Thread onCtrlC = new Thread(() -> finish(out, err, "interrupted"), "mapscope-detach-on-exit");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        String why = "time is up";
        int polls = 0;
        while (duration == null || System.nanoTime() - deadline < 0) {
            live.poll();
            if (!target.alive()) {
                why = "the process ended";
                break;
            }
            if (++polls % 5 == 0 && endedElsewhere()) {
                why = "the session was ended by `mapscope detach " + pid + "`";
                break;
            }
            Thread.sleep(200);
        }
        finish(out, err, why);
        Shutdown.removeHook(onCtrlC);
        return 0;
    }

    /** Whether the agent already says it is detached (someone ran `mapscope detach` from another terminal). */
    private boolean endedElsewhere() {
        Session.Status s = session.readStatus();
        return s != null && !s.attached();
    }

    /** Detaches through the control file, prints the summary, writes the reports; once, from Ctrl-C or the end. */
    private synchronized void finish(PrintWriter out, PrintWriter err, String why) {
        if (finished) {
            return;
        }
        finished = true;
        out.println();
        out.println("mapscope: " + why + (endedElsewhere() ? "." : "; detaching from pid " + pid + "..."));
        out.flush();
        Session.Status s = null;
        if (endedElsewhere()) {
            out.println("detached: the original bytecode is restored and pid " + pid + " keeps running.");
        } else if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            long t0 = System.nanoTime();
            try {
                s = session.command("detach", st -> !st.attached(), Attachment.DETACH_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (verbose && s != null) {
                err.printf(
                        "mapscope: detach took %d ms (request to the agent's detached status, bytecode restored)%n",
                        (System.nanoTime() - t0) / 1_000_000);
            }
            if (s == null) {
                err.println("mapscope: the agent in pid " + pid + " did not confirm the detach within "
                        + DurationConverter.format(Attachment.DETACH_TIMEOUT) + "; check with `mapscope status " + pid
                        + "`.");
            } else {
                out.println("detached: the original bytecode is restored and pid " + pid + " keeps running.");
            }
        }
        live.poll();
        Findings findings = live.findings();
        out.println(
                findings.list().isEmpty()
                        ? "no map races seen while attached."
                        : TextReport.races(findings.list().size()) + " seen while attached, " + findings.occurrences()
                                + " occurrence" + (findings.occurrences() == 1 ? "" : "s") + " in all.");
        try {
            if (report != null && Files.exists(session.findingsFile())) {
                Files.copy(session.findingsFile(), report, StandardCopyOption.REPLACE_EXISTING);
                out.println("findings: " + report.toAbsolutePath());
            }
            if (findingsOptions.html != null) {
                HtmlReport.write(
                        Files.exists(session.findingsFile()) ? Findings.read(session.findingsFile()) : new Findings(),
                        "pid " + pid,
                        findingsOptions.html);
                out.println("HTML report: " + findingsOptions.html.toAbsolutePath());
            }
        } catch (IOException | UserError e) {
            err.println("mapscope: " + e.getMessage());
        }
        if (report == null && findingsOptions.html == null && !findings.list().isEmpty()) {
            out.println("render them again with: " + Invocation.name() + " report " + session.findingsFile()
                    + " --html races.html");
        }
        out.flush();
        err.flush();
    }

    /** The map classes among the instrumented ones (the agent also instruments lock classes, to see happens-before). */
}
