package dev.mapscope.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus under the agent jar, in each mode: one child JVM runs every correct program in sequence, another
 * every racy program that the mode must catch, each racy one round after round until the report shows its
 * race or its budget ({@code -Dcorpus.budget} seconds, default 120) runs out. Findings are attributed to a
 * program by the frames of their stacks. One dynamic test per program and mode, so a failure names the
 * program; the message holds every finding involved, in full.
 *
 * <p>Nothing here depends on time: the budget only bounds how long a racy program keeps trying, and a miss is
 * judged from the report, not from a rate.
 */
class CorpusIT {
    static final List<String> MODES = List.of("full", "overlap");

    /**
     * One bug is one finding per tier: the agent groups a map's races by their racing frames (the first frame
     * outside the JDK on each side, line included), so the same pair of racing lines may come once from the
     * overlap check and once from the happens-before model, never more.
     */
    static final int FINDINGS_PER_RACE = 2;

    static final long BUDGET_SECONDS = Long.getLong("corpus.budget", 120);

    @TempDir
    static Path dir;

    /** What one child JVM left: its findings, its output, its exit status. */
    record Run(String name, List<Report.Finding> findings, String output, int exit, boolean summary, double seconds) {
        /** The child's line about {@code program}: {@code ran X}, {@code caught X in N rounds}, ..., or a note. */
        String line(Class<?> program) {
            String name = program.getSimpleName();
            return output.lines()
                    .filter(l -> l.matches("(ran|caught|not caught|skipped|failed|hung) " + name + "( .*|:.*)?"))
                    .findFirst()
                    .orElse("(no line for " + name + " in the child's output)");
        }

        List<Report.Finding> naming(Class<?> program) {
            return findings.stream().filter(f -> f.names(program)).collect(Collectors.toList());
        }
    }

    @TestFactory
    Stream<DynamicContainer> correctProgramsAreSilent() {
        return silent("correct", Corpus.CORRECT);
    }

    /** Real libraries used as documented: any finding is a bug of theirs or a false report of ours. */
    @TestFactory
    Stream<DynamicContainer> librariesAreSilent() {
        return silent("libraries", Corpus.LIBRARIES);
    }

    private Stream<DynamicContainer> silent(String group, List<Class<? extends Program>> programs) {
        return MODES.stream().map(mode -> {
            Run run = run(group + "-" + mode, mode, List.of(group));
            printSummary(run, programs);
            List<DynamicTest> tests = new ArrayList<>();
            for (Class<? extends Program> program : programs) {
                tests.add(dynamicTest(program.getSimpleName(), () -> assertSilent(run, program)));
            }
            tests.add(dynamicTest("no finding outside the programs", () -> {
                List<Report.Finding> stray = run.findings().stream()
                        .filter(f -> programs.stream().noneMatch(f::names))
                        .collect(Collectors.toList());
                assertThat(stray)
                        .as("findings in the correct-programs JVM that name no program:\n%s", describe(stray))
                        .isEmpty();
            }));
            tests.add(dynamicTest(
                    "the agent wrote its summary",
                    () -> assertThat(run.summary())
                            .as("no summary line in the report; output:\n%s", run.output())
                            .isTrue()));
            return dynamicContainer("mode=" + mode, tests);
        });
    }

    @TestFactory
    Stream<DynamicContainer> racyProgramsAreReportedWithBothStacks() {
        return MODES.stream().map(mode -> {
            List<Class<? extends Program>> programs = Corpus.RACY.stream()
                    .filter(p ->
                            mode.equals("full") || p.getAnnotation(Race.class).overlapping())
                    .collect(Collectors.toList());
            String name = "racy-" + mode;
            List<String> args = new ArrayList<>(List.of(
                    "--report", ChildJvm.reportOf(dir, name).toString(), "--budget", Long.toString(BUDGET_SECONDS)));
            programs.forEach(p -> args.add(p.getSimpleName()));
            Run run = run(name, mode, args);
            printSummary(run, programs);
            List<DynamicTest> tests = new ArrayList<>();
            for (Class<? extends Program> program : programs) {
                tests.add(dynamicTest(
                        program.getSimpleName() + " is reported with both stacks", () -> assertReported(run, program)));
                tests.add(dynamicTest(
                        program.getSimpleName() + " has no half finding", () -> assertNoHalfFinding(run, program)));
                tests.add(dynamicTest(
                        program.getSimpleName() + " is one finding", () -> assertOneBugOneFinding(run, program)));
            }
            return dynamicContainer("mode=" + mode, tests);
        });
    }

