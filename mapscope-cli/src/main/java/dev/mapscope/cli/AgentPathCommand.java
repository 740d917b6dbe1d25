package dev.mapscope.cli;

import dev.mapscope.cli.jvm.AgentJar;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "agent-path",
        header = "Print the agent jar's path, for -javaagent:.",
        description = "Prints the agent jar's absolute path, for -javaagent: in your own scripts and build files.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
            "  mapscope agent-path",
            "  java -javaagent:\"$(mapscope agent-path)\"=report=findings.jsonl -jar app.jar"
        })
final class AgentPathCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(AgentJar.locate());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
