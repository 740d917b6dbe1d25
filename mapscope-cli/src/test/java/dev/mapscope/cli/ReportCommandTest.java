package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

    @TempDir
    Path dir;

    static String sample() throws IOException {
        try (InputStream in = ReportCommandTest.class.getResourceAsStream("sample-findings.jsonl")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void textKeepsTheLastLinePerIdInTheOrderIdsFirstAppeared() throws IOException {
        Path f = write("findings.jsonl", sample());
        Cli.Result r = Cli.run("report", f.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("2 map races in " + f + " (7 occurrences)");
        assertThat(r.out().indexOf("[1] concurrent-write on java.util.HashMap, put  (seen 5 times)"))
                .isLessThan(r.out().indexOf("[2] unsynchronized-write on java.util.HashMap, remove  (seen 2 times)"))
                .isPositive();
        assertThat(r.out())
                .contains(
                        "thread \"request-21\" (id 23), put, saw the race:",
                        "thread \"request-22\" (id 24), put, the other writer:",
                        "at com.example.quotes.QuoteCache.put(QuoteCache.java:50)",
                        "allocated: com.example.quotes.QuoteCache.<init>(QuoteCache.java:42)",
                        "java.util.HashMap (inside a java.util.HashSet)",
                        "bucket:    17, key hash 12345",
                        "field:     com.example.quotes.QuoteCache.quotes (instance field), read at "
                                + "com.example.quotes.QuoteCache.put(QuoteCache.java:50)",
                        "fix:       use a ConcurrentHashMap and computeIfAbsent",
                        "because:   297 of 300 writes followed a miss of the same key by the same thread",
                        "compare:   mapscope bench --mix 93/7 --threads 8",
                        "field:     unknown (a parameter of Sweeper.expire (the caller passed it in))",
                        "thread \"main <&> \"quoted\"\" (id 1), add, the other writer (it had left the map; its stack "
                                + "when the race was found):")
                .as("an allocation site the agent did not record is not printed")
                .doesNotContain("allocated: not recorded");
        assertThat(r.err()).isEmpty();
    }

    /** Where each thread was started, and how many other pairs of code paths reached the same racing lines. */
    @Test
    void textShowsWhereEachThreadWasStartedAndTheOtherPaths() throws IOException {
        String line = "{\"type\":\"finding\",\"id\":\"00000000000000aa\",\"kind\":\"concurrent-write\","
                + "\"mapClass\":\"java.util.HashMap\",\"mapId\":\"java.util.HashMap@1\",\"operation\":\"merge\","
                + "\"bucket\":-1,\"keyHash\":-1,\"threads\":["
                + "{\"name\":\"qtp-1\",\"id\":21,\"operation\":\"merge\",\"stackAt\":\"write\","
                + "\"stack\":[\"java.util.HashMap.merge(HashMap.java:1)\",\"com.example.Hits.count(Hits.java:9)\"],"
                + "\"startedAt\":[\"org.eclipse.jetty.util.thread.QueuedThreadPool.startThread(QueuedThreadPool.java:3)\","
                + "\"com.example.Main.main(Main.java:5)\"]},"
                + "{\"name\":\"qtp-2\",\"id\":22,\"operation\":\"merge\",\"stackAt\":\"write\","
                + "\"stack\":[\"java.util.HashMap.merge(HashMap.java:1)\",\"com.example.Hits.count(Hits.java:9)\"],"
                + "\"startedAt\":[]}],"
                + "\"paths\":[{\"count\":3,\"stacks\":[[],[]]},{\"count\":1,\"stacks\":[[],[]]}],\"otherPaths\":0,"
                + "\"count\":4,\"time\":\"2026-12-07T10:00:00Z\"}\n";
        Path f = write("started.jsonl", line);
        Cli.Result r = Cli.run("report", f.toString());
        assertThat(r.out())
                .contains(
                        "started at org.eclipse.jetty.util.thread.QueuedThreadPool.startThread(QueuedThreadPool.java:3)")
                .contains("the same racing lines were reached from 1 other pair of code paths");
    }

    @Test
    void framesLimitsTheStacks() throws IOException {
        Path f = write("findings.jsonl", sample());
        Cli.Result r = Cli.run("report", "--frames", "2", f.toString());
        assertThat(r.out()).contains("... 4 more").doesNotContain("FutureTask");
        assertThat(Cli.run("report", "--frames", "0", f.toString()).err())
                .isEqualTo("mapscope: --frames must be at least 1, got 0\n");
    }

    @Test
    void aCutOffLastLineIsSkippedAndSaidSo() throws IOException {
        String s = sample();
        Path f = write("findings.jsonl", s + s.substring(0, 120));
        Cli.Result r = Cli.run("report", f.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err())
                .isEqualTo("mapscope: note: the last line of " + f
                        + " is cut off (the program was killed, or is still writing); it was skipped.\n");
        assertThat(r.out()).contains("2 map races");
    }

    @Test
    void aFileWithOnlyACutOffLineIsAnError() throws IOException {
        Path f = write("findings.jsonl", sample().substring(0, 200));
        Cli.Result r = Cli.run("report", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("mapscope: " + f + " holds no complete record: its only line is cut off\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMissingFileIsOneSentence() {
        Path f = dir.resolve("nope.jsonl");
        Cli.Result r = Cli.run("report", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("mapscope: no findings file at " + f + "\n");
    }

    @Test
    void aDirectoryIsNotAFindingsFile() {
        Cli.Result r = Cli.run("report", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("mapscope: " + dir + " is a directory, not a findings file\n");
    }

    @Test
    void aMalformedLineInTheMiddleNamesTheLine() throws IOException {
        Path f = write("notes.txt", sample().replaceFirst("\n", "\nthis is not json\n"));
        Cli.Result r = Cli.run("report", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .isEqualTo("mapscope: line 2 of " + f
                        + " is not a findings record (is this a file written by the mapscope agent?)\n");
    }

    @Test
    void twoRecordsRunTogetherOnOneLineAreMalformed() throws IOException {
        String first = sample().lines().findFirst().orElseThrow();
        Path f = write("findings.jsonl", first + first + "\n");
        assertThat(Cli.run("report", f.toString()).err()).contains("line 1 of");
    }

    @Test
    void anEmptyFileHasNoRaces() throws IOException {
        Path f = write("findings.jsonl", "");
        Cli.Result r = Cli.run("report", f.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("no map races recorded in " + f + ".\n");
    }

    @Test
    void unknownRecordTypesAreSkipped() throws IOException {
        Path f = write("findings.jsonl", "{\"type\":\"resize\",\"from\":16,\"to\":32}\n" + sample());
        assertThat(Cli.run("report", f.toString()).out()).contains("2 map races");
    }

    @Test
    void htmlIsWrittenAndItsPathPrinted() throws IOException {
        Path f = write("findings.jsonl", sample());
        Path html = dir.resolve("report.html");
        Cli.Result r = Cli.run("report", f.toString(), "--html", html.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("wrote 2 map races to " + html.toAbsolutePath() + "\n");
        String page = Files.readString(html);
        assertThat(page)
                .contains(
                        "<section class=\"finding\" id=\"finding-1\">",
                        "seen 5 times",
                        "com.example.quotes.QuoteCache.&lt;init&gt;(QuoteCache.java:42)",
                        "&quot;main &lt;&amp;&gt; &quot;quoted&quot;&quot;",
                        "<li class=\"user\">com.example.quotes.QuoteCache.put(QuoteCache.java:50)</li>",
                        "<li>java.util.HashMap.put(HashMap.java:610)</li>");
        // Self-contained: nothing is fetched from anywhere.
        assertThat(page).doesNotContain("http://", "https://", "<script", "<link", "@import", "url(");
    }

    @Test
    void anUnwritableOutputDirectoryIsOneSentence() throws IOException {
        Path f = write("findings.jsonl", sample());
        Path locked = Files.createDirectory(
                dir.resolve("locked"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-x------")));
        Path html = locked.resolve("report.html");
        Cli.Result r = Cli.run("report", f.toString(), "--html", html.toString());
        if (Files.isWritable(locked)) {
            // Running as root: permissions do not stop root, so only the missing-directory case can be shown.
            html = dir.resolve("missing/report.html");
            r = Cli.run("report", f.toString(), "--html", html.toString());
            assertThat(r.err())
                    .isEqualTo("mapscope: cannot write " + html + ": the directory " + dir.resolve("missing")
                            + " does not exist\n");
        } else {
            assertThat(r.err()).isEqualTo("mapscope: cannot write " + html + ": permission denied in " + locked + "\n");
        }
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void anOutputThatIsADirectoryIsOneSentence() throws IOException {
        Path f = write("findings.jsonl", sample());
        Cli.Result r = Cli.run("report", f.toString(), "--html", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("mapscope: cannot write " + dir + ": it is a directory; name a file\n");
    }
}
