package dev.mapscope.cli.jvm;

/** The agent's detection mode, option {@code mode=} (docs/AGENT-PROTOCOL.md): both tiers, or the overlap check alone. */
public enum AgentMode {
    full,
    overlap
}
