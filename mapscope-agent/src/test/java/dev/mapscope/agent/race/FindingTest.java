package dev.mapscope.agent.race;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.agent.protocol.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingTest {
    private static StackTraceElement f(String cls, String method, int line) {
        return new StackTraceElement(cls, method, cls.substring(cls.lastIndexOf('.') + 1) + ".java", line);
    }

    @Test
    void agentFramesAndWhatTheAgentCalledAreRemoved() {
        StackTraceElement[] stack = {
            f("java.lang.Thread", "getStackTrace", 1),
            f("sun.management.ThreadImpl", "getThreadInfo", 2),
            f("dev.mapscope.agent.boot.Sharing", "decide", 3),
            f("dev.mapscope.agent.boot.MapWatch", "enter", 4),
            f("java.util.HashMap", "putVal", 5),
            f("com.example.Cache", "put", 6),
        };
        assertThat(Finding.frames(stack))
                .containsExactly("java.util.HashMap.putVal(HashMap.java:5)", "com.example.Cache.put(Cache.java:6)");
    }

    /**
     * The quote demo once produced two ids for one pair of code paths: the other thread's stack, taken with
     * Thread.getStackTrace, held the lambda's hidden proxy frame that the writer's own stack did not.
     */
    @Test
    void aLambdaProxyFrameDoesNotChangeTheCodePath() {
        StackTraceElement[] own = {
            f("java.util.HashMap", "put", 1),
            f("com.example.Quotes", "lambda$main$2", 2),
            f("java.util.concurrent.FutureTask", "run", 3)
        };
        StackTraceElement[] seen = {
            f("java.util.HashMap", "put", 1),
            f("com.example.Quotes", "lambda$main$2", 2),
            f("com.example.Quotes$$Lambda$42/0x00007f99ac13de28", "call", -1),
            f("java.util.concurrent.FutureTask", "run", 3)
        };
        assertThat(Finding.frames(seen)).isEqualTo(Finding.frames(own));
    }

    @Test
    void theIdDoesNotDependOnWhichThreadDetected() {
        List<String> a = List.of("java.util.HashMap.putVal(HashMap.java:5)", "com.example.A.put(A.java:1)");
        List<String> b = List.of("java.util.HashMap.removeNode(HashMap.java:9)", "com.example.B.remove(B.java:2)");
        assertThat(Finding.id("java.util.HashMap", a, b))
                .isEqualTo(Finding.id("java.util.HashMap", b, a))
                .hasSize(16);
        assertThat(Finding.id("java.util.HashMap", a, a)).isNotEqualTo(Finding.id("java.util.HashMap", a, b));
        assertThat(Finding.id("java.util.HashMap", a, b)).isNotEqualTo(Finding.id("java.util.TreeMap", a, b));
    }

    /**
     * One bug, one finding: the Jetty server with one racy merge gave 24 ids, one per pair of full paths
     * (the pool's frames below the handler differ); the id is the racing application line of each side.
     */
    @Test
    void pathsThatReachTheSameRacingLinesAreOneFinding() {
        List<String> viaPool = List.of(
                "java.util.HashMap.merge(HashMap.java:1)",
                "com.example.Hits.count(Hits.java:9)",
                "org.eclipse.jetty.server.Handler.handle(Handler.java:5)",
                "java.lang.Thread.run(Thread.java:1)");
        List<String> viaSelector = List.of(
                "java.util.HashMap.merge(HashMap.java:1)",
                "com.example.Hits.count(Hits.java:9)",
                "org.eclipse.jetty.io.SelectorManager.run(SelectorManager.java:7)");
        assertThat(Finding.racingFrame(viaPool)).isEqualTo("com.example.Hits.count(Hits.java:9)");
        assertThat(Finding.id("java.util.HashMap", viaPool, viaSelector))
                .isEqualTo(Finding.id("java.util.HashMap", viaSelector, viaSelector));
        assertThat(Finding.racingFrame(List.of(
                        "java.util.HashMap.put(HashMap.java:1)",
                        "java.util.ResourceBundle.getBundle(ResourceBundle.java:2)")))
                .as("a JDK-only stack falls back to the map's caller")
                .isEqualTo("java.util.ResourceBundle.getBundle(ResourceBundle.java:2)");
    }

    @Test
    void aHashSetsBackingMapIsNamed() {
        StackTraceElement[] stack = {
            f("java.util.HashMap", "putVal", 1),
            f("java.util.HashMap", "put", 2),
            f("java.util.HashSet", "add", 3),
            f("com.example.Tags", "add", 4)
        };
        assertThat(Finding.backingOf("java.util.HashMap", stack)).isEqualTo("java.util.HashSet");
        assertThat(Finding.backingOf("java.util.LinkedHashMap", stack)).isEqualTo("java.util.LinkedHashSet");
        assertThat(Finding.backingOf("java.util.HashMap", new StackTraceElement[] {
                    f("java.util.HashMap", "putVal", 1), f("com.example.Cache", "put", 2)
                }))
                .isNull();
    }

    @Test
    void theCallerSkipsMapAndSetFrames() {
        assertThat(Finding.caller(List.of(
                        "java.util.HashMap.putVal(HashMap.java:1)",
                        "java.util.HashSet.add(HashSet.java:2)",
                        "com.example.Tags.add(Tags.java:3)")))
                .isEqualTo("com.example.Tags.add(Tags.java:3)");
    }

    @Test
    void operationNamesAreTheUsersOnes() {
        assertThat(Finding.operationName("putVal")).isEqualTo("put");
        assertThat(Finding.operationName("removeNode")).isEqualTo("remove");
        assertThat(Finding.operationName("afterNodeAccess")).startsWith("get");
        assertThat(Finding.operationName("computeIfAbsent")).isEqualTo("computeIfAbsent");
    }

    @Test
    void jsonEscapes() {
        assertThat(Json.str("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
        assertThat(Json.str(null)).isEqualTo("null");
    }

    private static dev.mapscope.agent.boot.race.Race race(
            String kind, StackTraceElement[] mine, StackTraceElement[] theirs) {
        return new dev.mapscope.agent.boot.race.Race(
                kind,
                new java.util.HashMap<String, String>(),
                "getNode",
                -1,
                -1,
                Thread.currentThread(),
                mine,
                Thread.currentThread(),
                "putVal",
                theirs,
                dev.mapscope.agent.boot.race.Race.AT_WRITE);
    }

    /**
     * A read/write race is its own finding, apart from a write/write race of the same lines; its tier-1 and
     * tier-2 sightings are one finding, upgraded to the tier-1 kind; the text says what the reader can see.
     */
    @Test
    void readRacesAreAFamilyOfTheirOwn() {
        StackTraceElement[] reader = {f("java.util.HashMap", "getNode", 1), f("com.example.Cache", "lookup", 9)};
        StackTraceElement[] writer = {f("java.util.HashMap", "putVal", 2), f("com.example.Cache", "fill", 15)};
        Finding unsync = Finding.of(race(dev.mapscope.agent.boot.race.Race.UNSYNCHRONIZED_READ, reader, writer));
        Finding overlap = Finding.of(race(dev.mapscope.agent.boot.race.Race.CONCURRENT_READ, reader, writer));
        Finding writes = Finding.of(race(dev.mapscope.agent.boot.race.Race.UNSYNCHRONIZED, reader, writer));
        Finding iteration =
                Finding.of(race(dev.mapscope.agent.boot.race.Race.UNSYNCHRONIZED_ITERATION, reader, writer));
        assertThat(unsync.id()).isEqualTo(overlap.id());
        assertThat(unsync.id()).isNotEqualTo(writes.id()).isNotEqualTo(iteration.id());
        assertThat(writes.id())
                .as("write ids are as they were")
                .isEqualTo(Finding.id("java.util.HashMap", Finding.frames(reader), Finding.frames(writer)));
        assertThat(unsync.sameBug(writes)).isFalse();
        unsync.merge(overlap);
        assertThat(unsync.kind()).isEqualTo("concurrent-read-write");
        writes.merge(iteration);
        assertThat(writes.kind()).as("never changes family").isEqualTo("unsynchronized-write");
        assertThat(unsync.text())
                .startsWith("mapscope: concurrent read and write of java.util.HashMap@")
                .contains("what can happen: ")
                .contains("operation: get");
        assertThat(unsync.json()).contains("\"kind\":\"concurrent-read-write\"").contains("\"usage\":null");
        assertThat(unsync.usage()).isNull();
    }
}
