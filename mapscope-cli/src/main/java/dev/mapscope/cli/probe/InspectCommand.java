package dev.mapscope.cli.probe;

import dev.mapscope.cli.console.DurationConverter;
import dev.mapscope.cli.console.Outputs;
import dev.mapscope.cli.console.Shutdown;
import dev.mapscope.cli.console.Terminal;
import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.jvm.AgentMode;
import dev.mapscope.cli.jvm.Attachment;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "inspect",
        header = "Draw the buckets of a live map: chains, tree bins, empties; GoMap's tophash and growth.",
        description = {
            "Asks the agent in a running JVM for a snapshot of one map's table and draws it as a heat"
                    + " map of entries per bucket, with a paragraph that reads it: load factor, empty buckets, the"
                    + " longest chain, keys that collide, tree bins; for a GoMap also the tophash bytes of the fullest"
                    + " buckets, the overflow chains and the state of a growth in progress (old and new arrays,"
                    + " nevacuate).",
            "The map is named by a static field path (--field) or by an id from a finding, a profile or a"
                    + " probe (--map). Reading does not lock or change the map: the agent reads the table array as it"
                    + " is and says when it changed under the read.",
            "Uses a session left by `mapscope attach`, or loads the agent and detaches again afterwards."
        },
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  mapscope inspect 4242 --field com.example.Cache.ENTRIES",
            "  mapscope inspect 4242 --field com.example.Registry.INSTANCE.byName \\",
            "      --html buckets.html",
            "  mapscope inspect 4242 --map java.util.HashMap@1b6d3586 --watch 1s --for 30s"
        })
public final class InspectCommand implements Callable<Integer> {

    /** How long one inspection may take: the agent reads the table on its control thread. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "the process id of the JVM")
    long pid;

    @Option(
            names = "--field",
            paramLabel = "CLASS.STATICFIELD[.FIELD...]",
            description = "a static field holding the map, or a path of fields from one to it")
    String field;

    @Option(
            names = "--map",
            paramLabel = "ID",
            description = "a map id from a finding, profile or probe, e.g. java.util.HashMap@1b6d3586")
    String map;

    @Option(names = "--html", paramLabel = "FILE", description = "also write the picture as an HTML page")
    Path html;

    @Option(
            names = "--color",
            negatable = true,
            description = "colour the heat map (default: when the output is a terminal and NO_COLOR is not set)")
    Boolean color;

    @Option(
            names = "--watch",
            paramLabel = "INTERVAL",
            converter = DurationConverter.class,
            description = "inspect again every INTERVAL (1s, 500ms) until --for ends or Ctrl-C")
    Duration watch;

    @Option(
            names = "--for",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "with --watch: how long to keep watching (default: until Ctrl-C)")
    Duration duration;

    private volatile Attachment attachment;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String args = checkedArgs();
        String source = field != null ? "field " + field : "id " + map;
        if (duration != null && watch == null) {
            throw new UserError("--for needs --watch: one inspection takes no time to bound", 2);
        }
        if (html != null) {
            Outputs.checkWritable(html);
        }
        boolean colored = color != null ? color : Terminal.colorWanted(false);
        Thread onCtrlC = new Thread(this::closeQuietly, "mapscope-inspect-detach");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try (Attachment a = Attachment.open(pid, AgentMode.overlap, err)) {
            attachment = a;
            long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
            MapTable last = null;
            do {
                if (last != null) {
                    Thread.sleep(watch.toMillis());
                }
                MapTable t = inspect(a, args);
                if (watch != null) {
                    out.print(colored ? "\u001b[H\u001b[2J" : last == null ? "" : "\n");
                    out.println("--- " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + ", every "
                            + DurationConverter.format(watch) + " ---");
                }
                out.print(InspectText.render(t, source, colored));
                out.flush();
                last = t;
                if (html != null) {
                    InspectHtml.write(t, source, html);
                }
            } while (watch != null
                    && System.nanoTime() - deadline < 0
                    && a.target().alive());
            if (html != null) {
                out.println("HTML: " + html.toAbsolutePath());
            }
        } finally {
            attachment = null;
            Shutdown.removeHook(onCtrlC);
        }
        return 0;
    }

    /** The request's arguments, after checking the field path or the map id; a mistake is a usage error. */
    String checkedArgs() {
        if ((field == null) == (map == null)) {
            throw new UserError("name the map with either --field CLASS.STATICFIELD[.FIELD...] or --map ID", 2);
        }
        if (field != null) {
            if (!ProbeArgs.FIELD_PATH.matcher(field).matches()) {
                throw new UserError(
                        "bad --field '" + field + "': write CLASS.STATICFIELD[.FIELD...], for"
                                + " example com.example.Cache.ENTRIES",
                        2);
            }
            return "field=" + ProbeArgs.enc(field);
        }
        if (!ProbeArgs.MAP_ID.matcher(map).matches()) {
            throw new UserError(
                    "bad --map '" + map + "': a map id is a class name, '@' and a hex identity"
                            + " hash, as findings print it, for example java.util.HashMap@1b6d3586",
                    2);
        }
        return "map=" + ProbeArgs.enc(map);
    }

    /** One inspect request: sends it, waits for ID.done, reads ID.json, removes the request's files. */
    private static MapTable inspect(Attachment a, String args) throws InterruptedException {
        String id = Attachment.newId("inspect");
        try {
            a.request("inspect", id, args, TIMEOUT);
            return MapTable.read(a.result(id, "json"));
        } finally {
            for (String name : new String[] {"json", "done", "error"}) {
                try {
                    Files.deleteIfExists(a.result(id, name));
                } catch (IOException ignored) {
                    // a leftover file in the private session directory; the next attach clears nothing else
                }
            }
        }
    }

    /** Ctrl-C during --watch: detach if this command loaded the agent. */
    private void closeQuietly() {
        Attachment a = attachment;
        if (a != null) {
            try {
                a.close();
            } catch (InterruptedException | UserError e) {
                // the JVM is exiting; `mapscope status` shows what is left
            }
        }
    }
}
