package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.cli.profile.Collapsed;
import dev.mapscope.cli.profile.ProfileFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendering of an agent's map profile, from files written here in the contract's format (docs/PROFILE.md):
 * a collapsed file with one hot tower, the JSON, and a real JFR recording with garbage collections (this JVM's,
 * forced with System.gc) and {@code dev.mapscope.Resize} events between them.
 */
class ProfileFilesTest {
    static final String HOT_MAP = "[HashMap @ Cache.java:42]";

    @TempDir
    Path dir;

    Path out;

    /** The agent's Resize event as the contract names it and its fields; committed by this test. */
    @Name("dev.mapscope.Resize")
    @Label("Map resize")
    static final class Resize extends Event {
        String mapId;
        String mapClass;
        String label;
        int oldCapacity;
        int newCapacity;
        long bytes;
    }

    @BeforeEach
    void agentFiles() throws Exception {
        out = Files.createDirectories(dir.resolve("out"));
        String worker = "java/lang/Thread.run;com/example/Worker.run;com/example/Cache.put;java/util/HashMap.put;";
        Files.writeString(
                dir.resolve("p1.collapsed"),
                String.join(
                        "\n",
                        worker + HOT_MAP + ";[bucket 17] 900",
                        worker + HOT_MAP + ";[bucket 3] 40",
                        worker + HOT_MAP + ";[bucket 5] 35",
                        "java/lang/Thread.run;com/example/Loader.load;java/util/HashMap.put;[HashMap @ Loader.java:9];[bucket 17] 60",
                        "java/lang/Thread.run;com/example/Loader.load;java/util/HashMap.put;java/util/HashMap.resize;"
                                + "[HashMap @ Loader.java:9];[resize 64->128] 12",
                        ""),
                StandardCharsets.UTF_8);
        long start = System.currentTimeMillis();
        try (Recording r = new Recording()) {
            r.enable("jdk.GarbageCollection");
            r.enable("jdk.GCHeapSummary");
            r.enable(Resize.class);
            r.start();
            resize(64, 128, 528);
            resize(128, 256, 1040);
            System.gc();
            resize(256, 512, 2064);
            System.gc();
            r.stop();
            r.dump(dir.resolve("p1.jfr"));
        }
        String startedAt = Instant.ofEpochMilli(start).toString();
        long[] heat = new long[64];
        heat[17] = 900;
        heat[3] = 40;
        heat[5] = 35;
        String heatJson = java.util.Arrays.toString(heat);
        Files.writeString(dir.resolve("p1.json"), """
                {"sample":64,"windowMicros":1000,"startedAt":"%s","durationMillis":2000,"estimated":false,
                 "operations":63000,"samples":1047,"dropped":{"stacks":0,"maps":0,"resizes":0,"sameBucket":0},
                 "maps":[{"id":"java.util.HashMap@1b6d3586","class":"java.util.HashMap","site":"Cache.java:42",
                   "label":"HashMap @ Cache.java:42","capacity":64,"size":40,"ops":{"put":62000,"get":300},
                   "writerThreads":3,"multiThreadWrites":41,"sameBucketWrites":7,"resizes":0,"resizeNanos":0,
                   "buckets":[{"bucket":17,"ops":57600,"writes":57600,"sameBucketWrites":7}],"heat":%s},
                  {"id":"java.util.HashMap@5ca881b5","class":"java.util.HashMap","site":"Loader.java:9",
                   "label":"HashMap @ Loader.java:9","capacity":512,"size":300,"ops":{"put":700},
                   "writerThreads":1,"multiThreadWrites":0,"sameBucketWrites":0,"resizes":3,"resizeNanos":9000,
                   "buckets":[{"bucket":17,"ops":3840,"writes":3840,"sameBucketWrites":0}],"heat":[1,2,3]}],
                 "resizes":[],
                 "sameBucket":[{"map":"java.util.HashMap@1b6d3586","label":"HashMap @ Cache.java:42","bucket":17,
                   "gapNanos":8200,
                   "first":{"thread":"worker-1","stack":["com.example.Cache.put(Cache.java:50)","com.example.Worker.run(Worker.java:12)"]},
                   "second":{"thread":"worker-2","stack":["com.example.Cache.put(Cache.java:50)"]}}]}
                """.formatted(startedAt, heatJson), StandardCharsets.UTF_8);
    }

