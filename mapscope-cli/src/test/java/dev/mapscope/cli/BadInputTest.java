package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.cli.console.DurationConverter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every mistake a user can make on the command line gets one sentence and a non-zero exit, never a stack trace. */
class BadInputTest {

    private static void assertOneSentence(Cli.Result r, int exit, String firstLine) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(r.err().lines().findFirst().orElse("")).isEqualTo(firstLine);
        assertThat(r.err()).doesNotContain("\tat ", "Exception");
    }

    @Test
    void unknownCommand() {
        assertOneSentence(
                Cli.run("frobnicate"),
                2,
                "mapscope: unknown command 'frobnicate'; the commands are: "
                        + String.join(
                                ", ",
                                MapscopeCommand.commandLine().getSubcommands().keySet()) + ".");
        assertThat(MapscopeCommand.commandLine().getSubcommands().keySet())
                .contains(
                        "help",
                        "demo",
                        "run",
                        "attach",
                        "detach",
                        "status",
                        "report",
                        "repro",
                        "agent-path",
                        "completion");
    }

    @Test
    void unknownOption() {
        Cli.Result r = Cli.run("report", "x.jsonl", "--htlm", "r.html");
        assertOneSentence(r, 2, "mapscope: unknown options: '--htlm', 'r.html'.");
        assertThat(r.err()).contains("Try 'mapscope report --help'.");
    }

    @Test
    void badDuration() {
        assertOneSentence(
                Cli.run("attach", "12345", "--for", "ten"),
                2,
                "mapscope: invalid value for option"
                        + " '--for': 'ten' is not a duration; write a whole number with ns, us, ms, s, m or h, for example 30s or 5m.");
    }

    @Test
    void pidThatIsNotANumber() {
        assertOneSentence(
                Cli.run("attach", "java"),
                2,
                "mapscope: invalid value for positional parameter at index 0 (PID): 'java' is not a long.");
    }

    @Test
    void pidThatDoesNotExist() {
        long pid = unusedPid();
        assertOneSentence(
                Cli.run("attach", Long.toString(pid)), 1, "mapscope: no process with pid " + pid + " is running");
        assertOneSentence(
                Cli.run("status", Long.toString(pid)), 1, "mapscope: no process with pid " + pid + " is running");
        assertOneSentence(
                Cli.run("detach", Long.toString(pid)), 1, "mapscope: no process with pid " + pid + " is running");
    }

    @Test
    void pidThatIsNotAJvm() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            assertOneSentence(
                    Cli.run("attach", Long.toString(sleep.pid()), "--for", "1s"),
                    1,
                    "mapscope: pid " + sleep.pid() + " ("
                            + sleep.info().command().orElseThrow() + ") is not a Java virtual machine");
        } finally {
            sleep.destroy();
        }
    }

    @Test
    void attachingToItself() {
        long self = ProcessHandle.current().pid();
        assertOneSentence(
                Cli.run("attach", Long.toString(self)),
                1,
                "mapscope: pid " + self + " is this mapscope process itself; name the JVM to watch");
    }

    @Test
    void negativePid() {
        assertOneSentence(Cli.run("status", "-5"), 2, "mapscope: a pid is a positive number, got -5");
        assertOneSentence(Cli.run("status", "0"), 2, "mapscope: a pid is a positive number, got 0");
    }

    @Test
    void runWithoutACommand() {
        assertOneSentence(Cli.run("run"), 2, "mapscope: missing required parameter: 'COMMAND'.");
    }

    @Test
    void durationsParse() {
        DurationConverter c = new DurationConverter();
        assertThat(c.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.convert("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.convert("1H")).isEqualTo(Duration.ofHours(1));
        assertThat(c.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationConverter.format(Duration.ofSeconds(150))).isEqualTo("2m 30s");
        assertOneSentence(
                Cli.run("attach", "1", "--for", "0s"),
                2,
                "mapscope: invalid value for option '--for': '0s' is zero; give a duration longer than 0.");
        assertOneSentence(
                Cli.run("attach", "1", "--for", "-3s"),
                2,
                "mapscope: invalid value for option '--for': '-3s' is not a duration; write a whole number with"
                        + " ns, us, ms, s, m or h, for example 30s or 5m.");
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        for (String command : java.util.List.of(
                "demo", "run", "attach", "detach", "status", "report", "repro", "agent-path", "completion")) {
            Cli.Result r = Cli.run(command, "--help");
            assertThat(r.exit()).as(command).isZero();
            assertThat(r.out()).as(command).containsPattern("Examples?:\\n  mapscope " + command);
        }
    }

    @Test
    void completionCoversTheCommands() {
        Cli.Result r = Cli.run("completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("complete -F _complete_mapscope", "attach", "--fail-on-race", "--html");
    }

    static long unusedPid() {
        long pid = 4_000_000;
        while (ProcessHandle.of(pid).isPresent()) {
            pid--;
        }
        return pid;
    }
}
