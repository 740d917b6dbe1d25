package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.cli.jvm.Jvm;
import dev.mapscope.cli.jvm.Session;
import dev.mapscope.cli.profile.Collapsed;
import dev.mapscope.cli.profile.ProfileFiles;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * `mapscope profile` against the demo's HotBucket in its own JVM: the hot bucket is the widest tower of the flame
 * graph and the first line of `go tool pprof -top`, the GC lines carry the resize storm, the report renders in
 * Chromium; async-profiler's cpu profile gives a flame graph; Ctrl-C (a SIGTERM here) still writes the files.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProfileCommandTest {
    static final String BUCKET = "[bucket 17]";
    static HotBucketJvm target;

    @TempDir
    Path dir;

    @BeforeAll
    static void startTarget() throws Exception {
        target = HotBucketJvm.start();
    }

    @AfterAll
    static void stopTarget() throws Exception {
        if (target != null) {
            target.close();
        }
    }

    @Test
    @Order(1)
    void theHotBucketIsTheWidestTowerAndPprofsFirstLine() throws Exception {
        Path out = dir.resolve("maps");
        // the default sampling, as the README runs it: the resizes (recorded every time) must not outgrow the
        // hot bucket (sampled 1 in 8192)
        Cli.Result r = Cli.run("profile", Long.toString(target.pid()), "--for", "4s", "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();

        Collapsed stacks = Collapsed.read(out.resolve(ProfileFiles.COLLAPSED));
        List<String> widest = stacks.byLastTwo().get(0).getKey();
        assertThat(widest.get(0)).as(r.toString()).startsWith("[HashMap @ HotBucket.java:");
        assertThat(widest.get(1)).isEqualTo(BUCKET);
        assertThat(Profiles.flameFrames(out.resolve(ProfileFiles.FLAME))).contains(widest.get(0), BUCKET);
        assertThat(Profiles.pprofFirst(Profiles.pprofTop(out.resolve(ProfileFiles.PPROF))))
                .isEqualTo(BUCKET);

        String summary = Files.readString(out.resolve(ProfileFiles.SUMMARY));
        assertThat(summary).startsWith(r.out().lines().limit(10).collect(java.util.stream.Collectors.joining("\n")));
        assertThat(summary)
                .contains(
                        "widest towers",
                        "top maps",
                        "top buckets",
                        "bucket heat map:",
                        "garbage collections and map resizes:");
        assertThat(summary.lines().filter(l -> l.startsWith("  gc ")).toList())
                .as(summary)
                .isNotEmpty()
                .anySatisfy(
                        l -> assertThat(l).containsPattern(": \\d+ resizes?, [0-9.]+ [KM]?B \\(HashMap @ HotBucket"));

        Chromium chromium = Chromium.require();
        Path png = Files.createDirectories(Path.of(System.getProperty("mapscope.test.output", "target"), "screenshots"))
                .resolve("profile-report.png");
        chromium.screenshot(out.resolve(ProfileFiles.REPORT), png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        String dom = chromium.dumpDom(out.resolve(ProfileFiles.REPORT));
        assertThat(dom).contains(BUCKET, widest.get(0), "class=\"heatmap\"", "class=\"timeline\"");
    }

    @Test
    @Order(2)
    void cpuModeMakesAFlameGraphAndFiltersByFrame() throws Exception {
        Path out = dir.resolve("cpu");
        Cli.Result r = Cli.run(
                "profile",
                Long.toString(target.pid()),
                "--event",
                "cpu",
                "--for",
                "2s",
                "--include",
                "*HotBucket.count*",
                "--out",
                out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> frames = Profiles.flameFrames(out.resolve(ProfileFiles.FLAME));
        assertThat(frames).anySatisfy(f -> assertThat(f).startsWith("dev/mapscope/demo/HotBucket.count"));
        Collapsed stacks = Collapsed.read(out.resolve(ProfileFiles.COLLAPSED));
        assertThat(stacks.stacks())
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.frames())
                        .anySatisfy(f -> assertThat(f).startsWith("dev/mapscope/demo/HotBucket.count")));
        assertThat(Profiles.pprofTop(out.resolve(ProfileFiles.PPROF))).contains("Type: cpu");
        assertThat(r.out()).startsWith("cpu profile of pid " + target.pid()).contains("top frames (self):");
    }

    @Test
    @Order(3)
    void ctrlCStopsTheProfileAndStillWritesTheFiles() throws Exception {
        Path out = dir.resolve("stopped");
        Path err = dir.resolve("err.txt");
        List<String> cmd = new ArrayList<>(List.of(
                Jvm.java(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.mapscope.cli.MapscopeCommand",
                "profile",
                Long.toString(target.pid()),
                "--for",
                "2m",
                "--out",
                out.toString()));
        Process cli = new ProcessBuilder(cmd)
                .redirectError(err.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(err).contains("profiling the maps") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(2000);
        cli.destroy(); // SIGTERM: the shutdown hook runs, as for Ctrl-C
        assertThat(cli.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(stderr).contains("stopping the profile and writing what it has", "wrote ");
        assertThat(Collapsed.read(out.resolve(ProfileFiles.COLLAPSED)).stacks()).isNotEmpty();
        assertThat(out.resolve(ProfileFiles.REPORT)).exists();
        assertThat(Files.readString(dir.resolve("out.txt"))).startsWith("map profile of pid " + target.pid());
        assertThat(new Session(target.pid()).readStatus().attached())
                .as("detached after the stop")
                .isFalse();
    }

    @Test
    @Order(4)
    void runWithProfileRendersTheSameFilesWhenTheProgramEnds() throws Exception {
        Path out = dir.resolve("run");
        // The program should end after 3 s; if it hangs (an agent deadlock at exit was seen once), fail within
        // two minutes and kill it rather than wait for ever.
        Cli.Result r;
        try {
            r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                    java.time.Duration.ofMinutes(2),
                    () -> Cli.run(
                            "run",
                            "--profile",
                            out.toString(),
                            "--profile-sample",
                            "16",
                            "--",
                            Jvm.java(),
                            "-Xmx48m",
                            "-XX:+UseSerialGC",
                            "-cp",
                            Jvm.demoClassPath(),
                            "dev.mapscope.demo.HotBucket",
                            "--threads",
                            "2",
                            "--seconds",
                            "3"),
                    "the profiled program did not end within 2 minutes");
        } finally {
            ProcessHandle.current()
                    .descendants()
                    .filter(p -> p.info().commandLine().orElse("").contains("profile=" + out.toAbsolutePath()))
                    .forEach(ProcessHandle::destroyForcibly);
        }
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("map profile of ", "widest towers", ProfileFiles.written(out.toAbsolutePath()));
        List<String> widest = Collapsed.read(out.resolve(ProfileFiles.COLLAPSED))
                .byLastTwo()
                .get(0)
                .getKey();
        assertThat(widest.get(0)).startsWith("[HashMap @ HotBucket.java:");
        assertThat(widest.get(1)).isEqualTo(BUCKET);
        for (String f : List.of(
                ProfileFiles.FLAME, ProfileFiles.PPROF, ProfileFiles.JFR, ProfileFiles.SUMMARY, ProfileFiles.REPORT)) {
            assertThat(out.resolve(f)).isNotEmptyFile();
        }
    }
}
