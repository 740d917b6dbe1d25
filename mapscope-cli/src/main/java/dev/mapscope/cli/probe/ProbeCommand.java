package dev.mapscope.cli.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mapscope.cli.console.DurationConverter;
import dev.mapscope.cli.console.Outputs;
import dev.mapscope.cli.console.Shutdown;
import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.jvm.AgentMode;
import dev.mapscope.cli.jvm.Attachment;
import dev.mapscope.cli.render.FindingsTail;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "probe",
        header = "A conditional breakpoint on map operations that does not stop the JVM: each hit is printed.",
        description = {
            "Arms a probe in a running JVM: on each chosen operation of the selected maps the agent tests"
                    + " the --if condition and, when it holds, records what --capture asks for. Hits stream here as"
                    + " they happen (and to --report as JSON lines); the probe disarms itself after --limit hits, when"
                    + " more than --rate hits come in one second, after --for, or on Ctrl-C, and its advice is removed.",
            "Everything is checked before the JVM is touched: a mistake in the condition is shown with a caret"
                    + " under it. The condition language (docs/CONDITIONS.md) has comparisons (== != < <= > >=), regular"
                    + " expression matches (~ !~), in [...] lists, && || ! and parentheses and integer arithmetic, over"
                    + " the names thread.name, thread.id, keyHash, bucket, key, value.class, map.size, map.class, map.id"
                    + " and op; no calls, so a condition cannot change the program.",
            "--same-bucket-within 1ms is the same-bucket detector: it reports a write only when another thread"
                    + " wrote the same bucket of the same map less than that long before, with both threads' stacks.",
            "Uses a session left by `mapscope attach`, or loads the agent and detaches again at the end."
        },
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  mapscope probe 4242 --on put --if 'bucket == 17' --capture thread,key",
            "  mapscope probe 4242 --on put,remove --map class:HashMap \\",
            "      --if 'thread.name ~ \"worker-.*\" && keyHash %% 2 == 0'",
            "  mapscope probe 4242 --on resize --map field:com.example.Cache.ENTRIES",
            "  mapscope probe 4242 --on put --same-bucket-within 1ms --report pairs.jsonl"
        })
public final class ProbeCommand implements Callable<Integer> {

