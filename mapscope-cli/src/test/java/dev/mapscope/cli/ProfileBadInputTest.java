package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `mapscope profile` and `run --profile` answer every mistake with one sentence and a non-zero exit, no stack trace. */
class ProfileBadInputTest {

    @TempDir
    Path dir;

    private static void assertOneSentence(Cli.Result r, int exit, String firstLine) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(r.err().lines().findFirst().orElse("")).isEqualTo(firstLine);
        assertThat(r.err()).doesNotContain("\tat ", "Exception");
    }

    private String out() {
        return dir.resolve("out").toString();
    }

    @Test
    void unknownPid() {
        long pid = BadInputTest.unusedPid();
        assertOneSentence(
                Cli.run("profile", Long.toString(pid), "--out", out()),
                1,
                "mapscope: no process with pid " + pid + " is running");
        assertThat(dir.resolve("out"))
                .as("nothing is created for a pid that is not there")
                .doesNotExist();
    }

    @Test
    void badDuration() {
        assertOneSentence(
                Cli.run("profile", "12345", "--for", "ten"),
                2,
                "mapscope: invalid value for option"
                        + " '--for': 'ten' is not a duration; write a whole number with ns, us, ms, s, m or h, for example 30s or 5m.");
    }

    @Test
    void sampleZero() {
        assertOneSentence(
                Cli.run("profile", "12345", "--sample", "0"),
                2,
                "mapscope: --sample must be 1 or more (one operation in N is sampled), not 0.");
    }

    @Test
    void badWindow() {
        assertOneSentence(
                Cli.run("profile", "12345", "--window", "fast"),
                2,
                "mapscope: --window must be a whole"
                        + " number with ns, us, ms, s, m or h, for example 500us or 1ms, not 'fast'.");
    }

    @Test
    void unknownEvent() {
        assertOneSentence(
                Cli.run("profile", "12345", "--event", "alloc"),
                2,
                "mapscope: invalid value for option"
                        + " '--event': expected one of [map, cpu, wall, lock] (case-sensitive) but was 'alloc'.");
    }

    @Test
    void mapOptionsWithAnAsyncProfilerEvent() {
        assertOneSentence(
                Cli.run("profile", "12345", "--event", "cpu", "--sample", "8"),
                2,
                "mapscope: --sample and"
                        + " --window belong to --event map; async-profiler's cpu profile has neither.");
    }

    @Test
    void unwritableOut() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        long pid = BadInputTest.unusedPid();
        assertOneSentence(
                Cli.run("profile", Long.toString(pid), "--out", file.toString()),
                1,
                "mapscope: cannot write the profile into --out " + file + ": it is a file, not a directory");
        Path under = file.resolve("profile");
        assertOneSentence(
                Cli.run("profile", Long.toString(pid), "--out", under.toString()),
                1,
                "mapscope: cannot create the --out directory " + under + ": " + file + " is a file, not a directory");
    }

    @Test
    void runWithABadProfileSample() {
        assertOneSentence(
                Cli.run("run", "--profile", out(), "--profile-sample", "0", "--", "java", "-version"),
                2,
                "mapscope: --profile-sample must be 1 or more (one operation in N is sampled), not 0");
    }

    @Test
    void profileHasHelpWithAnExample() {
        Cli.Result r = Cli.run("profile", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("Examples?:\\n  mapscope profile").contains("--event", "--include");
    }
}
