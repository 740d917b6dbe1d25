package dev.mapscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe and probe-stop requests against a separately started JVM (docs/PROBES-AGENT.md). */
class ProbeIT {
    @TempDir
    Path dir;

    @Test
    void probeOnPutWritesHitsAndDisarmsAtItsLimit() throws Exception {
        try (ProbeSession s = ProbeSession.start(dir)) {
            String id = s.request(
                    "probe",
                    "on=put",
                    "map=field:dev.mapscope.agent.ProbeTarget.MAP",
                    "capture=thread,keyHash,bucket,key,value.class,map.size,stack",
                    "limit=5",
                    "stack=8");
            assertThat(s.file(id, "armed")).contains("\"on\":[\"put\"]").contains("\"java.util.HashMap\"");
            s.run("put 20");
            String done = s.file(id, "done");
            assertThat(done)
                    .contains("\"hits\":5")
                    .contains("\"reason\":\"limit\"")
                    .contains("the probe disarmed itself after its limit of 5 hits");
            List<String> hits = s.hits(id);
            assertThat(hits).hasSize(5);
            assertThat(hits.get(0))
                    .startsWith("{\"n\":1,")
                    .contains("\"op\":\"put\"")
                    .contains("\"map\":\"java.util.HashMap@")
                    .contains("\"thread\":{\"name\":\"main\",\"id\":")
                    .contains("\"key\":\"k0\"")
                    .contains("\"value.class\":\"java.lang.Integer\"")
                    .contains("\"keyHash\":" + spread("k0".hashCode()))
                    .contains("\"map.size\":")
                    .contains("\"stack\":[\"java.util.HashMap.putVal(")
                    .contains("ProbeTarget.main(ProbeTarget.java:");
            assertThat(hits.get(4)).contains("\"n\":5,").contains("\"key\":\"k4\"");
            // OTHER is written in the same loop and was not selected
            assertThat(String.join("\n", hits)).doesNotContain("\"key\":\"o");
        }
    }

    @Test
    void conditionSelectsTheMatchingOperationsOnly() throws Exception {
        try (ProbeSession s = ProbeSession.start(dir)) {
            String id = s.request(
                    "probe",
                    "on=put,get",
                    "map=class:HashMap",
                    "if=key in [\"k3\", \"k17\"] && op == \"get\" && thread.name == \"main\"",
                    "capture=thread,op,key,keyHash,bucket,map.class",
                    "limit=1000",
                    "rate=100000");
            s.file(id, "armed");
            s.run("put 20");
            s.run("get 20");
            s.send("probe-stop", id);
            String done = s.file(id, "done");
            List<String> hits = s.hits(id);
            assertThat(hits).hasSize(2);
            assertThat(hits.get(0))
                    .contains("\"op\":\"get\"")
                    .contains("\"key\":\"k3\"")
                    .contains("\"keyHash\":" + spread("k3".hashCode()) + ",")
                    .contains("\"bucket\":" + (spread("k3".hashCode()) & 31) + ",") // 20 entries: 32 buckets
                    .contains("\"map.class\":\"java.util.HashMap\"")
                    .doesNotContain("\"stack\"");
            assertThat(hits.get(1)).contains("\"key\":\"k17\"");
            // every put and get on a HashMap was evaluated (the JDK's own HashMaps too): at least the 80 here
            long evaluations = Long.parseLong(done.split("\"evaluations\":")[1].split(",")[0]);
            assertThat(evaluations).isGreaterThanOrEqualTo(40);
        }
    }

    @Test
    void rateDisarmsAndSaysSo() throws Exception {
        try (ProbeSession s = ProbeSession.start(dir)) {
            String id = s.request(
                    "probe", "on=put", "map=field:dev.mapscope.agent.ProbeTarget.MAP", "rate=10", "limit=100000");
            s.file(id, "armed");
            s.run("put 2000");
            String done = s.file(id, "done");
            assertThat(done)
                    .contains("\"reason\":\"rate\"")
                    .contains("\"hits\":10,")
                    .contains("more than 10 times in one second (rate=10)");
            assertThat(s.hits(id)).hasSize(10);
        }
    }

