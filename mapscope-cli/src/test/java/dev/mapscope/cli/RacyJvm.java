package dev.mapscope.cli;

import dev.mapscope.cli.jvm.Child;
import java.util.ArrayList;
import java.util.List;

/** The demo module's long-running racy target in its own JVM, for attach tests; closing it kills it. */
final class RacyJvm extends TargetJvm {
    private RacyJvm(Process process) {
        super(process);
    }

    /** Starts the target with {@code jvmArgs} and waits until it printed "ready" (its first round ran). */
    static RacyJvm start(String... jvmArgs) throws Exception {
        List<String> args = new ArrayList<>(Child.FAST_START);
        args.addAll(List.of(jvmArgs));
        return new RacyJvm(launch(args, "dev.mapscope.demo.RacyTarget", "--period-ms", "100", "--max-seconds", "120"));
    }
}
