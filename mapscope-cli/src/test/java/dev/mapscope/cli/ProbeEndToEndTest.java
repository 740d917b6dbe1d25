package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mapscope.cli.jvm.AgentMode;
import dev.mapscope.cli.jvm.Attachment;
import dev.mapscope.cli.jvm.Jvm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * probe and inspect against DelveTarget in a JVM of its own, with the real agent: loaded once for the class
 * (each command reuses the session, as after `mapscope attach`) and detached at the end. DelveTarget's account
 * map holds 100 Integer keys in 256 buckets, 40 of them (17 + 256j) in bucket 17; four writers update every
 * account every 2 ms without a lock.
 */
class ProbeEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BALANCES = "dev.mapscope.demo.DelveTarget.BALANCES";

    private static DelveJvm jvm;
    private static Attachment session;
    private static String pid;

    @TempDir
    Path dir;

    @BeforeAll
    static void attach() throws Exception {
        jvm = DelveJvm.start();
        pid = Long.toString(jvm.pid());
        session = Attachment.open(jvm.pid(), AgentMode.overlap, new PrintWriter(new StringWriter()));
        assertThat(session.loadedHere()).isTrue();
    }

    @AfterAll
    static void detach() throws Exception {
        try {
            if (session != null) {
                session.close();
            }
        } finally {
            if (jvm != null) {
                jvm.close();
            }
        }
    }

    private static List<JsonNode> hits(Path report) throws Exception {
        return Files.readAllLines(report).stream()
                .map(l -> {
                    try {
                        return JSON.readTree(l);
                    } catch (Exception e) {
                        throw new AssertionError(l, e);
                    }
                })
                .toList();
    }

    @Test
    void aConditionStreamsOnlyMatchingHitsWithTheAskedCapturesAndTheLimitEndsIt() throws Exception {
        Path report = dir.resolve("hits.jsonl");
        Cli.Result r = Cli.run(
                "probe",
                pid,
                "--on",
                "put",
                "--map",
                "field:" + BALANCES,
                "--if",
                "bucket == 17 && thread.name == \"writer-1\"",
                "--capture",
                "thread.name,bucket,key",
                "--limit",
                "5",
                "--report",
                report.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("probe armed in pid " + pid + ": put on ");
        List<String> hitLines = lines.stream().filter(l -> l.startsWith("#")).toList();
        assertThat(hitLines)
                .hasSize(5)
                .allSatisfy(l -> assertThat(l)
                        .contains("  bucket 17  key \"", "  thread \"writer-1\"")
                        .doesNotContain("keyHash", "(id "));
        assertThat(r.out()).doesNotContain("      at ");
        assertThat(lines.get(lines.size() - 2))
                .startsWith("mapscope: the probe disarmed itself after its limit of" + " 5 hits; ")
                .endsWith(" operations checked.");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("hits: " + report.toAbsolutePath());
        List<JsonNode> hits = hits(report);
        assertThat(hits).hasSize(5);
        for (JsonNode h : hits) {
            assertThat(h.path("bucket").asInt()).isEqualTo(17);
            assertThat((Integer.parseInt(h.path("key").asText()) - 17) % 256).isZero();
            assertThat(h.has("stack")).isFalse();
            assertThat(h.has("keyHash")).isFalse();
        }
    }

    @Test
    void everyHitCarriesWhatWasCapturedAndNothingElse() throws Exception {
        Path report = dir.resolve("all.jsonl");
        Cli.Result r = Cli.run(
                "probe",
                pid,
                "--on",
                "put",
                "--map",
                "field:" + BALANCES,
                "--capture",
                "thread,keyHash,bucket,key",
                "--limit",
                "20",
                "--report",
                report.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("#")))
                .hasSize(20)
                .allSatisfy(l -> assertThat(l)
                        .containsPattern("  bucket \\d+  keyHash -?\\d+  key \"\\d+\"  thread"
                                + " \"writer-\\d\" \\(id \\d+\\)$"));
        for (JsonNode h : hits(report)) {
            // Integer keys hash to themselves, HashMap spreads h ^ (h >>> 16), and 256 buckets take the low 8 bits.
            int key = Integer.parseInt(h.path("key").asText());
            assertThat(h.path("keyHash").asInt()).isEqualTo(key ^ (key >>> 16));
            assertThat(h.path("bucket").asInt()).isEqualTo((key ^ (key >>> 16)) & 255);
            assertThat(h.has("stack")).isFalse();
        }
    }

    @Test
    void theSameBucketDetectorReportsTwoThreads() throws Exception {
        Path report = dir.resolve("pairs.jsonl");
        Cli.Result r = Cli.run(
                "probe",
                pid,
                "--on",
                "put",
                "--map",
                "field:" + BALANCES,
                "--same-bucket-within",
                "1ms",
                "--capture",
                "thread,bucket,stack",
                "--frames",
                "4",
                "--limit",
                "3",
                "--report",
                report.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("earlier by thread \"writer-", "at dev.mapscope.demo.DelveTarget.deposit(");
        List<JsonNode> hits = hits(report);
        assertThat(hits).hasSize(3);
        for (JsonNode h : hits) {
            JsonNode other = h.path("sameBucket");
            assertThat(other.isObject()).as(h.toString()).isTrue();
            assertThat(other.path("thread").path("name").asText())
                    .startsWith("writer-")
                    .isNotEqualTo(h.path("thread").path("name").asText());
            assertThat(other.path("gapNanos").asLong()).isBetween(0L, 1_000_000L);
        }
    }

    @Test
    void inspectDrawsTheCollidedBucketAsTheLongestChain() throws Exception {
        Path html = dir.resolve("balances.html");
        Cli.Result r = Cli.run("inspect", pid, "--field", BALANCES, "--no-color", "--html", html.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains(
                        "bucket heat map: 256 buckets, hottest bucket 17 with 40 entries",
                        "tree bins (T): bucket 17 (40)");
        assertThat(r.out().replaceAll("\\s+", " "))
                .contains(
                        "The longest chain has 40 entries, in bucket 17 (a tree bin).",
                        "Bucket 17 holds 40% of the entries: its keys collide");
        assertThat(Files.readString(html)).contains("<tr id=\"bucket-17\" class=\"hot\">");
        if (Jvm.findOnPath("chromium") != null || System.getenv("CI") != null) {
            InspectBrowserTest.check(Chromium.require(), html, "inspect-live.png");
        }
    }

    @Test
    void ctrlCStopsTheProbeAndPrintsItsEnd() throws Exception {
        // The command in a JVM of its own, so that a signal reaches its shutdown hook as it would from a terminal.
        Process cli = new ProcessBuilder(
                        Jvm.java(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.mapscope.cli.MapscopeCommand",
                        "probe",
                        pid,
                        "--on",
                        "get",
                        "--map",
                        "field:" + BALANCES)
                .redirectErrorStream(true)
                .start();
        java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(cli.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).startsWith("probe armed in pid " + pid + ": get on ");
        // SIGTERM takes the same shutdown path as Ctrl-C's SIGINT (Process.destroy would also close our pipes).
        assertThat(cli.toHandle().destroy()).isTrue();
        StringBuilder rest = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            rest.append(line).append('\n');
        }
        assertThat(cli.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(rest).contains("mapscope: the probe was stopped with 0 hits");
        assertThat(rest).doesNotContain("Exception");
    }

    @Test
    void inspectWatchRedraws() {
        Cli.Result r = Cli.run("inspect", pid, "--field", BALANCES, "--no-color", "--watch", "200ms", "--for", "2s");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()
                        .lines()
                        .filter(l -> l.startsWith("--- ") && l.endsWith(", every 200ms ---"))
                        .count())
                .isBetween(2L, 11L);
    }

    @Test
    void inspectShowsAGoMapsTophash() throws Exception {
        Cli.Result r = Cli.run("inspect", pid, "--field", "dev.mapscope.demo.DelveTarget.GO_BALANCES", "--no-color");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains(
                        "GoMap dev.mapscope.maps.GoMap@",
                        "100 entries in 2^4 = 16 buckets of 8 slots",
                        "tophash of the fullest buckets");
    }

    @Test
    void theAgentsRefusalsAreOneSentenceEach() {
        Set<String> seen = new HashSet<>();
        for (String[] c : new String[][] {
            {"--field", "com.example.Nope.ENTRIES", "no class loaded in this JVM matches"},
            {"--field", "dev.mapscope.demo.DelveTarget.NOPE", "has no field NOPE"},
            {"--field", "dev.mapscope.demo.DelveTarget.HOT_BUCKET", "not a map"},
            {"--field", "dev.mapscope.demo.DelveTarget.closedAccounts", "is null"},
            {
                "--map",
                "java.util.HashMap@deadbeef",
                "no map with id java.util.HashMap@deadbeef is known to the"
                        + " agent: ids come from findings, profiles or probes of this session"
            }
        }) {
            Cli.Result r = Cli.run("inspect", pid, c[0], c[1]);
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err().lines().toList()).as(r.toString()).hasSize(1);
            assertThat(r.err()).startsWith("mapscope: ").contains(c[2]).doesNotContain("Exception", "\tat ");
            seen.add(r.err());
        }
        assertThat(seen).hasSize(5);
        Cli.Result r = Cli.run("probe", pid, "--on", "put", "--map", "field:com.example.Nope.ENTRIES");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).startsWith("mapscope: ").contains("no class loaded in this JVM matches");
    }
}
