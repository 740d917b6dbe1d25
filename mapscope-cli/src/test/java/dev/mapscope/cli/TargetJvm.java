package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.cli.jvm.Jvm;
import dev.mapscope.cli.jvm.Session;
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
 * A demo program in its own JVM, started by a test and killed when closed, with the attach session directory a
 * test may have made for its pid. The demo targets print "pid N", then "ready" once they are worth attaching to.
 */
class TargetJvm implements AutoCloseable {
    final Process process;

    TargetJvm(Process process) {
        this.process = process;
    }

    /** Starts {@code java JVMARGS -cp <demo> MAINCLASS ARGS} and waits for its "pid" and "ready" lines. */
    static Process launch(List<String> jvmArgs, String mainClass, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Jvm.java());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", Jvm.demoClassPath(), mainClass));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        try {
            assertThat(readLine(stdout)).isEqualTo("pid " + p.pid());
            assertThat(readLine(stdout)).isEqualTo("ready");
        } catch (Throwable e) {
            p.destroyForcibly();
            throw e;
        }
        return p;
    }

    private static String readLine(BufferedReader r) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
                    try {
                        return r.readLine();
                    } catch (IOException e) {
                        return null;
                    }
                })
                .get(30, TimeUnit.SECONDS);
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
