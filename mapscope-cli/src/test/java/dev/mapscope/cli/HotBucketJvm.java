package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The demo's {@code HotBucket} (a shared map with one hot bucket and a resize storm) in its own JVM, for profile
 * tests; a small heap so that the storm makes the collector run. Closing it kills it.
 */
final class HotBucketJvm implements AutoCloseable {
    final Process process;

    private HotBucketJvm(Process process) {
        this.process = process;
    }

    static HotBucketJvm start() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Jvm.java(), "-Xmx48m", "-XX:+UseSerialGC",
                "-XX:+EnableDynamicAgentLoading", "-cp", Jvm.demoClassPath(), "dev.mapscope.demo.HotBucket",
                "--threads", "2", "--seconds", "180"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        HotBucketJvm jvm = new HotBucketJvm(p);
        assertThat(readLine(stdout)).isEqualTo("pid " + p.pid());
        assertThat(readLine(stdout)).isEqualTo("ready");
        return jvm;
    }

    private static String readLine(BufferedReader r) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return r.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Path dir = new Session(pid()).dir();
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }
}
