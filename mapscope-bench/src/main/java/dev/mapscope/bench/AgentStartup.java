package dev.mapscope.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * A program that does almost nothing (one map, one write), for the agent's start-up cost as a whole
 * process: {@code scripts/agent-startup.sh}.
 */
public final class AgentStartup {
    private AgentStartup() {}

    public static void main(String[] args) {
        Map<String, Integer> m = new HashMap<>();
        m.put("started", 1);
        if (m.size() != 1) {
            throw new AssertionError(m);
        }
    }
}
