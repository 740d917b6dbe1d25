package dev.mapscope.agent;

import dev.mapscope.agent.probe.Probes;
import dev.mapscope.agent.protocol.Requests;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;

/**
 * Registers the {@code probe}, {@code probe-stop} and {@code inspect} request verbs (docs/AGENT-PROTOCOL.md)
 * and ends every probe at detach, before the race detector's bytecode is restored.
 */
final class ProbeRequests {
    /** the Instrumentation of the first load (see Agent); guarded by ProbeRequests.class */
    private static Instrumentation inst;

    private ProbeRequests() {}

    static synchronized void register(Instrumentation first) {
        if (inst != null) {
            return; // verbs and the detach hook stay registered across detach and reload
        }
        inst = first;
        Requests.register("probe", (dir, id, args) -> Probes.probe(first, dir, id, args));
        Requests.register("probe-stop", (dir, id, args) -> {
            if (!Probes.stop(id) && !Files.exists(dir.resolve(id + ".done"))) {
                throw new IllegalArgumentException("no probe with id " + id + " is armed in this JVM");
            }
        });
        Requests.register("inspect", (dir, id, args) -> Probes.inspect(first, dir, id, args));
        Requests.onDetach(Probes::detaching);
    }

    static synchronized Instrumentation instrumentation() {
        return inst;
    }
}
