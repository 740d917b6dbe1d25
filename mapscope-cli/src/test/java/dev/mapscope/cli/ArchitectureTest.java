package dev.mapscope.cli;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLI's package boundaries and the size limits of docs/ARCHITECTURE.md. */
class ArchitectureTest {
    private static final List<String> FEATURES = List.of("race", "profile", "probe", "bench");
    private static final List<String> SHARED = List.of("jvm", "render", "console");
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.mapscope.cli");
    }

    @Test
    void noPackageCyclesAndNothingImportsTheRootCommand() {
        slices().matching("dev.mapscope.cli.(*)..").should().beFreeOfCycles().check(classes);
        noClasses()
                .that()
                .resideInAPackage("dev.mapscope.cli.*..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.mapscope.cli")
                .check(classes);
    }

    @Test
    void commandsOfOneFeatureNeverUseAnotherFeature() {
        for (String f : FEATURES) {
            List<String> others = new ArrayList<>();
            for (String o : FEATURES) {
                // The one composition: `run --profile DIR` renders the profile as `mapscope profile` does.
                if (!o.equals(f) && !(f.equals("race") && o.equals("profile"))) {
                    others.add("dev.mapscope.cli." + o + "..");
                }
            }
            noClasses()
                    .that()
                    .resideInAPackage("dev.mapscope.cli." + f + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(others.toArray(new String[0]))
                    .check(classes);
        }
        for (String s : SHARED) {
            List<String> features = new ArrayList<>();
            for (String f : FEATURES) {
                features.add("dev.mapscope.cli." + f + "..");
            }
            noClasses()
                    .that()
                    .resideInAPackage("dev.mapscope.cli." + s + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(features.toArray(new String[0]))
                    .check(classes);
        }
    }

    @Test
    void fromTheAgentOnlyTheConditionLanguageAndTheProtocol() {
        // The CLI jar carries these two agent packages and no other (mapscope-cli/pom.xml, the shade filter).
        noClasses()
                .that()
                .resideInAPackage("dev.mapscope.cli..")
                .should()
                .dependOnClassesThat(resideInAPackage("dev.mapscope.agent..")
                        .and(not(
                                resideInAnyPackage("dev.mapscope.agent.condition..", "dev.mapscope.agent.protocol.."))))
                .check(classes);
    }

    @Test
    void noPackageOverTwentySourceFilesNoSourceFileOverAThousandLines() throws IOException {
        Map<Path, Integer> perPackage = new TreeMap<>();
        List<String> long_ = new ArrayList<>();
        for (Path root : List.of(
                Path.of("src/main/java"),
                Path.of("src/test/java"),
                Path.of("../mapscope-agent/src/main/java"),
                Path.of("../mapscope-agent/src/test/java"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    if (root.toString().contains("main")
                            && !f.getFileName().toString().equals("package-info.java")) {
                        perPackage.merge(f.getParent(), 1, Integer::sum);
                    }
                    long lines;
                    try (Stream<String> l = Files.lines(f)) {
                        lines = l.count();
                    }
                    if (lines > 1000) {
                        long_.add(f + " has " + lines + " lines");
                    }
                }
            }
        }
        assertThat(perPackage)
                .as("source files per package")
                .allSatisfy((dir, n) -> assertThat(n).as(dir.toString()).isLessThanOrEqualTo(20));
        assertThat(long_).isEmpty();
    }
}
