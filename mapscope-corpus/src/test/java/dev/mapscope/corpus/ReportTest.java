package dev.mapscope.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.corpus.racy.SynchronizedThisWorkers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the corpus reads the agent's report and judges a finding, on hand-written lines of the documented format. */
class ReportTest {
    @TempDir
    Path dir;

    private static final String WORKER =
            "dev.mapscope.corpus.racy.SynchronizedThisWorkers$Worker.count(SynchronizedThisWorkers.java:31)";

    private static String finding(String id, String kind, int count, String stack0, String stackAt1, String stack1) {
        return "{\"type\":\"finding\",\"id\":\"" + id + "\",\"kind\":\"" + kind
                + "\",\"mapClass\":\"java.util.HashMap\","
                + "\"mapId\":\"java.util.HashMap@1b6d3586\",\"operation\":\"merge\",\"threads\":["
                + "{\"name\":\"a\",\"id\":1,\"operation\":\"merge\",\"stackAt\":\"write\",\"stack\":[" + stack0 + "]},"
                + "{\"name\":\"b\",\"id\":2,\"operation\":\"merge\",\"stackAt\":\"" + stackAt1 + "\",\"stack\":["
                + stack1 + "]}],"
                + "\"count\":" + count + ",\"time\":\"2026-12-07T00:00:00Z\"}";
    }

    @Test
    void keepsTheLastLinePerIdInTheOrderOfFirstAppearance() throws Exception {
        String frame = "\"" + WORKER + "\"";
        Path file = dir.resolve("r.jsonl");
        Files.write(
                file,
                List.of(
                        finding("one", Race.UNSYNCHRONIZED_WRITE, 1, frame, "unknown", ""),
                        finding("two", Race.CONCURRENT_WRITE, 1, frame, "now", frame),
                        finding("one", Race.UNSYNCHRONIZED_WRITE, 5, frame, "unknown", ""),
                        "{\"type\":\"summary\",\"findings\":2,\"dropped\":0,\"time\":\"2026-12-07T00:00:01Z\"}",
                        "{\"type\":\"finding\",\"id\":\"torn"),
                StandardCharsets.UTF_8);

        List<Report.Finding> findings = Report.read(file);

        assertThat(findings).extracting(Report.Finding::id).containsExactly("one", "two");
        assertThat(findings.get(0).count()).isEqualTo(5);
        assertThat(Report.hasSummary(file)).isTrue();
        assertThat(Report.read(dir.resolve("absent.jsonl"))).isEmpty();
    }

    @Test
    void aRaceIsShownOnlyWithBothStacksInTheRacingMethodAndAnAcceptableKind() throws Exception {
        Race race = SynchronizedThisWorkers.class.getAnnotation(Race.class);
        String frame = "\"" + WORKER + "\"";
        String elsewhere = "\"java.util.concurrent.ThreadPoolExecutor.getTask(ThreadPoolExecutor.java:1062)\"";
        Path file = dir.resolve("r.jsonl");
        Files.write(
                file,
                List.of(
                        finding("both", Race.CONCURRENT_WRITE, 1, frame, "now", frame),
                        finding("half", Race.UNSYNCHRONIZED_WRITE, 1, frame, "unknown", ""),
                        finding("parked", Race.CONCURRENT_WRITE, 1, frame, "now", elsewhere),
                        finding("kind", "read-write", 1, frame, "write", frame)),
                StandardCharsets.UTF_8);

        List<Report.Finding> f = Report.read(file);

        assertThat(f)
                .extracting(x -> x.showsRace(SynchronizedThisWorkers.class, race))
                .containsExactly(true, false, false, false);
        assertThat(f).allMatch(x -> x.names(SynchronizedThisWorkers.class));
        assertThat(f.get(0).names(Corpus.class)).isFalse();
    }

    @Test
    void aFrameBelongsToAProgramOrToAClassNestedInIt() {
        assertThat(Report.isFrame(WORKER, SynchronizedThisWorkers.class, "count"))
                .isTrue();
        assertThat(Report.isFrame(WORKER, SynchronizedThisWorkers.class, null)).isTrue();
        assertThat(Report.isFrame(WORKER, SynchronizedThisWorkers.class, "run")).isFalse();
        assertThat(Report.isFrame(
                        "dev.mapscope.corpus.racy.SynchronizedThisWorkersTwo.count(X.java:1)",
                        SynchronizedThisWorkers.class,
                        null))
                .isFalse();
    }
}
