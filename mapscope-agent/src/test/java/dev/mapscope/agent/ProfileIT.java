package dev.mapscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The map profile (docs/PROFILE-AGENT.md) end to end: a JVM started with the agent and a session, profile
 * requests through the control file, and the files they leave. Each JVM runs {@link ProfileTarget}.
 */
class ProfileIT {
    @TempDir
    Path dir;

    /** A deliberately hot bucket is the map's first bucket and the widest stack of the flame graph. */
    @Test
    void theHotBucketComesFirstInTheJsonAndInTheCollapsedStacks() throws Exception {
        Path session = dir.resolve("session");
        try (Jvm jvm = agentJvm(session, "wait", "hotBucket", "wait")) {
            awaitReady(jvm, 1);
            request(session, "profile hot sample=8 window=1000 duration=600000 jfr=false");
            await(() -> Files.exists(session.resolve("hot.started")), jvm);
            proceed(jvm);
            awaitReady(jvm, 2);
            request(session, "profile-stop hot");
            await(() -> Files.exists(session.resolve("hot.done")), jvm);
            proceed(jvm);
            assertThat(jvm.waitFor(60)).isZero();
        }
        Map<String, Object> json = MiniJson.object(Files.readString(session.resolve("hot.json")));
        assertThat(json).containsEntry("sample", 8L).containsEntry("estimated", true);
        Map<String, Object> first = maps(json).get(0);
        assertThat((String) first.get("label")).matches("HashMap @ ProfileTarget\\.java:\\d+");
        assertThat(list(first, "buckets").get(0)).containsEntry("bucket", (long) ProfileTarget.HOT_BUCKET);
        // 80% of 400,000 lookups hit the hot bucket: the estimate is within a few percent of 320,000
        assertThat((Long) list(first, "buckets").get(0).get("ops")).isBetween(280_000L, 360_000L);
        assertThat(Files.exists(session.resolve("hot.jfr"))).isFalse();

        List<String> lines = Files.readAllLines(session.resolve("hot.collapsed"));
        String widest = lines.get(0);
        for (String l : lines) {
            if (count(l) > count(widest)) {
                widest = l;
            }
        }
        assertThat(widest)
                .contains(
                        "dev/mapscope/agent/ProfileTarget.hotBucket;java/util/HashMap.get;java/util/HashMap.getNode;[")
                .endsWith("];[bucket " + ProfileTarget.HOT_BUCKET + "] " + count(widest));
        assertThat(widest).contains(";[" + first.get("label") + "];");
        // counts are operations: each sample stands for the 8 operations of its thread since the last one
        assertThat(count(widest) % 8).isZero();
        assertThat(count(widest)).isBetween(200_000L, 360_000L);
    }