    @Test
    void probeStopAndDetachRemoveTheAdvice() throws Exception {
        try (ProbeSession s = ProbeSession.start(dir)) {
            String id = s.request(
                    "probe", "on=put,get,remove", "map=class:java.util.HashMap", "limit=100000", "rate=100000");
            s.file(id, "armed");
            s.run("put 3");
            s.send("probe-stop", id);
            String done = s.file(id, "done");
            assertThat(done).contains("\"reason\":\"stopped\"");
            long stale = stale(s);
            s.run("put 1000");
            s.run("get 1000");
            assertThat(stale(s)).as("advice still installed after probe-stop").isEqualTo(stale);

            s.send("probe-stop", "nope");
            assertThat(s.file("nope", "error")).isEqualTo("no probe with id nope is armed in this JVM\n");

            String second = s.request("probe", "on=put", "map=any", "limit=100000", "rate=100000");
            s.file(second, "armed");
            s.run("put 10");
            s.control("detach");
            assertThat(s.file(second, "done"))
                    .contains("\"reason\":\"detached\"")
                    .contains("because the agent was detached");
            s.await(() -> s.statusContains("\"state\":\"detached\""));
            int hits = s.hits(second).size();
            long staleAfterDetach = stale(s);
            s.run("put 1000");
            assertThat(stale(s)).as("advice still installed after detach").isEqualTo(staleAfterDetach);
            assertThat(s.hits(second)).hasSize(hits);
        }
    }

    @Test
    void goMapOperations() throws Exception {
        try (ProbeSession s = ProbeSession.start(dir)) {
            String id = s.request(
                    "probe",
                    "on=put,get,resize",
                    "map=class:GoMap",
                    "limit=100000",
                    "rate=100000",
                    "capture=thread,op,bucket,key,map.size");
            assertThat(s.file(id, "armed")).contains("\"dev.mapscope.maps.GoMap\"");
            s.run("go 100");
            s.send("probe-stop", id);
            s.file(id, "done");
            List<String> hits = s.hits(id);
            assertThat(hits.stream().filter(h -> h.contains("\"op\":\"put\""))).hasSize(100);
            assertThat(hits.stream().filter(h -> h.contains("\"op\":\"get\""))).hasSize(100);
            // 100 entries: B grows 0 -> 1 -> 2 -> 3 -> 4
            assertThat(hits.stream().filter(h -> h.contains("\"op\":\"resize\"")))
                    .hasSize(4);
            assertThat(hits.get(0))
                    .contains("\"map\":\"dev.mapscope.maps.GoMap@")
                    .contains("\"key\":\"0\"");
            for (String h : hits) {
                if (h.contains("\"op\":\"put\"")) {
                    // 100 entries end at B = 4: no put's bucket is beyond 15
                    assertThat(number(h, "bucket")).isBetween(0, 15);
                }
            }
        }
    }

    @Test
    void concurrentHashMapAndTreeMapWithTwoProbesArmedAtOnce() throws Exception {
        try (ProbeSession s = ProbeSession.start(dir)) {
            String chm = s.request(
                    "probe",
                    "on=put,get,remove,resize,clear",
                    "map=field:dev.mapscope.agent.ProbeTarget.CHM",
                    "limit=100000",
                    "rate=100000",
                    "capture=op,key,keyHash,bucket");
            String tree = s.request(
                    "probe",
                    "on=put,get,remove,clear",
                    "map=class:java.util.TreeMap",
                    "if=key ~ \"^t\"",
                    "limit=100000",
                    "rate=100000",
                    "capture=op,key,keyHash,bucket");
            assertThat(s.file(chm, "armed"))
                    .contains("\"java.util.concurrent.ConcurrentHashMap\"")
                    .contains("\"slot\":0");
            assertThat(s.file(tree, "armed")).contains("\"java.util.TreeMap\"").contains("\"slot\":1");
            s.run("chmcycle 20");
            s.run("treecycle 5");
            s.send("probe-stop", chm);
            s.send("probe-stop", tree);
            s.file(chm, "done");
            s.file(tree, "done");
            List<String> c = s.hits(chm);
            assertThat(c.stream().filter(h -> h.contains("\"op\":\"put\""))).hasSize(20);
            assertThat(c.stream().filter(h -> h.contains("\"op\":\"get\""))).hasSize(20);
            assertThat(c.stream().filter(h -> h.contains("\"op\":\"remove\""))).hasSize(20);
            assertThat(c.stream().filter(h -> h.contains("\"op\":\"resize\""))).hasSize(1); // 16 -> 32 bins at 13
            assertThat(c.stream().filter(h -> h.contains("\"op\":\"clear\""))).hasSize(1);
            String x3 = c.stream()
                    .filter(h -> h.contains("\"op\":\"put\"") && h.contains("\"key\":\"x3\""))
                    .findFirst()
                    .orElseThrow();
            int h = "x3".hashCode();
            assertThat(x3).contains("\"keyHash\":" + ((h ^ (h >>> 16)) & 0x7fffffff) + ",");
            List<String> t = s.hits(tree);
            assertThat(t.stream().filter(x -> x.contains("\"op\":\"put\""))).hasSize(5);
            assertThat(t.stream().filter(x -> x.contains("\"op\":\"get\""))).hasSize(5);
            assertThat(t.stream().filter(x -> x.contains("\"op\":\"remove\""))).hasSize(5);
            assertThat(t.get(0)).contains("\"bucket\":-1").contains("\"keyHash\":" + "t0".hashCode());
        }
    }

