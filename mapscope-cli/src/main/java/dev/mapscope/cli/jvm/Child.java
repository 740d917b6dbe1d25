package dev.mapscope.cli.jvm;

import dev.mapscope.cli.console.DurationConverter;
import dev.mapscope.cli.console.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A program started by demo or repro with its output captured, and the flags that make a short JVM start fast. */
public final class Child {
    private Child() {}

    /**
     * Flags for the short-lived JVMs of demo and repro: C1 only and the default CDS archive start faster, a
     * small heap keeps two of them cheap on a small machine. Measured on 2 cores: the seed program takes about
     * 0.2 s with them, without the agent.
     */
    public static final List<String> FAST_START =
            List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xmx64m", "-XX:+UseSerialGC");

    /** What a finished child printed. */
    public record Output(int exitCode, String stdout, String stderr) {
        /** The last non-empty line of stdout, or "". */
        public String lastLine() {
            String[] lines = stdout.strip().split("\n");
            return lines[lines.length - 1].strip();
        }

        /** The first non-empty line of stderr, for a one-line error. */
        public String firstErrorLine() {
            for (String l : stderr.split("\n")) {
                if (!l.isBlank()) {
                    return l.strip();
                }
            }
            return "(nothing on stderr)";
        }
    }

    /** A java command line: this JDK's java, the fast-start flags, {@code jvmArgs}, then the class and its arguments. */
    public static List<String> java(List<String> jvmArgs, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Jvm.java());
        cmd.addAll(FAST_START);
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(Jvm.demoClassPath());
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Runs {@code cmd} to completion (killed after {@code timeout}), stderr kept in a temporary file. */
    public static Output run(List<String> cmd, Duration timeout) throws IOException, InterruptedException {
        Path errFile = Files.createTempFile("mapscope-child-", ".err");
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectError(errFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                // The programs print a few lines; reading to the end returns when the process closes stdout.
                Thread killer = new Thread(
                        () -> {
                            try {
                                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                                    p.destroyForcibly();
                                }
                            } catch (InterruptedException e) {
                                p.destroyForcibly();
                            }
                        },
                        "mapscope-child-timeout");
                killer.setDaemon(true);
                killer.start();
                out = in.readAllBytes();
            }
            boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                p.destroyForcibly();
                throw new UserError("'" + String.join(" ", cmd.subList(cmd.size() - 3, cmd.size()))
                        + "' did not end within " + DurationConverter.format(timeout) + "; it was killed");
            }
            return new Output(
                    p.exitValue(),
                    new String(out, StandardCharsets.UTF_8),
                    Files.readString(errFile, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(errFile);
        }
    }
}
