package dev.mapscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A racy program under the agent in a JVM that records JFR from its command line: the recording holds one
 * {@code dev.mapscope.MapRace} event per finding of the findings file, with both threads and both stacks.
 */
class JfrIT {
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f]{16})\"");

    @TempDir
    Path dir;

    @Test
    void aRecordingHoldsOneMapRaceEventPerFindingWithBothStacks() throws Exception {
        Path report = dir.resolve("findings.jsonl");
        Path jfr = dir.resolve("run.jfr");
        try (Jvm jvm = Jvm.start(
                dir,
                List.of(),
                List.of(
                        "-XX:StartFlightRecording=filename=" + jfr,
                        "-javaagent:" + Jvm.agentJar() + "=report=" + report + ",stderr=false"),
                Patterns.class.getName(),
                "racySeed")) {
            assertThat(jvm.waitFor(120)).as(jvm.output()).isZero();
        }
        Set<String> ids = new TreeSet<>();
        for (String line : Jvm.findings(report)) {
            Matcher m = ID.matcher(line);
            assertThat(m.find()).isTrue();
            ids.add(m.group(1));
        }
        assertThat(ids).as("findings of racySeed").isNotEmpty();

        List<RecordedEvent> races = RecordingFile.readAllEvents(jfr).stream()
                .filter(e -> e.getEventType().getName().equals("dev.mapscope.MapRace"))
                .toList();
        assertThat(races.stream().map(e -> e.getString("findingId")).sorted().toList())
                .as("one event per finding id")
                .containsExactlyElementsOf(ids);
        for (RecordedEvent e : races) {
            assertThat(e.getEventType().getCategoryNames()).containsExactly("mapscope");
            assertThat(e.getString("kind")).isIn("concurrent-write", "unsynchronized-write");
            assertThat(e.getClass("mapClass").getName()).isEqualTo("java.util.HashMap");
            assertThat(e.getString("operation")).isEqualTo("put");
            assertThat(e.getString("threadName")).startsWith("seed-");
            assertThat(e.getString("otherThreadName")).startsWith("seed-").isNotEqualTo(e.getString("threadName"));
            assertThat(e.getLong("threadId")).isPositive();
            RecordedThread thread = e.getThread("thread");
            if (thread != null) { // JFR may write null for a thread that ended before the event was committed (load)
                assertThat(thread.getJavaName()).isEqualTo(e.getString("threadName"));
                assertThat(thread.getJavaThreadId()).isEqualTo(e.getLong("threadId"));
            }
            assertThat(e.getString("frame")).startsWith("dev.mapscope.agent.Patterns.lambda$racySeed$");
            assertThat(e.getString("stack"))
                    .startsWith("java.util.HashMap.")
                    .contains("\ndev.mapscope.agent.Patterns.lambda$racySeed$");
        }
        // racySeed's threads race on one line and write once each: some event has the other writer's stack too
        assertThat(races)
                .anySatisfy(e -> assertThat(e.getString("otherStack"))
                        .contains("\ndev.mapscope.agent.Patterns.lambda$racySeed$"));

        // and the JDK's own tool prints them
        Process p = new ProcessBuilder(
                        Paths.get(System.getProperty("java.home"), "bin", "jfr").toString(),
                        "print",
                        "--events",
                        "dev.mapscope.MapRace",
                        jfr.toString())
                .redirectErrorStream(true)
                .start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(printed)
                .contains("dev.mapscope.MapRace {")
                .contains("findingId = \"" + ids.iterator().next() + "\"")
                .contains("mapClass = java.util.HashMap");
    }
}
