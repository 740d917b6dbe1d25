package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's side of probe and inspect against {@link FakeAgent}: what it sends (decoded as the agent decodes
 * it), how it streams, copies and ends, and how it passes on the agent's refusals.
 */
class ProbeCommandTest {
    private static RacyJvm jvm;

    @TempDir
    Path dir;

    @BeforeAll
    static void startTarget() throws Exception {
        jvm = RacyJvm.start();
    }

    @AfterAll
    static void stopTarget() throws Exception {
        if (jvm != null) {
            jvm.close();
        }
    }

    private static String hit(int n, int bucket) {
        return "{\"n\":" + n
                + ",\"epochNanos\":1764164400123456789,\"op\":\"put\",\"map\":\"java.util.HashMap@1b6d3586\","
                + "\"thread\":{\"name\":\"writer-" + n + "\",\"id\":" + (30 + n) + "},\"bucket\":" + bucket
                + ",\"stack\":[\"dev.mapscope.demo.DelveTarget.deposit(DelveTarget.java:160)\"]}\n";
    }

    @Test
    void hitsStreamToTheTerminalAndTheReportAndTheAgentsSentenceEndsIt() throws Exception {
        Path report = dir.resolve("hits.jsonl");
        try (FakeAgent agent = FakeAgent.start(jvm.pid(), (r, a) -> {
            a.write(r.id() + ".armed", "{\"on\":[\"put\"],\"maps\":\"any\",\"classes\":[\"java.util.HashMap\"]}");
            Thread.sleep(100);
            a.append(r.id() + ".hits.jsonl", hit(2, 17) + hit(1, 17)); // two racing hits, written out of order
            Thread.sleep(100);
            a.append(r.id() + ".hits.jsonl", hit(3, 17));
            a.write(
                    r.id() + ".done",
                    "{\"hits\":3,\"evaluations\":120,\"dropped\":0,\"reason\":\"limit\","
                            + "\"message\":\"the probe disarmed itself after its limit of 3 hits\"}");
        })) {
            Cli.Result r = Cli.run(
                    "probe",
                    Long.toString(jvm.pid()),
                    "--on",
                    "put",
                    "--if",
                    "bucket == 17 && thread.name ~ \"writer-.*\"",
                    "--capture",
                    "thread,bucket,stack",
                    "--limit",
                    "3",
                    "--same-bucket-within",
                    "1ms",
                    "--report",
                    report.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            FakeAgent.Request sent = agent.received.get(0);
            assertThat(sent.verb()).isEqualTo("probe");
            assertThat(sent.id()).startsWith("probe-");
            assertThat(sent.args())
                    .containsEntry("on", "put")
                    .containsEntry("map", "any")
                    .containsEntry("if", "bucket == 17 && thread.name ~ \"writer-.*\"")
                    .containsEntry("capture", "thread,bucket,stack")
                    .containsEntry("limit", "3")
                    .containsEntry("rate", "1000")
                    .containsEntry("stack", "8")
                    .containsEntry("same-bucket-within", "1000")
                    .containsEntry("duration", "60000");
            List<String> lines = r.out().lines().toList();
            assertThat(lines.get(0))
                    .startsWith("probe armed in pid " + jvm.pid() + ": put on any (HashMap) if bucket" + " == 17");
            assertThat(r.out())
                    .contains("  put  HashMap@1b6d3586  bucket 17  thread \"writer-2\" (id 32)\n"
                            + "      at dev.mapscope.demo.DelveTarget.deposit(DelveTarget.java:160)\n");
            assertThat(lines)
                    .filteredOn(l -> l.startsWith("#"))
                    .extracting(l -> l.substring(0, 2))
                    .containsExactly("#1", "#2", "#3");
            assertThat(r.out())
                    .contains("mapscope: the probe disarmed itself after its limit of 3 hits; 120"
                            + " operations checked.");
            assertThat(Files.readString(report)).isEqualTo(hit(1, 17) + hit(2, 17) + hit(3, 17)); // in order too
            for (String name : List.of("armed", "hits.jsonl", "done")) {
                assertThat(agent.session.dir().resolve(sent.id() + "." + name)).doesNotExist();
            }
        }
    }

    @Test
    void theAgentsRefusalIsOneSentence() throws Exception {
        try (FakeAgent agent = FakeAgent.start(
                jvm.pid(),
                (r, a) ->
                        a.write(r.id() + ".error", "no class com.example.Nope is loaded in pid " + jvm.pid() + "\n"))) {
            Cli.Result r =
                    Cli.run("probe", Long.toString(jvm.pid()), "--on", "put", "--map", "field:com.example.Nope.MAP");
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).isEqualTo("mapscope: no class com.example.Nope is loaded in pid " + jvm.pid() + "\n");
            assertThat(agent.received.get(0).args()).containsEntry("map", "field:com.example.Nope.MAP");
        }
    }

    @Test
    void inspectDrawsTheAnswerAndCleansUp() throws Exception {
        Path html = dir.resolve("buckets.html");
        String answer = Files.readString(InspectRenderingTest.resource("inspect-hashmap.json"));
        try (FakeAgent agent = FakeAgent.start(jvm.pid(), (r, a) -> {
            a.write(r.id() + ".json", answer);
            a.write(r.id() + ".done", "");
        })) {
            Cli.Result r = Cli.run(
                    "inspect",
                    Long.toString(jvm.pid()),
                    "--field",
                    "dev.mapscope.demo.DelveTarget.BALANCES",
                    "--html",
                    html.toString(),
                    "--no-color");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(agent.received).hasSize(1);
            assertThat(agent.received.get(0).verb()).isEqualTo("inspect");
            assertThat(agent.received.get(0).args())
                    .containsExactly(java.util.Map.entry("field", "dev.mapscope.demo.DelveTarget.BALANCES"));
            assertThat(r.out())
                    .contains(
                            "bucket heat map: 256 buckets, hottest bucket 17 with 40 entries",
                            "Bucket 17 holds 40% of the entries: its keys collide")
                    .doesNotContain("\u001b[");
            assertThat(Files.readString(html)).contains("id=\"bucket-17\" class=\"hot\"");
            String id = agent.received.get(0).id();
            assertThat(agent.session.dir().resolve(id + ".json")).doesNotExist();
            assertThat(agent.session.dir().resolve(id + ".done")).doesNotExist();
        }
    }

    @Test
    void inspectPassesOnTheAgentsSentence() throws Exception {
        try (FakeAgent agent = FakeAgent.start(
                jvm.pid(),
                (r, a) -> a.write(
                        r.id() + ".error",
                        "no map with id java.util.HashMap@abc is known to the agent: ids come from findings, profiles or"
                                + " probes of this session\n"))) {
            Cli.Result r = Cli.run("inspect", Long.toString(jvm.pid()), "--map", "java.util.HashMap@abc");
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err())
                    .isEqualTo("mapscope: no map with id java.util.HashMap@abc is known to the agent: ids"
                            + " come from findings, profiles or probes of this session\n");
            assertThat(agent.received.get(0).args()).containsEntry("map", "java.util.HashMap@abc");
        }
    }
}
