package dev.mapscope.cli.render;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --frames} and {@code --html}, worded once for the commands that print findings as they come. */
public final class FindingsOptions {
    @Option(
            names = "--frames",
            paramLabel = "N",
            defaultValue = "8",
            description = "stack frames per thread when a finding is printed (default: ${DEFAULT-VALUE})")
    public int frames;

    @Option(
            names = "--html",
            paramLabel = "FILE",
            description = "write an HTML report of the findings to FILE at the" + " end")
    public Path html;
}
