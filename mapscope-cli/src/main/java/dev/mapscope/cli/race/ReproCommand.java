package dev.mapscope.cli.race;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mapscope.cli.console.ProgressBar;
import dev.mapscope.cli.console.Terminal;
import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.jvm.AgentJar;
import dev.mapscope.cli.jvm.AgentModeOption;
import dev.mapscope.cli.jvm.Child;
import dev.mapscope.cli.jvm.Jvm;
import dev.mapscope.cli.render.Findings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "repro",
        header = "Measure how often the race shows, with and without perturbation.",
        description = {
            "The experiment of the Go handbook on concurrent map writes, measured: runs the seed program (N threads each write their own"
                    + " keys into one map, released together) many times in fresh JVMs, under each perturbation:"
                    + " none, Thread.yield() before each write, and pinned to few CPUs (taskset). Prints how often a"
                    + " plain HashMap was damaged (keys lost, or a wrong size()), how often GoMap's Go-style check"
                    + " fired, and how often mapscope's agent reported the race (on a HashMap).",
            "Two JVMs run at once (--jobs); each run is a new process, so JIT and scheduling start afresh."
        },
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  mapscope repro                         10 runs per cell, about a minute",
            "  mapscope repro --runs 50 --threads 4 --writes 100",
            "  mapscope repro --cpus 2 --mode overlap   agent with Go's check only"
        })