    /**
     * HashMap's twelve doublings, ConcurrentHashMap's transfers and GoMap's grow, evacuate, done; two
     * threads writing one bucket; the JFR recording; one profile at a time; bad arguments refused.
     */
    @Test
    void resizesSameBucketWritesAndJfrEvents() throws Exception {
        Path session = dir.resolve("session");
        try (Jvm jvm = agentJvm(
                session,
                "wait",
                "grow",
                "goGrow",
                "goHotKey",
                "concurrentGrow",
                "sameBucket",
                "concurrentSameBucket",
                "gc",
                "wait")) {
            awaitReady(jvm, 1);
            request(session, "profile bad sample=0");
            await(() -> Files.exists(session.resolve("bad.error")), jvm);
            assertThat(Files.readString(session.resolve("bad.error")).strip())
                    .isEqualTo("profile argument sample must be a whole number from 1 to 1000000, not '0'");
            request(session, "profile odd colour=red");
            await(() -> Files.exists(session.resolve("odd.error")), jvm);
            assertThat(Files.readString(session.resolve("odd.error")).strip())
                    .isEqualTo("unknown profile argument 'colour' (known: sample, window, duration, jfr)");

            request(session, "profile p sample=64 window=" + 50_000 + " duration=600000 jfr=true");
            await(() -> Files.exists(session.resolve("p.started")), jvm);
            request(session, "profile second");
            await(() -> Files.exists(session.resolve("second.error")), jvm);
            assertThat(Files.readString(session.resolve("second.error")).strip())
                    .isEqualTo("a profile is already running in this JVM (p)");
            proceed(jvm);
            awaitReady(jvm, 2);
            request(session, "profile-stop p");
            await(() -> Files.exists(session.resolve("p.done")), jvm);
            proceed(jvm);
            assertThat(jvm.waitFor(60)).isZero();
        }
        Map<String, Object> json = MiniJson.object(Files.readString(session.resolve("p.json")));
        List<Map<String, Object>> resizes = list(json, "resizes");

        List<String> growing = resizes.stream()
                .filter(r -> r.get("kind").equals("HashMap.resize")
                        && r.get("label").toString().startsWith("HashMap @ ProfileTarget.java:")
                        && (Long) r.get("newCapacity") > 64)
                .map(r -> r.get("oldCapacity") + "->" + r.get("newCapacity"))
                .collect(Collectors.toList());
        List<String> doublings = new ArrayList<>();
        for (int c = 64; c < 65536; c *= 2) {
            doublings.add(c + "->" + 2 * c);
        }
        assertThat(growing).containsSubsequence(doublings);
        String grow = resizes.stream()
                .filter(r ->
                        r.get("newCapacity").equals(65536L) && r.get("kind").equals("HashMap.resize"))
                .map(r -> (String) r.get("map"))
                .findFirst()
                .orElseThrow();
        assertThat(resizes.stream()
                        .filter(r -> r.get("map").equals(grow))
                        .map(r -> r.get("oldCapacity") + "->" + r.get("newCapacity")))
                .containsExactly(
                        "16->32",
                        "32->64",
                        "64->128",
                        "128->256",
                        "256->512",
                        "512->1024",
                        "1024->2048",
                        "2048->4096",
                        "4096->8192",
                        "8192->16384",
                        "16384->32768",
                        "32768->65536");
        assertThat(resizes.stream().filter(r -> r.get("map").equals(grow))).allSatisfy(r -> {
            assertThat((Long) r.get("bytes")).isEqualTo(16 + 4 * (Long) r.get("newCapacity"));
            assertThat((Long) r.get("durationNanos")).isPositive();
            assertThat(r.get("thread")).isEqualTo("main");
        });

        assertThat(resizes.stream()
                        .filter(r -> r.get("kind").equals("ConcurrentHashMap.transfer"))
                        .map(r -> r.get("oldCapacity") + "->" + r.get("newCapacity")))
                .contains("16->32", "1024->2048", "16384->32768");

        // GoMap: each growth is hashGrow, then its evacuation, then done, for the same capacities
        List<String> go = resizes.stream()
                .filter(r -> r.get("kind").toString().startsWith("GoMap."))
                .filter(r -> r.get("map").equals(goMapOf(resizes, 512L)))
                .map(r -> r.get("kind") + " " + r.get("oldCapacity") + "->" + r.get("newCapacity"))
                .collect(Collectors.toList());
        assertThat(go)
                .containsSubsequence(
                        "GoMap.grow 1->2",
                        "GoMap.evacuate 1->2",
                        "GoMap.growDone 1->2",
                        "GoMap.grow 256->512",
                        "GoMap.evacuate 256->512",
                        "GoMap.growDone 256->512",
                        "GoMap.grow 512->1024");

        // goHotKey: one key read and written; reads compute the bucket from GoMap's hash, writes are given it
        Map<String, Object> goHot = maps(json).stream()
                .filter(m -> m.get("class").equals("dev.mapscope.maps.GoMap"))
                .findFirst()
                .orElseThrow();
        Map<String, Object> top = list(goHot, "buckets").get(0);
        assertThat((Long) top.get("writes")).isGreaterThan(100_000L);
        assertThat((Long) top.get("ops")).isGreaterThan(2 * (Long) top.get("writes") - 50_000);

        List<Map<String, Object>> same = list(json, "sameBucket");
        assertThat(same).anySatisfy(e -> {
            assertThat((String) e.get("label")).startsWith("HashMap @ ProfileTarget.java:");
            assertThat(e.get("bucket")).isEqualTo((long) ProfileTarget.HOT_BUCKET);
            Map<String, Object> a = obj(e, "first");
            Map<String, Object> b = obj(e, "second");
            assertThat(List.of(a.get("thread"), b.get("thread"))).containsExactlyInAnyOrder("writer-a", "writer-b");
            assertThat(b.get("stack").toString()).contains("ProfileTarget.lambda$sameBucket$");
        });
        for (String cls : List.of("java.util.HashMap", "java.util.concurrent.ConcurrentHashMap")) {
            assertThat(maps(json)).as(cls).anySatisfy(m -> {
                assertThat(m.get("class")).isEqualTo(cls);
                assertThat(m.get("writerThreads")).isEqualTo(2L);
                assertThat((Long) m.get("multiThreadWrites")).isPositive();
                assertThat((Long) m.get("sameBucketWrites")).isPositive();
                assertThat(list(m, "buckets").get(0)).containsEntry("bucket", (long) ProfileTarget.HOT_BUCKET);
            });
        }

        Path jfr = session.resolve("p.jfr");
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        assertThat(events.stream()
                        .filter(e -> e.getEventType().getName().equals("dev.mapscope.Resize"))
                        .map(e -> e.getString("kind") + " " + e.getInt("oldCapacity") + "->" + e.getInt("newCapacity")))
                .contains(
                        "HashMap.resize 32768->65536",
                        "GoMap.grow 256->512",
                        "GoMap.growDone 256->512",
                        "ConcurrentHashMap.transfer 1024->2048");
        assertThat(events.stream().map(e -> e.getEventType().getName()))
                .contains("dev.mapscope.SameBucketWrite", "dev.mapscope.MapSample", "jdk.GCHeapSummary");
        // and the JDK's own tool reads them
        Process p = new ProcessBuilder(
                        Paths.get(System.getProperty("java.home"), "bin", "jfr").toString(),
                        "print",
                        "--events",
                        "dev.mapscope.Resize",
                        jfr.toString())
                .redirectErrorStream(true)
                .start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(printed)
                .contains("dev.mapscope.Resize")
                .contains("newCapacity = 65536")
                .contains("kind = \"GoMap.growDone\"");
    }

