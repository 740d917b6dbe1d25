package dev.mapscope.agent.race;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.agent.boot.race.Race;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReporterTest {
    @TempDir
    Path dir;

    private static Race race(String kind, String caller, int line) {
        StackTraceElement[] mine = {
            new StackTraceElement("java.util.HashMap", "putVal", "HashMap.java", 1),
            new StackTraceElement(caller, "put", "X.java", line)
        };
        StackTraceElement[] theirs = {new StackTraceElement("com.example.Other", "put", "Other.java", 7)};
        return new Race(
                kind,
                new HashMap<>(),
                "putVal",
                42,
                10,
                Thread.currentThread(),
                mine,
                Thread.currentThread(),
                "putVal",
                theirs,
                Race.AT_WRITE);
    }

    @Test
    void repeatsAreCountedAndNewFindingsBoundedWithDropsCounted() throws Exception {
        Path file = dir.resolve("f.jsonl");
        Reporter r = new Reporter(new Reporter.Outputs(file, null, false, false), System.err, Reporter.newListeners());
        r.open();
        long key = r.report(race(Race.CONCURRENT, "com.example.Cache", 1));
        assertThat(r.report(race(Race.CONCURRENT, "com.example.Cache", 1))).isEqualTo(key);
        r.repeat(key);
        for (int i = 0; i < Reporter.MAX_FINDINGS + 10; i++) {
            r.report(race(Race.CONCURRENT, "com.example.Cache", 100 + i));
        }
        assertThat(r.findingCount()).isEqualTo(Reporter.MAX_FINDINGS);
        assertThat(r.dropped()).isEqualTo(11);
        assertThat(r.findings().get(0).count()).isEqualTo(3);
        r.close();
        List<String> lines = Files.readAllLines(file);
        // The first line is written once the explainer has named the field: its count is that of the moment.
        assertThat(lines.get(0)).startsWith("{\"type\":\"finding\",\"id\":").contains("\"fix\":{");
        assertThat(lines)
                .anyMatch(l -> l.startsWith("{\"type\":\"finding\",\"id\":\""
                                + r.findings().get(0).id())
                        && l.contains("\"count\":3"));
        assertThat(lines.get(lines.size() - 1)).startsWith("{\"type\":\"summary\",\"findings\":1024,\"dropped\":11,");
        assertThat(r.report(race(Race.CONCURRENT, "com.example.Late", 1)))
                .as("closed")
                .isZero();
    }

    /**
     * A tier-1 and a tier-2 sighting of one racing line, reached through different full paths, are one
     * finding: its kind is concurrent-write (it overlapped), it lists both pairs of paths, and its example is
     * the sighting with both stacks.
     */
    @Test
    void sightingsOfOneRacingLineAreOneFinding() throws Exception {
        Path file = dir.resolve("g.jsonl");
        Reporter r = new Reporter(new Reporter.Outputs(file, null, false, false), System.err, Reporter.newListeners());
        r.open();
        StackTraceElement put = new StackTraceElement("java.util.HashMap", "putVal", "HashMap.java", 1);
        StackTraceElement line = new StackTraceElement("com.example.Cache", "put", "Cache.java", 12);
        StackTraceElement viaA = new StackTraceElement("com.example.A", "run", "A.java", 3);
        StackTraceElement viaB = new StackTraceElement("com.example.B", "run", "B.java", 4);
        Race half = new Race(
                Race.UNSYNCHRONIZED,
                new HashMap<>(),
                "putVal",
                1,
                1,
                Thread.currentThread(),
                new StackTraceElement[] {put, line, viaA},
                Thread.currentThread(),
                "putVal",
                new StackTraceElement[0],
                Race.AT_UNKNOWN);
        Race whole = new Race(
                Race.CONCURRENT,
                new HashMap<>(),
                "putVal",
                1,
                1,
                Thread.currentThread(),
                new StackTraceElement[] {put, line, viaB},
                Thread.currentThread(),
                "putVal",
                new StackTraceElement[] {put, line, viaA},
                Race.AT_WRITE);
        long key = r.report(half);
        assertThat(r.report(whole)).isEqualTo(key);
        assertThat(r.report(whole))
                .as("a whole sighting after the finding adopted a whole example (seen on the Jetty server)")
                .isEqualTo(key);
        assertThat(r.findingCount()).isEqualTo(1);
        Finding f = r.findings().get(0);
        assertThat(f.kind()).isEqualTo(Race.CONCURRENT);
        assertThat(f.count()).isEqualTo(3);
        assertThat(f.pathCount()).isEqualTo(2);
        assertThat(f.other().stack()).as("the example with both stacks").isNotEmpty();
        r.close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(lines.size() - 2))
                .contains("\"kind\":\"concurrent-write\"")
                .contains("\"paths\":[{")
                .contains("com.example.B.run(B.java:4)");
        assertThat(lines.get(lines.size() - 1)).contains("\"jdkInternal\":0").contains("\"unexamined\":");
    }

    @Test
    void theTextNamesKindMapOperationBothThreadsAndAFix() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Reporter r = new Reporter(
                new Reporter.Outputs(null, null, true, false),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                Reporter.newListeners());
        r.open();
        r.report(race(Race.UNSYNCHRONIZED, "com.example.Cache", 1));
        r.close(); // the text is printed by the explainer, or at the latest by close()
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .startsWith("mapscope: unsynchronized write to java.util.HashMap@")
                .contains("operation: put")
                .contains("key hash: 42")
                .contains("bucket: 10")
                .contains("at com.example.Cache.put(X.java:1)")
                .contains("at com.example.Other.put(Other.java:7)")
                .contains("  field: unknown (no class file for com.example.Cache (a generated class?))")
                .contains("  fix: use a ConcurrentHashMap, or guard every access with one lock (a read lock is not")
                .contains("       because: two threads wrote it with no happens-before order");
    }

    @Test
    void jdkInternalMapsAreNotReportedByTier2() {
        Reporter r = new Reporter(new Reporter.Outputs(null, null, false, false), System.err, Reporter.newListeners());
        r.open();
        assertThat(r.report(race(Race.UNSYNCHRONIZED, "java.lang.invoke.MethodType", 1)))
                .isZero();
        assertThat(r.ignored()).isEqualTo(1);
        assertThat(r.report(race(Race.CONCURRENT, "java.lang.invoke.MethodType", 1)))
                .isNotZero();
    }
}
