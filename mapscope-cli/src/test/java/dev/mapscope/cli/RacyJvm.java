package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The demo module's long-running racy target in its own JVM, for attach tests; closing it kills it. */
final class RacyJvm implements AutoCloseable {
    final Process process;
    private final BufferedReader stdout;

    private RacyJvm(Process process) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the target with {@code jvmArgs} and waits until it printed "ready" (its first round ran). */
    static RacyJvm start(String... jvmArgs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Jvm.java());
        cmd.addAll(Child.FAST_START);
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", Jvm.demoClassPath(), "dev.mapscope.demo.RacyTarget", "--period-ms", "100",
                "--max-seconds", "120"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        RacyJvm jvm = new RacyJvm(p);
        String first = jvm.readLine();
        assertThat(first).isEqualTo("pid " + p.pid());
        assertThat(jvm.readLine()).isEqualTo("ready");
        return jvm;
    }

    private String readLine() throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
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
        // The attach session directory of this pid, if a test made one.
        java.nio.file.Path dir = new Session(pid()).dir();
        if (java.nio.file.Files.isDirectory(dir)) {
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                    java.nio.file.Files.deleteIfExists(f);
                }
            }
            java.nio.file.Files.deleteIfExists(dir);
        }
    }
}
