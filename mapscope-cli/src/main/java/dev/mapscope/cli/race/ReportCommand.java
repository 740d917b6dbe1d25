package dev.mapscope.cli.race;

import dev.mapscope.cli.console.Invocation;
import dev.mapscope.cli.console.Outputs;
import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.render.Findings;
import dev.mapscope.cli.render.FindingsToGitHub;
import dev.mapscope.cli.render.FindingsToJUnitXml;
import dev.mapscope.cli.render.FindingsToSarif;
import dev.mapscope.cli.render.HtmlReport;
import dev.mapscope.cli.render.ReportedFinding;
import dev.mapscope.cli.render.Suppressions;
import dev.mapscope.cli.render.TextReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "report",
        header = "Render findings as text, HTML, SARIF, JUnit XML or CI annotations.",
        description = "Renders a findings file (JSON lines written by the agent) as text, or as one self-contained"
                + " HTML page with both stacks of each finding side by side, and for CI as SARIF 2.1.0, JUnit XML"
                + " and GitHub Actions annotations, in any combination. Races whose id is in a baseline or that a"
                + " suppression rule matches are counted and named but not reported; --fail-on-race exits with"
                + " status 66 when any other race remains.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  mapscope report mapscope-out/findings.jsonl",
            "  mapscope report findings.jsonl --html race-report.html",
            "  mapscope report findings.jsonl --sarif races.sarif --junit-xml TEST-mapscope.xml --github --fail-on-race",
            "  mapscope report findings.jsonl --baseline known.jsonl --suppress mapscope-suppressions.txt --fail-on-race"
        })
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FINDINGS", description = "the findings file (JSON lines)")
    Path findingsFile;

    @Option(names = "--html", paramLabel = "FILE", description = "write an HTML page to FILE instead of printing text")
    Path html;

    @Option(
            names = "--sarif",
            paramLabel = "FILE",
            description = "also write a SARIF 2.1.0 log to FILE (GitHub code scanning)")
    Path sarif;

    @Option(
            names = "--junit-xml",
            paramLabel = "FILE",
            description = "also write a JUnit XML report to FILE: one failed test case per race")
    Path junitXml;

    @Option(
            names = "--github",
            description = "also print GitHub Actions annotations (::error file=...,line=...::...) on standard output")
    boolean github;

    @Option(
            names = "--baseline",
            paramLabel = "OLD",
            description = "a findings file of accepted races: races whose id is in it are counted, not reported")
    Path baseline;

    @Option(
            names = "--suppress",
            paramLabel = "FILE",
            description = "suppression rules, one a line: \"id <finding-id> <reason>\" or \"frame <glob> <reason>\"")
    Path suppress;

    @Option(
            names = "--fail-on-race",
            description = "exit with status 66 when a race remains after the baseline and the suppressions")
    boolean failOnRace;

    @Option(
            names = "--frames",
            paramLabel = "N",
            defaultValue = "12",
            description = "stack frames per thread in the text output (default: ${DEFAULT-VALUE})")
    int frames;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (frames < 1) {
            throw new UserError("--frames must be at least 1, got " + frames, 2);
        }
        for (Path output : new Path[] {html, sarif, junitXml}) {
            if (output != null) {
                Outputs.checkWritable(output);
            }
        }
        Suppressions rules = suppress == null ? null : Suppressions.read(suppress);
        Set<String> known =
                baseline == null ? Set.of() : Findings.read(baseline).idSet();
        Findings all = Findings.read(findingsFile);
        if (all.records() == 0 && all.truncatedTail()) {
            throw new UserError(findingsFile + " holds no complete record: its only line is cut off");
        }
        if (all.truncatedTail()) {
            err.println("mapscope: note: the last line of " + findingsFile
                    + " is cut off (the program was killed, or is still writing); it was skipped.");
            err.flush();
        }
        int inBaseline = 0;
        Map<ReportedFinding, Suppressions.Rule> suppressed = new LinkedHashMap<>();
        for (ReportedFinding f : all.perId()) {
            if (known.contains(f.id())) {
                inBaseline++;
            } else if (rules != null && rules.match(f) != null) {
                suppressed.put(f, rules.match(f));
            }
        }
        Findings findings = all.without(f -> known.contains(f.id()) || suppressed.containsKey(f));
        List<ReportedFinding> remaining = findings.list();
        String source = findingsFile.toString();
        if (html != null) {
            HtmlReport.write(findings, source, html);
            out.println("wrote " + TextReport.races(remaining.size()) + " to " + html.toAbsolutePath());
        } else {
            TextReport.print(findings, source, frames, out);
        }
        if (baseline != null) {
            out.println(TextReport.races(inBaseline) + " in the baseline " + baseline + ", not counted.");
        }
        if (!suppressed.isEmpty()) {
            List<String> named = new ArrayList<>();
            suppressed.forEach((f, rule) -> named.add(f.id() + " (" + suppress + ":" + rule.line() + " " + rule.type()
                    + " " + rule.pattern() + ": " + rule.reason() + ")"));
            out.println(TextReport.races(suppressed.size()) + " suppressed: " + String.join("; ", named) + ".");
        }
        Path here = Path.of("").toAbsolutePath();
        if (sarif != null) {
            FindingsToSarif.write(remaining, here, sarif);
            out.println("wrote SARIF with " + TextReport.races(remaining.size()) + " to " + sarif);
        }
        if (junitXml != null) {
            FindingsToJUnitXml.write(remaining, source, junitXml);
            out.println("wrote JUnit XML with " + TextReport.races(remaining.size()) + " to " + junitXml);
        }
        if (github) {
            FindingsToGitHub.print(remaining, here, out);
        }
        out.flush();
        return failOnRace && !remaining.isEmpty() ? Invocation.RACE_FOUND : 0;
    }
}
