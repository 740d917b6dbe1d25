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

/** dev.mapscope.demo.DelveTarget in its own JVM, for the probe and inspect tests; closing it kills it. */
final class DelveJvm implements AutoCloseable {
    final Process process;
    private final BufferedReader stdout;

    private DelveJvm(Process process) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the target and waits until it printed "ready" (every map is filled, the writers start). */
    static DelveJvm start() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Jvm.java());
        cmd.addAll(Child.FAST_START);
        cmd.addAll(List.of("-cp", Jvm.demoClassPath(), "dev.mapscope.demo.DelveTarget", "--max-seconds", "240"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        DelveJvm jvm = new DelveJvm(p);
        assertThat(jvm.readLine()).isEqualTo("pid " + p.pid());
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
