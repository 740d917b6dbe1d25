package dev.mapscope.cli.profile;

import dev.mapscope.cli.console.DurationConverter;
import dev.mapscope.cli.console.ProgressBar;
import dev.mapscope.cli.console.Shutdown;
import dev.mapscope.cli.console.Terminal;
import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.jvm.AgentMode;
import dev.mapscope.cli.jvm.Attachment;
import dev.mapscope.cli.jvm.Session;
import dev.mapscope.cli.jvm.Target;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "profile",
        header = "Profile a running JVM's maps: hot buckets, resizes, GC; or its CPU, wall clock or locks.",
        description = {
            "Attaches to a running JVM for --for DURATION and writes a flame graph whose towers end in the"
                    + " map and the bucket ([HashMap @ Cache.java:42];[bucket 17]), collapsed stacks, a pprof file, the"
                    + " JFR recording, a summary and report.html (heat map of the buckets, garbage collections beside the"
                    + " map resizes). Ctrl-C stops early and still writes everything.",
            "--event cpu, wall or lock profiles with async-profiler instead of the mapscope agent, rendered the"
                    + " same three ways; --include and --exclude keep or drop stacks by frame (a * at the start or end"
                    + " of a pattern matches anything)."
        },
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  mapscope profile 12345 --for 10s",
            "  mapscope profile 12345 --for 30s --sample 16 --window 500us --out hot-bucket",
            "  mapscope profile 12345 --event cpu --exclude 'java/util/HashMap*'"
        })
public final class ProfileCommand implements Callable<Integer> {

    enum Event {
        map,
        cpu,
        wall,
        lock
    }