public final class ReproCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    AgentModeOption agentMode;

    @Option(
            names = "--threads",
            paramLabel = "N",
            defaultValue = "10",
            description = "writer threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(
            names = "--writes",
            paramLabel = "N",
            defaultValue = "1",
            description = "keys each thread writes (default: ${DEFAULT-VALUE})")
    int writes;

    @Option(
            names = "--runs",
            paramLabel = "N",
            defaultValue = "10",
            description = "fresh JVMs per cell of the table (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(
            names = "--cpus",
            paramLabel = "N",
            defaultValue = "1",
            description = "CPUs for the pinned row: taskset -c 0..N-1 (default: ${DEFAULT-VALUE})")
    int cpus;

    @Option(
            names = "--jobs",
            paramLabel = "N",
            defaultValue = "2",
            description = "JVMs run at the same time (default: ${DEFAULT-VALUE})")
    int jobs;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One row of the table: how the seed program is perturbed. */
    record Perturbation(String label, List<String> prefix, List<String> seedArgs) {}

    /** One column: which map, with or without the agent. */
    enum Column {
        HASHMAP("HashMap damaged"),
        GOMAP("GoMap check fired"),
        AGENT("agent reported");

        final String heading;

        Column(String heading) {
            this.heading = heading;
        }
    }

    /** The outcome of one run. */
    record Outcome(boolean hit, int lost) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        checkPositive("--threads", threads);
        checkPositive("--writes", writes);
        checkPositive("--runs", runs);
        checkPositive("--cpus", cpus);
        checkPositive("--jobs", jobs);
        Path agent = AgentJar.locate();
        int available = Runtime.getRuntime().availableProcessors();

        List<Perturbation> rows = new ArrayList<>();
        rows.add(new Perturbation("none", List.of(), List.of()));
        rows.add(new Perturbation("Thread.yield() before each write", List.of(), List.of("--yield")));
        String taskset = Jvm.findOnPath("taskset");
        String cpuList = cpus == 1 ? "0" : "0-" + (cpus - 1);
        if (cpus >= available) {
            err.printf(
                    "mapscope: note: --cpus %d is not fewer than the %d CPUs here; the pinned row is skipped.%n",
                    cpus, available);
        } else if (taskset == null) {
            err.println("mapscope: note: taskset is not installed (Debian package util-linux); the one-CPU row is"
                    + " skipped.");
        } else {
            rows.add(new Perturbation(
                    (cpus == 1 ? "one CPU" : cpus + " CPUs") + " (taskset -c " + cpuList + ")",
                    List.of(taskset, "-c", cpuList),
                    List.of()));
        }
        List<Column> columns = List.of(Column.HASHMAP, Column.GOMAP, Column.AGENT);

        Path work = Files.createTempDirectory("mapscope-repro-");
        int total = rows.size() * columns.size() * runs;
        Progress progress = new Progress(err, total, Terminal.stderrIsTerminal());
        out.printf(
                "seed program: %d threads x %d write%s into one map, %d fresh JVMs per cell, %d at a time, %d CPUs"
                        + " here%n",
                threads, writes, writes == 1 ? "" : "s", runs, jobs, available);
        out.flush();
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        long started = System.nanoTime();
        try {
            List<List<Future<Outcome>>> cells = new ArrayList<>();
            AtomicInteger seq = new AtomicInteger();
            for (Perturbation row : rows) {
                for (Column col : columns) {
                    List<Future<Outcome>> cell = new ArrayList<>();
                    for (int r = 0; r < runs; r++) {
                        String label = row.label() + " / " + col.heading;
                        cell.add(pool.submit(() -> {
                            Outcome o =
                                    runOnce(row, col, agent, work.resolve("run-" + seq.incrementAndGet() + ".jsonl"));
                            progress.step(label);
                            return o;
                        }));
                    }
                    cells.add(cell);
                }
            }
            List<String[]> table = new ArrayList<>();
            int i = 0;
            for (Perturbation row : rows) {
                String[] line = new String[columns.size() + 1];
                line[0] = row.label();
                for (int c = 0; c < columns.size(); c++) {
                    int hits = 0;
                    long lost = 0;
                    for (Future<Outcome> f : cells.get(i++)) {
                        Outcome o = get(f);
                        hits += o.hit() ? 1 : 0;
                        lost += o.lost();
                    }
                    line[c + 1] = hits + "/" + runs + " (" + Math.round(100.0 * hits / runs) + "%)"
                            + (columns.get(c) == Column.HASHMAP && lost > 0
                                    ? String.format(", %.1f lost/run", (double) lost / runs)
                                    : "");
                }
                table.add(line);
            }
            progress.done();
            printTable(out, columns, table);
            out.printf(
                    "%n%d JVMs in %.0f s. A run counts when: HashMap lost keys or its size() is wrong%s;"
                            + " the agent (mode %s, watching a HashMap) wrote a finding.%n",
                    total,
                    (System.nanoTime() - started) / 1e9,
                    "; GoMap threw \"concurrent map writes\"",
                    agentMode.mode);
            out.flush();
        } finally {
            pool.shutdownNow();
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private Outcome runOnce(Perturbation row, Column col, Path agent, Path findingsFile)
            throws IOException, InterruptedException {
        List<String> jvmArgs = col == Column.AGENT
                ? List.of("-javaagent:" + agent + "="
                        + Jvm.agentOptions(findingsFile, "stderr=false,mode=" + agentMode.mode))
                : List.of();
        List<String> args = new ArrayList<>(List.of(
                "--threads",
                Integer.toString(threads),
                "--writes",
                Integer.toString(writes),
                "--map",
                col == Column.GOMAP ? "gomap" : "hashmap"));
        args.addAll(row.seedArgs());
        List<String> cmd = new ArrayList<>(row.prefix());
        cmd.addAll(Child.java(jvmArgs, "dev.mapscope.demo.SeedRace", args));
        Child.Output o = Child.run(cmd, Duration.ofMinutes(2));
        if (o.exitCode() != 0) {
            throw new UserError("a seed run failed (exit " + o.exitCode() + "): " + o.firstErrorLine());
        }
        JsonNode result;
        try {
            result = JSON.readTree(o.lastLine());
        } catch (IOException e) {
            throw new UserError("a seed run printed no result line: " + o.lastLine());
        }
        int lost = result.path("lost").asInt();
        return switch (col) {
            case HASHMAP ->
                new Outcome(
                        lost > 0
                                || result.path("size").asInt()
                                        != result.path("expected").asInt()
                                || result.hasNonNull("checkError"),
                        lost);
            case GOMAP -> new Outcome(result.path("error").asText("").startsWith("concurrent map"), lost);
            case AGENT ->
                new Outcome(
                        Files.exists(findingsFile)
                                && !Findings.read(findingsFile).list().isEmpty(),
                        lost);
        };
    }

    private static Outcome get(Future<Outcome> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UserError u) {
                throw u;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static void printTable(PrintWriter out, List<Column> columns, List<String[]> rows) {
        String[] head = new String[columns.size() + 1];
        head[0] = "perturbation";
        for (int c = 0; c < columns.size(); c++) {
            head[c + 1] = columns.get(c).heading;
        }
        int[] width = new int[head.length];
        for (int c = 0; c < head.length; c++) {
            width[c] = head[c].length();
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        out.println();
        printRow(out, head, width);
        String[] rule = new String[head.length];
        for (int c = 0; c < head.length; c++) {
            rule[c] = "-".repeat(width[c]);
        }
        printRow(out, rule, width);
        for (String[] r : rows) {
            printRow(out, r, width);
        }
    }

    private static void printRow(PrintWriter out, String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            b.append(String.format("%-" + width[c] + "s", cells[c]));
            if (c < cells.length - 1) {
                b.append("   ");
            }
        }
        out.println(b.toString().stripTrailing());
    }

    private static void checkPositive(String option, int value) {
        if (value < 1) {
            throw new UserError(option + " must be at least 1, got " + value, 2);
        }
    }

    /** Progress on stderr: a bar redrawn in place on a terminal, a line every 10% otherwise. */
    static final class Progress {
        private final PrintWriter err;
        private final int total;
        private final ProgressBar bar;
        private int done;
        private int lastTenth = -1;

        Progress(PrintWriter err, int total, boolean terminal) {
            this.err = err;
            this.total = total;
            this.bar = terminal ? new ProgressBar(err) : null;
        }

        synchronized void step(String label) {
            done++;
            if (bar != null) {
                bar.draw(done, total, String.format("%3d/%d  %-60.60s", done, total, label));
            } else {
                int tenth = done * 10 / total;
                if (tenth != lastTenth) {
                    lastTenth = tenth;
                    err.printf("progress: %d/%d runs%n", done, total);
                    err.flush();
                }
            }
        }

        synchronized void done() {
            if (bar != null) {
                bar.clear();
            }
        }
    }
}
