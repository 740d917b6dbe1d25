package dev.mapscope.cli.race;

import dev.mapscope.cli.console.Outputs;
import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.render.Findings;
import dev.mapscope.cli.render.HtmlReport;
import dev.mapscope.cli.render.TextReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "report",
        header = "Render a findings file as text or as an HTML page.",
        description = "Renders a findings file (JSON lines written by the agent) as text, or as one self-contained"
                + " HTML page with both stacks of each finding side by side.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  mapscope report mapscope-out/findings.jsonl",
            "  mapscope report findings.jsonl --html race-report.html"
        })
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FINDINGS", description = "the findings file (JSON lines)")
    Path findingsFile;

    @Option(names = "--html", paramLabel = "FILE", description = "write an HTML page to FILE instead of printing text")
    Path html;

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
        if (html != null) {
            Outputs.checkWritable(html);
        }
        Findings findings = Findings.read(findingsFile);
        if (findings.records() == 0 && findings.truncatedTail()) {
            throw new UserError(findingsFile + " holds no complete record: its only line is cut off");
        }
        if (findings.truncatedTail()) {
            err.println("mapscope: note: the last line of " + findingsFile
                    + " is cut off (the program was killed, or is still writing); it was skipped.");
            err.flush();
        }
        if (html != null) {
            HtmlReport.write(findings, findingsFile.toString(), html);
            out.println("wrote " + TextReport.races(findings.list().size()) + " to " + html.toAbsolutePath());
        } else {
            TextReport.print(findings, findingsFile.toString(), frames, out);
        }
        out.flush();
        return 0;
    }
}