    private static void assertSilent(Run run, Class<? extends Program> program) {
        Assumptions.assumeTrue(Corpus.runsHere(program), () -> program.getSimpleName() + " needs a newer JDK");
        assertThat(run.line(program))
                .as("%s ran; output:\n%s", program.getSimpleName(), run.output())
                .isEqualTo("ran " + program.getSimpleName());
        List<Report.Finding> found = run.naming(program);
        assertThat(found)
                .as(
                        "%s is correctly synchronised, yet the agent (%s) reported:\n%s",
                        program.getSimpleName(), run.name(), describe(found))
                .isEmpty();
    }

    private static void assertReported(Run run, Class<? extends Program> program) {
        Race race = program.getAnnotation(Race.class);
        List<Report.Finding> found = run.naming(program);
        assertThat(run.line(program))
                .as("%s; output:\n%s", program.getSimpleName(), run.output())
                .doesNotStartWith("failed")
                .doesNotStartWith("hung");
        assertThat(found)
                .as(
                        "%s (%s): no finding of kind %s with both stacks in %s.%s(); the child said \"%s\"; "
                                + "its findings:\n%s",
                        program.getSimpleName(),
                        run.name(),
                        List.of(race.kinds()),
                        program.getSimpleName(),
                        race.method(),
                        run.line(program),
                        describe(found))
                .anyMatch(f -> f.showsRace(program, race));
    }

    /**
     * Every finding on the program shows both racing accesses, as {@code go -race} shows the previous write:
     * not a thread with no stack, nor one caught elsewhere (parked in a pool) when the race was seen.
     */
    private static void assertNoHalfFinding(Run run, Class<? extends Program> program) {
        Race race = program.getAnnotation(Race.class);
        List<Report.Finding> half = run.naming(program).stream()
                .filter(f -> !f.showsRace(program, race))
                .collect(Collectors.toList());
        assertThat(half)
                .as(
                        "%s (%s): findings without both stacks in %s.%s() (or of another kind):\n%s",
                        program.getSimpleName(), run.name(), program.getSimpleName(), race.method(), describe(half))
                .isEmpty();
    }

    /**
     * No pair of racing lines of a map is split over more findings than there are tiers. Which pairs a run
     * exposes depends on timing (a program racing on a put and a clear may show put/put, put/clear and
     * clear/clear), so the pairs are counted, not the findings.
     */
    private static void assertOneBugOneFinding(Run run, Class<? extends Program> program) {
        List<Report.Finding> found = run.naming(program);
        java.util.Map<String, List<Report.Finding>> byPair =
                found.stream().collect(Collectors.groupingBy(CorpusIT::racingPair));
        for (List<Report.Finding> same : byPair.values()) {
            assertThat(same)
                    .as(
                            "%s (%s): one pair of racing lines reported as %d findings:\n%s",
                            program.getSimpleName(), run.name(), same.size(), describe(same))
                    .hasSizeLessThanOrEqualTo(FINDINGS_PER_RACE);
        }
    }

    /** The map and the first frame outside the JDK of each side, in a stable order: what the agent groups by. */
    static String racingPair(Report.Finding f) {
        List<String> frames = new ArrayList<>();
        for (Report.Side side : f.threads()) {
            frames.add(side.stack().stream()
                    .filter(frame ->
                            !frame.startsWith("java.") && !frame.startsWith("jdk.") && !frame.startsWith("sun."))
                    .findFirst()
                    .orElse("?"));
        }
        frames.sort(null);
        return f.map() + " " + frames;
    }

    private static Run run(String name, String mode, List<String> args) {
        try (ChildJvm jvm = ChildJvm.start(dir, name, mode, Corpus.class.getName(), args)) {
            int exit = jvm.waitFor(20);
            double seconds = jvm.seconds();
            return new Run(name, Report.read(jvm.report), jvm.output(), exit, Report.hasSummary(jvm.report), seconds);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One line per program: what the child said, how many findings name it, their kinds and stack moments. */
    private static void printSummary(Run run, List<Class<? extends Program>> programs) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "corpus %s: %.1f s, exit %d, %d findings%n",
                run.name(), run.seconds(), run.exit(), run.findings().size()));
        for (Class<? extends Program> p : programs) {
            List<Report.Finding> found = run.naming(p);
            String shapes = found.stream()
                    .map(f -> f.kind() + "["
                            + f.threads().stream()
                                    .map(t -> t.stackAt() + ":" + t.stack().size())
                                    .collect(Collectors.joining(","))
                            + "]")
                    .collect(Collectors.joining(" "));
            b.append(String.format(
                    "  %-28s %-32s %2d %s%n",
                    p.getSimpleName(), run.line(p).replace(" " + p.getSimpleName(), ""), found.size(), shapes));
        }
        System.out.print(b);
    }

    static String describe(List<Report.Finding> findings) {
        return findings.isEmpty()
                ? "(none)"
                : findings.stream().map(Report.Finding::describe).collect(Collectors.joining("\n"));
    }
}