    private static void resize(int from, int to, long bytes) {
        Resize e = new Resize();
        e.begin();
        e.mapId = "java.util.HashMap@5ca881b5";
        e.mapClass = "java.util.HashMap";
        e.label = "HashMap @ Loader.java:9";
        e.oldCapacity = from;
        e.newCapacity = to;
        e.bytes = bytes;
        e.commit();
    }

    private String render(List<String> include, List<String> exclude) throws Exception {
        return ProfileFiles.renderMap(
                dir.resolve("p1"), out, "map profile of pid 1", new ProfileFiles.Options(include, exclude, 5, false));
    }

    @Test
    void theHotBucketIsTheWidestTowerInEveryFormat() throws Exception {
        String summary = render(List.of(), List.of());

        Collapsed c = Collapsed.read(out.resolve(ProfileFiles.COLLAPSED));
        assertThat(c.byLastTwo().get(0).getKey()).containsExactly(HOT_MAP, "[bucket 17]");
        assertThat(Profiles.flameFrames(out.resolve(ProfileFiles.FLAME)))
                .contains(HOT_MAP, "[bucket 17]", "[resize 64->128]", "com/example/Cache.put");

        String top = Profiles.pprofTop(out.resolve(ProfileFiles.PPROF));
        assertThat(Profiles.pprofFirst(top)).isEqualTo("[bucket 17]");
        assertThat(top).contains("Type: operations", HOT_MAP);

        assertThat(summary)
                .contains(
                        "widest towers (map and bucket):",
                        HOT_MAP + " ; [bucket 17]",
                        "HashMap @ Cache.java:42",
                        "bucket 17",
                        "worker-1: com.example.Cache.put(Cache.java:50)",
                        "bucket heat map: 64 buckets, hottest bucket 17 with 900 ops");
        assertThat(summary.lines().filter(l -> l.contains("%")).findFirst().orElseThrow())
                .contains(HOT_MAP + " ; [bucket 17]");
        assertThat(Files.readString(out.resolve(ProfileFiles.SUMMARY))).isEqualTo(summary); // few GC lines here
        assertThat(Files.readString(out.resolve(ProfileFiles.REPORT)))
                .contains("[bucket 17]", "<svg class=\"timeline\"", "class=\"heatmap\"");
    }

    @Test
    void gcLinesCarryTheResizesSinceThePreviousCollection() throws Exception {
        String summary = render(List.of(), List.of());
        List<String> gcLines =
                summary.lines().filter(l -> l.startsWith("  gc ")).toList();
        assertThat(gcLines).hasSizeGreaterThanOrEqualTo(2);
        assertThat(gcLines.get(0))
                .matches("  gc \\d+ @\\d+\\.\\d{3}s .+ \\(System.gc\\(\\)\\) pause .*")
                .contains("since the start: 2 resizes, 1.5 KB (HashMap @ Loader.java:9 2)");
        assertThat(gcLines).anySatisfy(l -> assertThat(l).contains(": 1 resize, 2.0 KB (HashMap @ Loader.java:9 1)"));
    }

    @Test
    void includeAndExcludeFollowAsyncProfilersRule() throws Exception {
        render(List.of("com/example/Loader*"), List.of());
        assertThat(Collapsed.read(out.resolve(ProfileFiles.COLLAPSED)).stacks())
                .allSatisfy(s -> assertThat(s.frames()).contains("com/example/Loader.load"));
        render(List.of(), List.of("*resize*"));
        Collapsed dropped = Collapsed.read(out.resolve(ProfileFiles.COLLAPSED));
        assertThat(dropped.stacks())
                .hasSize(4)
                .noneSatisfy(s -> assertThat(s.leaf()).startsWith("[resize"));
        assertThat(Collapsed.globs(List.of("java/util/HashMap.*"))
                        .matcher("java/util/HashMap.putVal")
                        .matches())
                .isTrue();
        assertThat(Collapsed.globs(List.of("a.b")).matcher("axb").matches())
                .as("dots are literal")
                .isFalse();
    }
}
