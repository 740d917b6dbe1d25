package dev.mapscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package boundaries of docs/ARCHITECTURE.md, checked on the agent's compiled classes. */
class ArchitectureTest {
    private static final String ROOT = "dev.mapscope.agent";
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void noPackageCycles() {
        assertThat(new PackageGraph(classes, ROOT).cycles()).isEmpty();
    }

    @Test
    void bootUsesOnlyJavaBaseAndOtherBootPackages() {
        assertThat(violations(ROOT + ".boot", t -> PackageGraph.under(t.getPackageName(), ROOT + ".boot")))
                .isEmpty();
    }

    @Test
    void conditionAndProtocolUseOnlyJavaBaseThemselves() {
        // The CLI jar carries these two packages and nothing else of the agent.
        for (String p : List.of(ROOT + ".condition", ROOT + ".protocol")) {
            assertThat(violations(p, t -> t.getPackageName().equals(p))).as(p).isEmpty();
        }
    }

    @Test
    void featuresNeverImportTheRootOrEachOther() {
        Set<String> features = Set.of("race", "profile", "probe", "condition", "protocol", "transform");
        List<String> bad = new ArrayList<>();
        PackageGraph g = new PackageGraph(classes, ROOT);
        g.edges.forEach((from, tos) -> {
            String f = feature(from);
            if (f == null || !features.contains(f)) {
                return;
            }
            for (String to : tos) {
                String t = feature(to);
                boolean shared = to.startsWith(ROOT + ".boot.")
                        || (t != null && (t.equals("protocol") || t.equals("transform") || t.equals("condition")));
                if (!shared && !to.startsWith(from)) {
                    bad.add(from + " -> " + to);
                }
            }
        });
        assertThat(bad).isEmpty();
    }

    /** {@code race} for dev.mapscope.agent.race..., null for the root and for boot packages */
    private static String feature(String pkg) {
        if (!pkg.startsWith(ROOT + ".") || pkg.startsWith(ROOT + ".boot")) {
            return null;
        }
        String rest = pkg.substring(ROOT.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** Dependencies of classes under {@code pkg} on anything that is neither java.base nor {@code allowed}. */
    private static Set<String> violations(String pkg, java.util.function.Predicate<JavaClass> allowed) {
        Set<String> bad = new TreeSet<>();
        for (JavaClass c : classes) {
            if (!PackageGraph.under(c.getPackageName(), pkg)) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass t = PackageGraph.target(d);
                if (t.isPrimitive() || allowed.test(t) || javaBase(t.getName())) {
                    continue;
                }
                bad.add(c.getName() + " -> " + t.getName());
            }
        }
        return bad;
    }

    private static boolean javaBase(String className) {
        try {
            return "java.base"
                    .equals(Class.forName(className, false, null).getModule().getName());
        } catch (ClassNotFoundException e) {
            return false; // not a bootstrap class at all
        }
    }
}
