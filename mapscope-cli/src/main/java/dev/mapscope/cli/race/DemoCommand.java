package dev.mapscope.cli.race;

import dev.mapscope.cli.console.Invocation;
import dev.mapscope.cli.console.Outputs;
import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.jvm.AgentJar;
import dev.mapscope.cli.jvm.Child;
import dev.mapscope.cli.jvm.Jvm;
import dev.mapscope.cli.render.Findings;
import dev.mapscope.cli.render.HtmlReport;
import dev.mapscope.cli.render.ReportedFinding;
import dev.mapscope.cli.render.TextReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "demo",
        header = "See mapscope find races in two small bundled programs.",
        description = "Runs two small racy programs under the agent, prints what it finds and writes an HTML report:"
                + " the Go handbook's seed (10 threads put one key each into one HashMap) and a quote service whose"
                + " request threads fill a HashMap cache (its ConcurrentHashMap counters are correct and stay quiet).",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {"  mapscope demo", "  mapscope demo --out /tmp/mapscope-demo"})
public final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "mapscope-out",
            description = "where the findings and the HTML report go (default: ${DEFAULT-VALUE})")
    Path outDir;

    /** Findings printed per program; the HTML report has them all, with full stacks. */
    private static final int SHOWN = 3;

    /** One demo program: what it is, in a sentence, and how to start it. */
    private record Program(String file, String title, String mainClass, List<String> args) {}

    private static final List<Program> PROGRAMS = List.of(
            new Program(
                    "seed",
                    "the seed: 10 threads each put one key into one shared HashMap, no lock",
                    "dev.mapscope.demo.SeedRace",
                    List.of("--threads", "10", "--writes", "1")),
            new Program(
                    "quotes",
                    "a quote service: request threads fill a HashMap cache, no lock;"
                            + " its ConcurrentHashMap counters are correct",
                    "dev.mapscope.demo.QuoteService",
                    List.of()));

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path agent = AgentJar.locate();
        Path dir = Outputs.ensureDirectory(outDir.toAbsolutePath().normalize());
        Path all = dir.resolve("findings.jsonl");
        Path html = dir.resolve("report.html");
        Outputs.checkWritable(all);
        Outputs.checkWritable(html);
        Files.deleteIfExists(all);

        out.println("mapscope demo: two small Java programs write a java.util.HashMap from several threads without a");
        out.println("lock. HashMap has no check for that (Go's map stops the program); the mapscope agent adds one.");
        int step = 0;
        int total = 0;
        boolean quietConcurrent = true;
        for (Program p : PROGRAMS) {
            step++;
            out.println();
            out.printf("[%d/%d] %s%n", step, PROGRAMS.size(), p.title());
            out.printf("      java -javaagent:mapscope-agent.jar -cp ... %s%n", p.mainClass());
            out.flush();
            Path findingsFile = dir.resolve(p.file() + ".jsonl");
            Files.deleteIfExists(findingsFile);
            List<String> cmd = Child.java(
                    List.of("-javaagent:" + agent + "=" + Jvm.agentOptions(findingsFile, "stderr=false")),
                    p.mainClass(),
                    p.args());
            Child.Output result = Child.run(cmd, Duration.ofMinutes(2));
            if (result.exitCode() != 0) {
                throw new UserError("the demo program " + p.mainClass() + " failed (exit " + result.exitCode() + "): "
                        + result.firstErrorLine());
            }
            String[] lines = result.stdout().strip().split("\n");
            out.println("      the program says: " + (lines.length > 1 ? lines[lines.length - 2] : lines[0]).strip());
            Findings found = Files.exists(findingsFile) ? Findings.read(findingsFile) : new Findings();
            out.println("      mapscope found: "
                    + (found.list().isEmpty()
                            ? "no map races in this run"
                            : TextReport.races(found.list().size()) + " (" + found.occurrences() + " occurrence"
                                    + (found.occurrences() == 1 ? "" : "s") + ")"));
            int number = 0;
            for (ReportedFinding f : found.list()) {
                if (number == SHOWN) {
                    out.printf(
                            "      ... and %d more in the HTML report%n",
                            found.list().size() - SHOWN);
                    break;
                }
                TextReport.printBrief(f, ++number, "      ", out);
            }
            for (ReportedFinding f : found.list()) {
                if (f.mapClass().contains("ConcurrentHashMap")) {
                    quietConcurrent = false;
                }
            }
            total += found.list().size();
            if (Files.exists(findingsFile)) {
                Files.write(
                        all, Files.readAllBytes(findingsFile), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
        if (!Files.exists(all)) {
            Files.createFile(all);
        }
        HtmlReport.write(Findings.read(all), all.getFileName().toString(), html);
        String name = Invocation.name();
        Path shown = relative(all);
        out.println();
        out.printf(
                "%s in %d programs%s.%n",
                TextReport.races(total),
                PROGRAMS.size(),
                quietConcurrent ? "; the ConcurrentHashMap counters stayed quiet, as they should" : "");
        out.println("The programs themselves rarely notice anything (a lost entry is rare and silent); the race is"
                + " there in every run.");
        out.println("HTML report: " + html + "   (both stacks of each race side by side)");
        out.println("findings:    " + all);
        out.println();
        out.println("Next:");
        String[][] next = {
            {name + " report " + shown, "the same findings, with full stacks"},
            {name + " run -- java -cp app.jar com.example.Main", "your own program under the agent"},
            {name + " attach <pid> --for 30s", "a JVM that is already running"},
            {name + " repro", "how often the race shows at all (about a minute)"}
        };
        int width = 0;
        for (String[] n : next) {
            width = Math.max(width, n[0].length());
        }
        for (String[] n : next) {
            out.printf("  %-" + width + "s   %s%n", n[0], n[1]);
        }
        out.flush();
        return 0;
    }

    private static Path relative(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p) : p;
    }
}