    @Test
    void sameBucketDetectorFindsTwoThreadsAndStaysQuietForOne() throws Exception {
        try (ProbeSession s = ProbeSession.start(dir)) {
            String quiet = s.request(
                    "probe",
                    "on=put",
                    "map=field:dev.mapscope.agent.ProbeTarget.SAME",
                    "same-bucket-within=1000000",
                    "capture=thread,bucket,stack");
            s.file(quiet, "armed");
            s.run("onethread 300");
            s.send("probe-stop", quiet);
            assertThat(s.file(quiet, "done")).contains("\"hits\":0,").contains("\"evaluations\":300,");

            String id = s.request(
                    "probe",
                    "on=put",
                    "map=field:dev.mapscope.agent.ProbeTarget.SAME",
                    "same-bucket-within=1000000",
                    "capture=thread,bucket,stack",
                    "limit=20");
            s.file(id, "armed");
            s.run("twothreads 300");
            s.send("probe-stop", id); // it may have ended at its limit already: then probe-stop does nothing
            s.file(id, "done");
            List<String> hits = s.hits(id);
            assertThat(hits).isNotEmpty();
            for (String h : hits) {
                assertThat(h)
                        .contains("\"bucket\":0")
                        .contains("\"sameBucket\":{\"gapNanos\":")
                        .contains("\"stackAt\":\"now\"");
                String me =
                        h.substring(h.indexOf("\"thread\":{\"name\":\"") + 18).split("\"")[0];
                String other = h.substring(h.indexOf("\"sameBucket\""))
                        .split("\"name\":\"")[1]
                        .split("\"")[0];
                assertThat(me).startsWith("writer-");
                assertThat(other).startsWith("writer-").isNotEqualTo(me);
            }
        }
    }

    @Test
    void mistakesGetOneSentence() throws Exception {
        try (ProbeSession s = ProbeSession.start(dir)) {
            assertThat(error(s, "on=put", "colour=red")).isEqualTo("probe has no argument colour (in colour=red)");
            assertThat(error(s, "on=insert"))
                    .isEqualTo("on names an unknown operation insert (operations: put, get, remove, resize, clear)");
            assertThat(error(s, "limit=0")).isEqualTo("limit must be between 1 and 2147483647; got limit=0");
            assertThat(error(s, "map=class:java.lang.String"))
                    .startsWith("map=class:java.lang.String names no loaded map class mapscope can probe");
            assertThat(error(s, "map=id:java.util.HashMap@0"))
                    .isEqualTo("no map with id java.util.HashMap@0 is known"
                            + " to the agent: ids come from findings, profiles or probes of this session");
            assertThat(error(s, "map=field:dev.mapscope.agent.ProbeTarget.NOT_A_MAP"))
                    .startsWith("field dev.mapscope.agent.ProbeTarget.NOT_A_MAP holds a java.lang.String, not a map");
            assertThat(error(s, "map=field:dev.mapscope.agent.ProbeTarget.nullMap"))
                    .isEqualTo(
                            "field dev.mapscope.agent.ProbeTarget.nullMap is null (map=field:dev.mapscope.agent.ProbeTarget.nullMap)");
            assertThat(error(s, "on=get", "same-bucket-within=1000"))
                    .isEqualTo("same-bucket-within needs on=put alone; got on=get");
            assertThat(error(s, "if=bukket == 17"))
                    .startsWith("if=bukket == 17 is not a valid condition: ")
                    .contains("bucket")
                    .endsWith("(at character 1)");
            assertThat(error(s, "capture=thread,colour"))
                    .startsWith("capture=thread,colour is not a valid capture list: unknown capture 'colour'");
            assertThat(error(s, "on=resize", "map=class:TreeMap")).isEqualTo("a TreeMap has no resize (on=resize)");
        }
    }

    private static String error(ProbeSession s, String... args) throws Exception {
        String id = s.request("probe", args);
        return s.file(id, "error").strip();
    }

    private static long stale(ProbeSession s) throws Exception {
        return Long.parseLong(s.run("stale").split(" ")[2]);
    }

    private static int number(String json, String name) {
        String from = json.substring(json.indexOf("\"" + name + "\":") + name.length() + 3);
        return Integer.parseInt(from.split("[,}]")[0]);
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