    /** How long the agent may take to install the probe's advice (a retransformation of the map classes). */
    static final Duration ARM_TIMEOUT = Duration.ofSeconds(60);
    /** How long Ctrl-C waits for the agent to disarm and write ID.done. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "the process id of the JVM")
    long pid;

    @Option(
            names = "--on",
            paramLabel = "OPERATION",
            required = true,
            split = ",",
            description = "the operations to probe: put, get, remove, resize, clear")
    List<String> on;

    @Option(
            names = "--map",
            paramLabel = "SELECTOR",
            defaultValue = "any",
            description = "which maps: any, class:java.util.HashMap (or HashMap), id:java.util.HashMap@1b6d3586,"
                    + " field:com.example.Cache.ENTRIES[.field...] (default: ${DEFAULT-VALUE})")
    String map;

    @Option(
            names = "--if",
            paramLabel = "EXPRESSION",
            description = "record a hit only when this holds, e.g. 'bucket == 17 && thread.name ~ \"w-.*\"'")
    String condition;

    @Option(
            names = "--capture",
            paramLabel = "WHAT[,WHAT]",
            defaultValue = "thread,op,keyHash,bucket,stack",
            description = "what each hit records: thread, thread.name, thread.id, keyHash, bucket, key, value.class,"
                    + " map.size, map.class, map.id, op, stack (default: ${DEFAULT-VALUE})")
    String capture;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "100",
            description = "disarm after N hits (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "1000",
            description = "disarm when more than N hits come within one second (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(
            names = "--for",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            defaultValue = "60s",
            description = "disarm after this long at most: 30s, 5m (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(
            names = "--same-bucket-within",
            paramLabel = "DURATION",
            converter = ProbeArgs.Micros.class,
            description = "report a write only when another thread wrote the same bucket less than DURATION before"
                    + " (1ms, 200us), with both stacks")
    Long sameBucketMicros;

    @Option(
            names = "--frames",
            paramLabel = "N",
            defaultValue = "8",
            description = "stack frames captured per hit (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--report", paramLabel = "FILE", description = "also write every hit to FILE, as JSON lines")
    Path report;

    private Attachment attachment;
    private String id;
    private FindingsTail tail;
    private BufferedWriter copy;
    private PrintWriter out;
    private long hits;
    private boolean finished;
    /** Counted down when {@link #finish} has printed everything, so that a Ctrl-C's finish is not cut short. */
    private final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String args = checkedArgs();
        if (report != null) {
            Outputs.checkWritable(report);
        }
        Thread onCtrlC = new Thread(() -> finish("stopped"), "mapscope-probe-stop");
        try (Attachment a = Attachment.open(pid, AgentMode.overlap, err)) {
            if (report != null) {
                copy = Files.newBufferedWriter(report, StandardCharsets.UTF_8);
            }
            synchronized (this) {
                attachment = a;
                id = Attachment.newId("probe");
                tail = new FindingsTail(a.result(id, "hits.jsonl"));
            }
            a.send("probe", id, args, ARM_TIMEOUT);
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            JsonNode armed = awaitArmed(a);
            out.println(armedLine(armed));
            out.flush();
            while (!Files.exists(a.result(id, "done"))) {
                if (!a.target().alive()) {
                    drain();
                    throw new UserError("pid " + pid + " ended while the probe was armed, after "
                            + InspectText.plural(hits, "hit"));
                }
                if (Files.exists(a.result(id, "error"))) {
                    a.awaitDone(id, STOP_TIMEOUT); // throws with the agent's sentence
                }
                drain();
                if (finishing()) {
                    ended.await(); // Ctrl-C: the hook stops the probe and prints the end
                    return 0;
                }
                Thread.sleep(50);
            }
            finish(null);
        } finally {
            Shutdown.removeHook(onCtrlC);
            closeCopy();
            if (!finishing()) {
                removeFiles(); // refused, or the target ended: nothing more will read them
            }
        }
        return 0;
    }

    /** Deletes this probe's files from the session directory once they are printed (and copied to --report). */
    private void removeFiles() {
        Attachment a;
        synchronized (this) {
            a = attachment;
        }
        if (a == null) {
            return;
        }
        for (String name : new String[] {"armed", "hits.jsonl", "done", "error"}) {
            try {
                Files.deleteIfExists(a.result(id, name));
            } catch (IOException ignored) {
                // left in the private session directory; harmless
            }
        }
    }

    /** Checks every option, as the agent would, and returns the request's arguments. */
    String checkedArgs() {
        Set<String> ops = ProbeArgs.operations(on);
        ProbeArgs.checkSelector(map);
        if (condition != null) {
            ProbeArgs.checkCondition(condition);
        }
        ProbeArgs.checkCapture(capture);
        ProbeArgs.positive("--limit", limit);
        ProbeArgs.positive("--rate", rate);
        ProbeArgs.positive("--frames", frames);
        if (sameBucketMicros != null && !ops.equals(Set.of("put"))) {
            throw new UserError(
                    "--same-bucket-within compares puts, so it needs --on put alone, not --on " + String.join(",", ops),
                    2);
        }
        List<String> a = new ArrayList<>();
        a.add("on=" + ProbeArgs.enc(String.join(",", ops)));
        a.add("map=" + ProbeArgs.enc(map.strip()));
        if (condition != null && !condition.isBlank()) {
            a.add("if=" + ProbeArgs.enc(condition));
        }
        a.add("capture=" + ProbeArgs.enc(capture.strip()));
        a.add("limit=" + limit);
        a.add("rate=" + rate);
        a.add("duration=" + duration.toMillis());
        a.add("stack=" + frames);
        if (sameBucketMicros != null) {
            a.add("same-bucket-within=" + sameBucketMicros);
        }
        return String.join(" ", a);
    }

    /** Waits for ID.armed; an ID.error becomes a {@link UserError} with the agent's sentence. */
    private JsonNode awaitArmed(Attachment a) throws InterruptedException {
        long deadline = System.nanoTime() + ARM_TIMEOUT.toNanos();
        Path armed = a.result(id, "armed");
        while (!Files.exists(armed)) {
            if (Files.exists(a.result(id, "error")) || Files.exists(a.result(id, "done"))) {
                a.awaitDone(id, STOP_TIMEOUT); // the error's sentence, or done without arming (ended at once)
                return JSON.createObjectNode();
            }
            if (!a.target().alive()) {
                throw new UserError("pid " + pid + " ended before the probe was armed");
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new UserError("the agent in pid " + pid + " did not arm the probe within "
                        + DurationConverter.format(ARM_TIMEOUT) + "; check it with `mapscope status " + pid + "`");
            }
            Thread.sleep(20);
        }
        try {
            return JSON.readTree(Files.readString(armed, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private String armedLine(JsonNode armed) {
        List<String> classes = new ArrayList<>();
        for (JsonNode c : armed.path("classes")) {
            classes.add(ProbeText.shortClass(c.asText()));
        }
        StringBuilder b = new StringBuilder("probe armed in pid ")
                .append(pid)
                .append(": ")
                .append(String.join(",", on))
                .append(" on ")
                .append(armed.path("maps").asText(map));
        if (!classes.isEmpty()) {
            b.append(" (").append(String.join(", ", classes)).append(')');
        }
        if (condition != null) {
            b.append(" if ").append(condition);
        }
        if (sameBucketMicros != null) {
            b.append(", a write to a bucket another thread wrote less than ")
                    .append(sameBucketMicros)
                    .append(" \u00b5s before");
        }
        b.append("; stops after ")
                .append(InspectText.plural(limit, "hit"))
                .append(" or ")
                .append(DurationConverter.format(duration))
                .append(", or on Ctrl-C.");
        return b.toString();
    }

    private synchronized boolean finishing() {
        return finished;
    }

    /**
     * Prints and copies the hits appended since the last call, each batch in the order the hits matched
     * ({@code n}): the agent's writer may append two racing hits the other way round.
     */
    private synchronized void drain() {
        if (tail == null) {
            return;
        }
        List<JsonNode> batch = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        for (String line : tail.poll()) {
            try {
                batch.add(JSON.readTree(line));
                raw.add(line);
            } catch (IOException e) {
                // not a hit; the agent writes whole lines, so this is not a torn one
            }
        }
        Integer[] order = new Integer[batch.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(
                order,
                (x, y) -> Long.compare(
                        batch.get(x).path("n").asLong(), batch.get(y).path("n").asLong()));
        for (int i : order) {
            hits++;
            out.print(ProbeText.hit(batch.get(i), frames));
            if (copy != null) {
                try {
                    copy.write(raw.get(i));
                    copy.newLine();
                    copy.flush();
                } catch (IOException e) {
                    throw new UserError("cannot write the hits to " + report + ": " + e.getMessage());
                }
            }
        }
        out.flush();
    }

    /**
     * Ends the probe once: on Ctrl-C ({@code why} "stopped") sends probe-stop and waits for ID.done; then prints
     * the remaining hits and the agent's closing sentence. When the process ends, also detaches (the normal path
     * detaches in call's try-with-resources).
     */
    private void finish(String why) {
        Attachment a;
        synchronized (this) {
            if (finished || attachment == null) {
                return;
            }
            finished = true;
            a = attachment;
        }
        try {
            end(a, why);
        } finally {
            ended.countDown();
        }
    }

    private void end(Attachment a, String why) {
        try {
            if (why != null && a.target().alive() && !Files.exists(a.result(id, "done"))) {
                a.send("probe-stop", id, "", STOP_TIMEOUT);
                a.awaitDone(id, STOP_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (UserError e) {
            out.println("mapscope: " + e.getMessage());
        }
        drain();
        out.println(closing(a));
        if (report != null) {
            out.println("hits: " + report.toAbsolutePath());
        }
        out.flush();
        removeFiles();
        if (why != null) {
            closeCopy();
            try {
                a.close();
            } catch (InterruptedException | UserError e) {
                // exiting anyway; `mapscope status` shows what is left
            }
        }
    }

    private String closing(Attachment a) {
        JsonNode done;
        try {
            done = JSON.readTree(Files.readString(a.result(id, "done"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "the probe ended after " + InspectText.plural(hits, "hit") + " (the agent's summary is"
                    + " unreadable)";
        }
        String message = done.path("message").asText("");
        if (message.isBlank()) {
            message = switch (done.path("reason").asText("")) {
                case "limit" -> "the probe disarmed itself after its limit of " + InspectText.plural(limit, "hit");
                case "rate" -> "the probe disarmed itself: more than " + rate + " hits came within one second";
                case "time" -> "the probe disarmed itself: its time was up";
                case "stopped" -> "the probe was stopped";
                case "detached" -> "the probe ended because the agent detached";
                default -> "the probe ended";
            };
        }
        StringBuilder b = new StringBuilder("mapscope: ").append(message.strip());
        if (b.charAt(b.length() - 1) == '.') {
            b.setLength(b.length() - 1);
        }
        long evaluations = done.path("evaluations").asLong(-1);
        if (evaluations >= 0) {
            b.append("; ").append(InspectText.plural(evaluations, "operation")).append(" checked");
        }
        return b.append('.').toString();
    }

    private synchronized void closeCopy() {
        if (copy != null) {
            try {
                copy.close();
            } catch (IOException ignored) {
                // every line was flushed as it was written
            }
            copy = null;
        }
    }
}
