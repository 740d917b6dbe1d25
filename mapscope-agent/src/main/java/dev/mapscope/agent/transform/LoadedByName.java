package dev.mapscope.agent.transform;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Retransforms the loaded classes among the named ones. The list is taken when Byte Buddy asks, after
 * its transformer is registered: a class loaded in between (Byte Buddy itself loads TreeMap while it
 * sets up) would otherwise be neither retransformed nor seen at load.
 */
public final class LoadedByName implements AgentBuilder.RedefinitionStrategy.DiscoveryStrategy {
    private final Set<String> names;

    public LoadedByName(Set<String> names) {
        this.names = names;
    }

    @Override
    public Iterable<Iterable<Class<?>>> resolve(Instrumentation instrumentation) {
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            if (names.contains(c.getName())) {
                loaded.add(c);
            }
        }
        return List.of(loaded);
    }
}
