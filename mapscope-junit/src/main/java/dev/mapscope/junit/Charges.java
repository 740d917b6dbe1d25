package dev.mapscope.junit;

import dev.mapscope.agent.race.Finding;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The findings some Jupiter test or class was failed for (or expected), in this JVM: what {@link MapscopeRunListener}
 * must not report again at the end of the run.
 */
final class Charges {
    private static final Set<String> IDS = ConcurrentHashMap.newKeySet();

    private Charges() {}

    static void charge(List<Finding> findings) {
        for (Finding f : findings) {
            IDS.add(f.id());
        }
    }

    static boolean charged(Finding f) {
        return IDS.contains(f.id());
    }
}
