package dev.mapscope.cli.jvm;

import picocli.CommandLine.Option;

/** {@code --mode}, worded once for every command that loads the agent with a detection mode. */
public final class AgentModeOption {
    @Option(
            names = "--mode",
            paramLabel = "MODE",
            defaultValue = "full",
            description = "full: both tiers (overlapping writes, and writes with no happens-before order);"
                    + " overlap: only writes that overlap in time, Go's check, cheapest (default: ${DEFAULT-VALUE})")
    public AgentMode mode;
}