    /** How long the agent may take beyond the duration to write its files (a JFR dump, 10,000 resizes). */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "the process id of the JVM to profile")
    long pid;

    @Option(
            names = "--for",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            defaultValue = "30s",
            description = "how long to profile: 10s, 5m (default: ${DEFAULT-VALUE}; Ctrl-C stops earlier)")
    Duration duration;

    /**
     * The agent's own default (docs/PROFILE-AGENT.md, "What it costs"): a sampled stack costs 3-15 µs, so 1 in 64
     * is 50-250 ns per operation, far above the 1.05x target for a map-heavy program; 1 in 1024 measured 1.15x on
     * the Jackson workload and 1 in 8192 1.00x.
     */
    public static final int DEFAULT_SAMPLE = 8192;

    @Option(
            names = "--sample",
            paramLabel = "N",
            defaultValue = "" + DEFAULT_SAMPLE,
            description = "record the stack of one map operation in N per thread; lower it (16, 64) for a short"
                    + " profile of a small workload (default: ${DEFAULT-VALUE})")
    int sample;

    @Option(
            names = "--window",
            paramLabel = "DURATION",
            defaultValue = "1ms",
            description = "count writes to one bucket by two threads within this window: 500us, 1ms, 2s"
                    + " (default: ${DEFAULT-VALUE})")
    String window;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            description = "directory for the files (default: a new mapscope-profile-PID-TIME here)")
    Path out;

    @Option(
            names = "--event",
            paramLabel = "EVENT",
            defaultValue = "map",
            description = "map (the mapscope agent), cpu, wall or lock (async-profiler) (default: ${DEFAULT-VALUE})")
    Event event;

    @Option(
            names = "--include",
            paramLabel = "PATTERN",
            description = "keep only stacks with a frame matching PATTERN (repeatable)")
    List<String> include = new ArrayList<>();

    @Option(
            names = "--exclude",
            paramLabel = "PATTERN",
            description = "drop stacks with a frame matching PATTERN (repeatable)")
    List<String> exclude = new ArrayList<>();

    @Option(
            names = "--top",
            paramLabel = "N",
            defaultValue = "5",
            description = "lines per list in the summary (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--color", description = "colour the heat map even when the output is not a terminal")
    boolean color;

    private final Object finishing = new Object();
    /** Set once the files are written (or failed), so that Ctrl-C during or after the end does nothing twice. */
    private boolean finished;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        long windowMicros = checkOptions();
        Path dir = out != null
                ? out
                : Path.of("mapscope-profile-" + pid + "-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        checkOutput(dir);
        Target target = Target.of(pid);
        target.checkAttachable();
        createOutput(dir);
        ProfileFiles.Options options = new ProfileFiles.Options(include, exclude, top, Terminal.colorWanted(color));
        if (event == Event.map) {
            profileMaps(target, dir, windowMicros, options, err);
        } else {
            profileAsync(target, dir, options, err);
        }
        return 0;
    }

    /** Checks the options that picocli cannot; returns the window in microseconds. */
    private long checkOptions() {
        if (sample < 1) {
            throw bad("--sample must be 1 or more (one operation in N is sampled), not " + sample);
        }
        if (top < 1) {
            throw bad("--top must be 1 or more, not " + top);
        }
        if (event != Event.map && (!window.equals("1ms") || sample != DEFAULT_SAMPLE)) {
            throw bad("--sample and --window belong to --event map; async-profiler's " + event + " profile has"
                    + " neither");
        }
        for (String p : concat(include, exclude)) {
            if (p.isEmpty()) {
                throw bad("--include and --exclude need a frame pattern, not an empty string");
            }
        }
        return parseWindow(window);
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private long parseWindow(String value) {
        try {
            return DurationConverter.windowMicros(value, "--window");
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    /** Checks that {@code dir} is or can become a writable directory, before anything is attached or created. */
    static void checkOutput(Path dir) {
        Path abs = dir.toAbsolutePath();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new UserError("cannot write the profile into --out " + dir + ": it is a file, not a directory");
        }
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new UserError(
                    "cannot create the --out directory " + dir + ": " + existing + " is a file, not a" + " directory");
        }
        if (!Files.isWritable(existing)) {
            throw new UserError("cannot write the --out directory " + dir + ": permission denied in " + existing);
        }
    }

    /** Creates the output directory now, so that a mistake shows before the profile and not after it. */
    private static void createOutput(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new UserError("cannot create the --out directory " + dir + ": " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw new UserError("cannot write into the --out directory " + dir + ": permission denied");
        }
    }

    private void profileMaps(Target target, Path dir, long windowMicros, ProfileFiles.Options options, PrintWriter err)
            throws Exception {
        Attachment attachment = Attachment.open(pid, AgentMode.overlap, err);
        String id = Attachment.newId("profile");
        String title = "map profile of pid " + pid;
        Thread onCtrlC = new Thread(
                () -> {
                    try {
                        finishMaps(attachment, id, dir, title, options, err, true);
                    } catch (Exception e) {
                        report(err, e);
                    }
                },
                "mapscope-profile-stop");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        Exception failure = null;
        try {
            attachment.send(
                    "profile",
                    id,
                    args(
                            "sample",
                            Integer.toString(sample),
                            "window",
                            Long.toString(windowMicros),
                            "duration",
                            Long.toString(duration.toMillis()),
                            "jfr",
                            "true"),
                    Attachment.START_TIMEOUT);
            awaitStarted(attachment, id);
            Progress progress = new Progress(err, duration, "profiling the maps of pid " + pid);
            long deadline = System.nanoTime() + duration.toNanos() + WRITE_TIMEOUT.toNanos();
            while (!Files.exists(attachment.result(id, "done")) && !Files.exists(attachment.result(id, "error"))) {
                progress.show();
                if (!target.alive()) {
                    throw new UserError("pid " + pid + " ended during the profile; nothing was written");
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new UserError("the agent in pid " + pid + " did not finish the profile within "
                            + DurationConverter.format(duration.plus(WRITE_TIMEOUT)) + "; check it with `mapscope"
                            + " status " + pid + "`");
                }
                Thread.sleep(100);
            }
            progress.clear();
            finishMaps(attachment, id, dir, title, options, err, false);
        } catch (Exception e) {
            failure = e;
            throw e;
        } finally {
            Shutdown.removeHook(onCtrlC);
            synchronized (finishing) {
                if (!finished) { // failed before the files were rendered: still detach and tidy up
                    finished = true;
                    cleanUp(attachment, id, failure, err);
                }
            }
        }
    }

    /** Waits for {@code ID.started}; the agent's refusal ({@code ID.error}) becomes a UserError. */
    private static void awaitStarted(Attachment attachment, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Attachment.START_TIMEOUT.toNanos();
        while (!Files.exists(attachment.result(id, "started")) && !Files.exists(attachment.result(id, "done"))) {
            if (Files.exists(attachment.result(id, "error"))) {
                attachment.awaitDone(id, Duration.ofSeconds(1)); // throws with the agent's sentence
            }
            if (System.nanoTime() - deadline > 0 || !attachment.target().alive()) {
                attachment.awaitDone(id, Duration.ofMillis(1)); // throws naming the pid and the request
            }
            Thread.sleep(20);
        }
    }

    /**
     * Renders the agent's files and prints the summary, then detaches if this command attached and removes the
     * request's files from the session; once, from the end of the profile or from Ctrl-C ({@code stop}: ask the
     * agent to stop first). The summary is printed before the detach, so a slow detach loses nothing.
     */
    private void finishMaps(
            Attachment attachment,
            String id,
            Path dir,
            String title,
            ProfileFiles.Options options,
            PrintWriter err,
            boolean stop)
            throws Exception {
        synchronized (finishing) {
            if (finished) {
                return;
            }
            finished = true;
            Exception failure = null;
            try {
                if (stop) {
                    err.println();
                    err.println("mapscope: stopping the profile and writing what it has.");
                    err.flush();
                    attachment.send("profile-stop", id, "", Attachment.START_TIMEOUT);
                }
                attachment.awaitDone(id, WRITE_TIMEOUT);
                print(ProfileFiles.renderMap(attachment.session().dir().resolve(id), dir, title, options), dir, err);
            } catch (Exception e) {
                failure = e;
                throw e;
            } finally {
                cleanUp(attachment, id, failure, err);
            }
        }
    }

    /**
     * Detaches (if this command attached) and deletes the request's files. A failure to detach is thrown, unless
     * an earlier failure is already on its way out: then it is printed as a second line, and the first one wins.
     */
    private static void cleanUp(Attachment attachment, String id, Exception earlier, PrintWriter err)
            throws InterruptedException {
        try {
            attachment.close();
        } catch (UserError e) {
            if (earlier == null) {
                throw e;
            }
            err.println("mapscope: also: " + e.getMessage());
            err.flush();
        } finally {
            for (String suffix : List.of("started", "collapsed", "json", "jfr", "done", "error")) {
                try {
                    Files.deleteIfExists(attachment.result(id, suffix));
                } catch (IOException ignored) {
                    // the session directory is private and cleared by the next attach anyway
                }
            }
        }
    }

    private void print(String summary, Path dir, PrintWriter err) {
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(summary);
        stdout.flush();
        err.println(ProfileFiles.written(dir));
        err.flush();
    }

    private static void report(PrintWriter err, Exception e) {
        err.println("mapscope: " + (e instanceof UserError ? e.getMessage() : "the profile was not written: " + e));
        err.flush();
    }

    private void profileAsync(Target target, Path dir, ProfileFiles.Options options, PrintWriter err) throws Exception {
        Session session = new Session(pid);
        session.createPrivate();
        Path jfr = dir.toAbsolutePath().resolve(ProfileFiles.JFR);
        Files.deleteIfExists(jfr);
        String name = event.name();
        String title = name + " profile of pid " + pid;
        AsyncProfiler profiler = AsyncProfiler.start(target, session.dir(), name, jfr);
        Thread onCtrlC = new Thread(
                () -> {
                    try {
                        finishAsync(profiler, jfr, dir, title, options, err, true);
                    } catch (Exception e) {
                        report(err, e);
                    }
                },
                "mapscope-profile-stop");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            Progress progress = new Progress(err, duration, "async-profiler: " + name + " profile of pid " + pid);
            long deadline = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() - deadline < 0) {
                progress.show();
                if (!target.alive()) {
                    throw new UserError("pid " + pid + " ended during the profile; nothing was written");
                }
                Thread.sleep(100);
            }
            progress.clear();
            finishAsync(profiler, jfr, dir, title, options, err, false);
        } finally {
            Shutdown.removeHook(onCtrlC);
            synchronized (finishing) {
                finished = true;
            }
        }
    }

    private void finishAsync(
            AsyncProfiler profiler,
            Path jfr,
            Path dir,
            String title,
            ProfileFiles.Options options,
            PrintWriter err,
            boolean interrupted)
            throws Exception {
        synchronized (finishing) {
            if (finished) {
                return;
            }
            finished = true;
            if (interrupted) {
                err.println();
                err.println("mapscope: stopping async-profiler and writing what it has.");
                err.flush();
            }
            profiler.stop();
            print(
                    ProfileFiles.renderAsync(jfr, event.name(), dir, title, profiler.note(event.name()), options),
                    dir,
                    err);
        }
    }

    /** {@code key=value} pairs with percent-encoded values, as the request contract asks. */
    static String args(String... keysAndValues) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            b.append(i == 0 ? "" : " ")
                    .append(keysAndValues[i])
                    .append('=')
                    .append(URLEncoder.encode(keysAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** An in-place bar on a terminal; on a pipe one line at the start and nothing more (logs stay short). */
    static final class Progress {
        private final PrintWriter err;
        private final Duration duration;
        private final long start = System.nanoTime();
        private final ProgressBar bar;

        Progress(PrintWriter err, Duration duration, String what) {
            this.err = err;
            this.duration = duration;
            this.bar = Terminal.stderrIsTerminal() ? new ProgressBar(err) : null;
            err.println("mapscope: " + what + " for " + DurationConverter.format(duration)
                    + " (Ctrl-C stops early and still writes the files)");
            err.flush();
        }

        void show() {
            if (bar == null) {
                return;
            }
            long elapsed = Math.min(duration.toNanos(), System.nanoTime() - start);
            bar.draw(
                    elapsed,
                    duration.toNanos(),
                    DurationConverter.format(Duration.ofNanos(elapsed)) + " / "
                            + DurationConverter.format(duration) + " "
                            + (elapsed >= duration.toNanos() ? "writing the files..." : "                    "));
        }

        void clear() {
            if (bar != null) {
                bar.clear();
            }
        }
    }
}
