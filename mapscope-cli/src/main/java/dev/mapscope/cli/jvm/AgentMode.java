package dev.mapscope.cli;

/** The agent's detection mode, option {@code mode=} (docs/AGENT-PROTOCOL.md): both tiers, or the overlap check alone. */
enum AgentMode { full, overlap }
