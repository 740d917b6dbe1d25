package dev.mapscope.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started with the agent jar ({@code -javaagent:}, the path the pom passes as
 * {@code -Dmapscope.agent.jar}) on this test's class path, its stdout and stderr in one file, its findings in
 * another. The agent is reached only through its jar, its options and its report file.
 */
final class ChildJvm implements AutoCloseable {
    static final String AGENT_JAR_PROPERTY = "mapscope.agent.jar";

    final Process process;
    final Path output;
    final Path report;
    private final long startNanos = System.nanoTime();

    private ChildJvm(Process process, Path output, Path report) {
        this.process = process;
        this.output = output;
        this.report = report;
    }

    /** Where the child named {@code name} has the agent write its findings. */
    static Path reportOf(Path dir, String name) {
        return dir.resolve(name + ".jsonl");
    }

    /** Starts {@code mainClass args} under the agent with {@code mode=MODE,report=}{@link #reportOf}{@code ,stderr=false}. */
    static ChildJvm start(Path dir, String name, String mode, String mainClass, List<String> args) throws IOException {
        Path report = reportOf(dir, name);
        Path output = dir.resolve(name + ".out");
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-javaagent:" + agentJar() + "=mode=" + mode + ",report=" + report + ",stderr=false");
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new ChildJvm(p, output, report);
    }

    static Path agentJar() {
        String path = System.getProperty(AGENT_JAR_PROPERTY);
        if (path == null) {
            throw new IllegalStateException("-D" + AGENT_JAR_PROPERTY + " is not set (the pom sets it)");
        }
        Path jar = Paths.get(path);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "no agent jar at " + jar + ": build mapscope-agent first (mvn -pl mapscope-corpus -am verify)");
        }
        return jar;
    }

    /** Waits for the JVM to end, killing it after {@code minutes} (a bound against hangs, not a verdict). */
    int waitFor(int minutes) throws InterruptedException {
        if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            process.waitFor();
            throw new AssertionError("the child JVM did not end within " + minutes + " min; output:\n" + output());
        }
        return process.exitValue();
    }

    /** Seconds since the start, for the printed summary only. */
    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