    /** Detach during a profile: the files are written, and no map calls the profile any more. */
    @Test
    void detachDuringAProfileWritesTheFilesAndRestoresTheBytecode() throws Exception {
        Path session = dir.resolve("session");
        try (Jvm jvm = agentJvm(session, "wait", "grow", "wait", "adviceCalls")) {
            awaitReady(jvm, 1);
            request(session, "profile d duration=600000");
            await(() -> Files.exists(session.resolve("d.started")), jvm);
            proceed(jvm);
            awaitReady(jvm, 2);
            request(session, "detach");
            await(() -> Files.exists(session.resolve("d.done")), jvm);
            await(() -> !Files.exists(session.resolve("control")), jvm);
            assertThat(Files.readString(session.resolve("d.done"))).contains("\"reason\":\"detached\"");
            assertThat(Files.readString(session.resolve("status.json"))).contains("\"state\":\"detached\"");
            proceed(jvm);
            assertThat(jvm.waitFor(60)).isZero();
            assertThat(jvm.output()).contains("advice calls 0 operations 0");
        }
        Map<String, Object> json = MiniJson.object(Files.readString(session.resolve("d.json")));
        assertThat(list(json, "resizes"))
                .anySatisfy(r -> assertThat(r.get("newCapacity")).isEqualTo(65536L));
        assertThat(Files.size(session.resolve("d.jfr"))).isPositive();
        assertThat(Files.readString(session.resolve("d.collapsed")))
                .contains("ProfileTarget.grow;java/util/HashMap.put;");
    }

