package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mistakes a user can make with probe and inspect that mapscope catches before touching the target: one
 * sentence, exit 2 (usage) or 1 (no such process), no stack trace. The agent's own refusals (unknown class,
 * field, a field that is not a map or is null, an unknown map id) are in {@link ProbeEndToEndTest}.
 */
class ProbeBadInputTest {
    /** A pid nobody uses: the checks below must come before the pid is even looked at, except the last. */
    private static final String PID = Long.toString(BadInputTest.unusedPid());

    private static void assertOneSentence(Cli.Result r, int exit, String firstLine) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        assertThat(r.err().lines().findFirst().orElse("")).isEqualTo(firstLine);
        assertThat(r.err()).doesNotContain("\tat ", "Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void malformedExpressionShowsTheExpressionWithACaret() {
        String expr = "thread.name ~ \"writer-.*\" && bucket = 17";
        Cli.Result r = Cli.run("probe", PID, "--on", "put", "--if", expr);
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        List<String> lines = r.err().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("mapscope: the --if expression is malformed at character \\d+: \\S.*[^.]");
        assertThat(lines.get(1)).isEqualTo("    " + expr);
        int caret = lines.get(2).indexOf('^');
        assertThat(lines.get(2).strip()).isEqualTo("^");
        int position = Integer.parseInt(lines.get(0).replaceAll(".*at character (\\d+):.*", "$1")) - 1;
        assertThat(caret - 4).isEqualTo(position);
        // The caret is under the lone '=' (or just after it), where the mistake is.
        assertThat(position).isBetween(expr.indexOf(" = ") + 1, expr.indexOf(" = ") + 3);
        assertThat(r.err()).doesNotContain("\tat ", "Exception");
    }

    @Test
    void unfinishedExpressionPointsAtItsEnd() {
        String expr = "bucket == ";
        Cli.Result r = Cli.run("probe", PID, "--on", "put", "--if", expr);
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        List<String> lines = r.err().lines().toList();
        assertThat(lines.get(0)).startsWith("mapscope: the --if expression is malformed at character ");
        assertThat(lines.get(2).indexOf('^') - 4)
                .isGreaterThanOrEqualTo(expr.strip().length());
    }

    @Test
    void unknownCapture() {
        Cli.Result r = Cli.run("probe", PID, "--on", "put", "--capture", "thread,colour");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElse(""))
                .startsWith("mapscope: the --capture list is malformed at character 8: ")
                .contains("colour");
    }

    @Test
    void unknownOperation() {
        assertOneSentence(
                Cli.run("probe", PID, "--on", "put,putt"),
                2,
                "mapscope: unknown operation 'putt' for"
                        + " --on; the operations are put, get, remove, resize and clear");
    }

    @Test
    void badSelector() {
        for (String s : List.of("HashMap", "klass:HashMap", "id:HashMap", "field:Cache", "class:", "any:x")) {
            assertOneSentence(
                    Cli.run("probe", PID, "--on", "put", "--map", s),
                    2,
                    "mapscope: bad --map selector '"
                            + s + "': write any, class:NAME, id:MAPID (as findings print it, e.g."
                            + " id:java.util.HashMap@1b6d3586) or field:CLASS.STATICFIELD[.FIELD...]");
        }
    }

    @Test
    void sameBucketNeedsAWrite() {
        assertOneSentence(
                Cli.run("probe", PID, "--on", "get", "--same-bucket-within", "1ms"),
                2,
                "mapscope: --same-bucket-within compares puts, so it needs --on put alone, not --on get");
        assertOneSentence(
                Cli.run("probe", PID, "--on", "put,remove", "--same-bucket-within", "1ms"),
                2,
                "mapscope: --same-bucket-within compares puts, so it needs --on put alone, not --on put,remove");
        assertOneSentence(
                Cli.run("probe", PID, "--on", "put", "--same-bucket-within", "soon"),
                2,
                "mapscope: invalid value for option '--same-bucket-within': 'soon' is not a short positive duration;"
                        + " write for example 1ms or 200us.");
    }

    @Test
    void limitsMustBePositive() {
        assertOneSentence(
                Cli.run("probe", PID, "--on", "put", "--limit", "0"),
                2,
                "mapscope: --limit must be a positive whole number, got 0");
    }

    @Test
    void badFieldPathOrMapId() {
        assertOneSentence(
                Cli.run("inspect", PID, "--field", "ENTRIES"),
                2,
                "mapscope: bad --field 'ENTRIES': write"
                        + " CLASS.STATICFIELD[.FIELD...], for example com.example.Cache.ENTRIES");
        assertOneSentence(
                Cli.run("inspect", PID, "--map", "1b6d3586"),
                2,
                "mapscope: bad --map '1b6d3586': a map"
                        + " id is a class name, '@' and a hex identity hash, as findings print it, for example"
                        + " java.util.HashMap@1b6d3586");
        assertOneSentence(
                Cli.run("inspect", PID),
                2,
                "mapscope: name the map with either --field" + " CLASS.STATICFIELD[.FIELD...] or --map ID");
        assertOneSentence(
                Cli.run("inspect", PID, "--field", "a.B.C", "--map", "x.Y@1"),
                2,
                "mapscope: name the map" + " with either --field CLASS.STATICFIELD[.FIELD...] or --map ID");
    }

    @Test
    void forWithoutWatch() {
        assertOneSentence(
                Cli.run("inspect", PID, "--field", "a.B.C", "--for", "10s"),
                2,
                "mapscope: --for needs --watch: one inspection takes no time to bound");
    }

    @Test
    void unknownPid() {
        assertOneSentence(
                Cli.run("probe", PID, "--on", "put", "--if", "bucket == 17"),
                1,
                "mapscope: no process with pid " + PID + " is running");
        assertOneSentence(
                Cli.run("inspect", PID, "--field", "a.B.C"), 1, "mapscope: no process with pid " + PID + " is running");
    }

    @Test
    void helpHasExamplesThatFitATerminal() {
        for (String command : List.of("probe", "inspect")) {
            Cli.Result r = Cli.run(command, "--help");
            assertThat(r.exit()).as(command).isZero();
            assertThat(r.out()).as(command).containsPattern("Examples?:\\n  mapscope " + command);
            assertThat(r.out().lines())
                    .as(command)
                    .allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
            assertThat(r.err()).as(command).isEmpty();
        }
    }
}
