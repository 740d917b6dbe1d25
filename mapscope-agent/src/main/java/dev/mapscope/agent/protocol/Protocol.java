package dev.mapscope.agent.protocol;

/**
 * Defaults that the agent and the CLI must agree on (docs/AGENT-PROTOCOL.md). The CLI compiles against these
 * constants, so a default is stated once, here.
 */
public final class Protocol {
    /**
     * The map profile records the stack of one map operation in this many per thread. A sampled stack costs
     * 3-15 µs (its stack walk), so 1 in 64 would add 50-250 ns to every operation, far above the 1.05x target for
     * a map-heavy program; on the Jackson workload 1 in 1024 measured 1.15x and 1 in 8192 1.00x
     * (docs/PERFORMANCE.md, "The map profile").
     */
    public static final int DEFAULT_PROFILE_SAMPLE = 8192;

    /** Two writes to one bucket by two threads closer than this are counted as a same-bucket sequence. */
    public static final long DEFAULT_PROFILE_WINDOW_MICROS = 1000;

    private Protocol() {}
}
