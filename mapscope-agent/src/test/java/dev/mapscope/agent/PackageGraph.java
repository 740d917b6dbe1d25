package dev.mapscope.agent;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The package dependency graph of some classes, for the architecture tests: edges, and the cycles among them. */
final class PackageGraph {
    /** package -> the packages it depends on (only packages under the root, itself excluded) */
    final Map<String, Set<String>> edges = new TreeMap<>();

    PackageGraph(JavaClasses classes, String root) {
        for (JavaClass c : classes) {
            String from = c.getPackageName();
            if (!under(from, root)) {
                continue;
            }
            Set<String> out = edges.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = target(d).getPackageName();
                if (under(to, root) && !to.equals(from)) {
                    out.add(to);
                }
            }
        }
    }

    static JavaClass target(Dependency d) {
        JavaClass t = d.getTargetClass();
        return t.isArray() ? t.getBaseComponentType() : t;
    }

    static boolean under(String pkg, String root) {
        return pkg.equals(root) || pkg.startsWith(root + ".");
    }

    /** Every cycle as a path {@code a -> b -> ... -> a}; empty when the graph is acyclic. */
    List<String> cycles() {
        List<String> found = new ArrayList<>();
        Map<String, Integer> state = new TreeMap<>(); // 1 on the current path, 2 done
        for (String p : edges.keySet()) {
            visit(p, new ArrayList<>(), state, found);
        }
        return found;
    }

    private void visit(String p, List<String> path, Map<String, Integer> state, List<String> found) {
        Integer s = state.get(p);
        if (s != null && s == 2) {
            return;
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(p), path.size()));
            cycle.add(p);
            found.add(String.join(" -> ", cycle));
            return;
        }
        state.put(p, 1);
        path.add(p);
        for (String q : edges.getOrDefault(p, Set.of())) {
            visit(q, path, state, found);
        }
        path.remove(path.size() - 1);
        state.put(p, 2);
    }
}
