package dev.mapscope.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a child JVM (the current java) on the test class path, and stops it. */
final class Jvm implements AutoCloseable {
    final Process process;
    final Path out;

    private Jvm(Process process, Path out) {
        this.process = process;
        this.out = out;
    }

    static Path agentJar() {
        String p = System.getProperty(Mapscope.JAR_PROPERTY);
        if (p == null) {
            throw new IllegalStateException("-D" + Mapscope.JAR_PROPERTY + " is not set (the pom sets it)");
        }
        return Paths.get(p);
    }

    static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code mainClass args} with {@code jvmArgs}; stdout and stderr go to one file in {@code dir}. */
    static Jvm start(Path dir, List<String> prefix, List<String> jvmArgs, String mainClass, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(java());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "jvm-", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        return new Jvm(pb.start(), out);
    }

    /** Waits for the exit (killing the JVM after {@code seconds}) and returns the exit status. */
    int waitFor(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new AssertionError("the child JVM did not end within " + seconds + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    String output() {
        try {
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static List<String> findings(Path jsonl) throws IOException {
        List<String> r = new ArrayList<>();
        if (Files.exists(jsonl)) {
            for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                if (line.startsWith("{\"type\":\"finding\"")) {
                    r.add(line);
                }
            }
        }
        return r;
    }

    /** The name of a finding's detecting thread (threads[0].name). */
    static String thread0(String findingLine) {
        int i = findingLine.indexOf("\"threads\":[{\"name\":\"");
        int from = i + "\"threads\":[{\"name\":\"".length();
        return findingLine.substring(from, findingLine.indexOf('"', from));
    }

    /** The name of a finding's other thread (threads[1].name). */
    static String thread1(String findingLine) {
        int i = findingLine.indexOf("},{\"name\":\"");
        int from = i + "},{\"name\":\"".length();
        return findingLine.substring(from, findingLine.indexOf('"', from));
    }
}
