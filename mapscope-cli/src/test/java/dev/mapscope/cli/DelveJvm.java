package dev.mapscope.cli;

import dev.mapscope.cli.jvm.Child;

/** dev.mapscope.demo.DelveTarget in its own JVM, for the probe and inspect tests; closing it kills it. */
final class DelveJvm extends TargetJvm {
    private DelveJvm(Process process) {
        super(process);
    }

    /** Starts the target and waits until it printed "ready" (every map is filled, the writers start). */
    static DelveJvm start() throws Exception {
        return new DelveJvm(launch(Child.FAST_START, "dev.mapscope.demo.DelveTarget", "--max-seconds", "240"));
    }
}
