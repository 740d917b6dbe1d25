package dev.mapscope.agent;

import dev.mapscope.agent.probe.Probes;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;

/**
 * Registers the {@code probe}, {@code probe-stop} and {@code inspect} request verbs (docs/AGENT-PROTOCOL.md)
 * and ends every probe at detach, before the race detector's bytecode is restored.
 */
final class ProbeCommands {
    /** the Instrumentation of the first load (see Agent); guarded by ProbeCommands.class */
    private static Instrumentation inst;

    private ProbeCommands() {
    }

    static synchronized void register(Instrumentation first) {
        if (inst != null) {
            return; // verbs and the detach hook stay registered across detach and reload
        }
        inst = first;
        Commands.register("probe", (dir, id, args) -> Probes.probe(first, dir, id, args));
        Commands.register("probe-stop", (dir, id, args) -> {
            if (!Probes.stop(id) && !Files.exists(dir.resolve(id + ".done"))) {
                throw new IllegalArgumentException("no probe with id " + id + " is armed in this JVM");
            }
        });
        Commands.register("inspect", (dir, id, args) -> Probes.inspect(first, dir, id, args));
        Commands.onDetach(Probes::detaching);
    }

    static synchronized Instrumentation instrumentation() {
        return inst;
    }
}
