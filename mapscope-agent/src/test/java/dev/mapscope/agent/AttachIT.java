package dev.mapscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attach session protocol of AGENT-PROTOCOL.md, against a JVM started without the agent. */
class AttachIT {
    @TempDir
    Path dir;

    @Test
    void attachFindStatusDetach() throws Exception {
        Path session = dir.resolve("session");
        try (Jvm jvm = Jvm.start(
                dir, List.of(), List.of(), Patterns.class.getName(), "wait", "racySeed", "wait", "racySeed")) {
            await(() -> count(jvm.output(), "ready") == 1, jvm);
            Attach.load(
                    Long.toString(jvm.process.pid()),
                    Jvm.agentJar().toString(),
                    "session=" + session + ",stderr=false");
            assertThat(Files.readString(session.resolve("status.json")))
                    .contains("\"state\":\"attached\"")
                    .contains("\"mode\":\"full\"")
                    .contains("\"java.util.HashMap\"")
                    .contains("\"java.util.TreeMap\"")
                    .contains("\"java.util.concurrent.CountDownLatch$Sync\"")
                    .contains("\"java.util.concurrent.FutureTask\"")
                    .contains("\"java.lang.Thread\"")
                    .contains("\"pid\":" + jvm.process.pid());

            proceed(jvm);
            await(() -> count(jvm.output(), "ready") == 2, jvm);
            // A new finding is written by the agent's explainer thread once it has named the map's field.
            await(() -> findings(session).size() > 0, jvm);

            command(session, "status");
            await(() -> !Files.exists(session.resolve("control")), jvm);
            assertThat(Files.readString(session.resolve("status.json"))).doesNotContain("\"findings\":0");

            command(session, "detach");
            await(() -> !Files.exists(session.resolve("control")), jvm);
            assertThat(Files.readString(session.resolve("status.json"))).contains("\"state\":\"detached\"");
            String afterDetach = Files.readString(session.resolve("findings.jsonl"));
            assertThat(afterDetach).contains("{\"type\":\"summary\"");

            proceed(jvm);
            assertThat(jvm.waitFor(60)).isZero();
            assertThat(count(jvm.output(), "ran racySeed")).isEqualTo(2);
            assertThat(Files.readString(session.resolve("findings.jsonl"))).isEqualTo(afterDetach);
        }
    }

    private static void command(Path session, String command) throws Exception {
        Path tmp = session.resolve("control.tmp");
        Files.writeString(tmp, command + "\n");
        Files.move(tmp, session.resolve("control"), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void proceed(Jvm jvm) throws Exception {
        OutputStream in = jvm.process.getOutputStream();
        in.write("\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }

    private static java.util.List<String> findings(Path session) {
        try {
            return Jvm.findings(session.resolve("findings.jsonl"));
        } catch (java.io.IOException e) {
            return java.util.List.of();
        }
    }

    private static void await(BooleanSupplier condition, Jvm jvm) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !jvm.process.isAlive()) {
                throw new AssertionError("condition not met within 30 s; child output:\n" + jvm.output());
            }
            Thread.sleep(50);
        }
    }
}