    /** The control: the same check finds the advice while a profile runs. */
    @Test
    void adviceCallsAreSeenWhileTheAdviceIsInstalled() throws Exception {
        Path out = dir.resolve("run");
        try (Jvm jvm = Jvm.start(
                dir,
                List.of(),
                List.of("-javaagent:" + Jvm.agentJar() + "=stderr=false,mode=overlap,profile=" + out
                        + ",profile-sample=4,profile-window=500"),
                ProfileTarget.class.getName(),
                "hotBucket",
                "grow",
                "adviceCalls")) {
            assertThat(jvm.waitFor(120)).isZero();
            assertThat(jvm.output()).containsPattern("advice calls [1-9][0-9]{3,} operations [1-9][0-9]{3,}");
        }
        // profile=DIR: the files of the run, written at exit
        for (String f : List.of("run.json", "run.collapsed", "run.jfr", "run.done")) {
            assertThat(out.resolve(f)).exists();
        }
        Map<String, Object> json = MiniJson.object(Files.readString(out.resolve("run.json")));
        assertThat(json).containsEntry("sample", 4L).containsEntry("windowMicros", 500L);
        assertThat(list(maps(json).get(0), "buckets").get(0)).containsEntry("bucket", (long) ProfileTarget.HOT_BUCKET);
        assertThat(Files.readString(out.resolve("run.done"))).contains("\"reason\":\"exit\"");
        assertThat(RecordingFile.readAllEvents(out.resolve("run.jfr")))
                .anySatisfy(e -> assertThat(e.getEventType().getName()).isEqualTo("dev.mapscope.Resize"));
    }

    /** Guava testlib's map suites pass under the profile's advice (one operation in 64 sampled, stacks and all). */
    @Test
    void guavaSuitesPassWhileProfiling() throws Exception {
        Path out = dir.resolve("guava");
        try (Jvm jvm = Jvm.start(
                dir,
                List.of(),
                List.of("-javaagent:" + Jvm.agentJar() + "=stderr=false,mode=overlap,profile=" + out
                        + ",profile-sample=64"),
                UnderProfile.class.getName())) {
            assertThat(jvm.waitFor(180)).as(jvm.output()).isZero();
            assertThat(jvm.output()).contains("OK (");
        }
        Map<String, Object> json = MiniJson.object(Files.readString(out.resolve("run.json")));
        assertThat(json).containsEntry("estimated", true);
        assertThat((Long) json.get("samples")).isGreaterThan(1_000L);
    }

    private Jvm agentJvm(Path session, String... args) throws Exception {
        return Jvm.start(
                dir,
                List.of(),
                List.of("-javaagent:" + Jvm.agentJar() + "=session=" + session + ",stderr=false,mode=overlap"),
                ProfileTarget.class.getName(),
                args);
    }

    private static String goMapOf(List<Map<String, Object>> resizes, long newCapacity) {
        return resizes.stream()
                .filter(r -> r.get("kind").equals("GoMap.growDone")
                        && r.get("newCapacity").equals(newCapacity))
                .map(r -> (String) r.get("map"))
                .findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> o, String key) {
        return (List<Map<String, Object>>) o.get(key);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Map<String, Object> o, String key) {
        return (Map<String, Object>) o.get(key);
    }

    static List<Map<String, Object>> maps(Map<String, Object> json) {
        return list(json, "maps");
    }

    private static long count(String collapsedLine) {
        return Long.parseLong(collapsedLine.substring(collapsedLine.lastIndexOf(' ') + 1));
    }

    static void request(Path session, String line) throws Exception {
        await(() -> !Files.exists(session.resolve("control")), null);
        Path tmp = session.resolve("control.tmp");
        Files.writeString(tmp, line + "\n");
        Files.move(tmp, session.resolve("control"), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void proceed(Jvm jvm) throws Exception {
        OutputStream in = jvm.process.getOutputStream();
        in.write("\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private static void awaitReady(Jvm jvm, int n) throws InterruptedException {
        await(() -> count(jvm.output(), "ready") >= n, jvm);
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }

    private static void await(BooleanSupplier condition, Jvm jvm) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || (jvm != null && !jvm.process.isAlive())) {
                throw new AssertionError(
                        "condition not met within 60 s" + (jvm == null ? "" : "; child output:\n" + jvm.output()));
            }
            Thread.sleep(50);
        }
    }
}
