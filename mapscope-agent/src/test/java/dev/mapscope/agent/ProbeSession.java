package dev.mapscope.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A ProbeTarget JVM with the agent attached through a session directory, driven as the CLI drives it. */
final class ProbeSession implements AutoCloseable {
    final Jvm jvm;
    final Path session;
    private int commands;
    private int ids;

    private ProbeSession(Jvm jvm, Path session) {
        this.jvm = jvm;
        this.session = session;
    }

    static ProbeSession start(Path dir) throws Exception {
        Path session = dir.resolve("session");
        Jvm jvm = Jvm.start(dir, List.of(), List.of(), ProbeTarget.class.getName());
        ProbeSession s = new ProbeSession(jvm, session);
        s.await(() -> jvm.output().contains("ready"));
        // mode=overlap: in mode=full the attach rewrites ProbeTarget (its synchronized block) while main runs,
        // and HotSpot prints a running method's frames without file and line once its class is redefined.
        Attach.load(
                Long.toString(jvm.process.pid()),
                Jvm.agentJar().toString(),
                "session=" + session + ",stderr=false,mode=overlap");
        return s;
    }

    /** Runs a ProbeTarget command and returns its "ok" line. */
    String run(String command) throws Exception {
        OutputStream in = jvm.process.getOutputStream();
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        commands++;
        String word = command.split(" ")[0];
        await(() -> count(jvm.output(), "ok ") >= commands);
        String[] lines = jvm.output().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith("ok " + word)) {
                return lines[i];
            }
        }
        throw new AssertionError("no ok line for " + command + ":\n" + jvm.output());
    }

    /** Sends {@code verb id args} (each value percent-encoded) and waits until the agent took it. */
    String request(String verb, String... keyValues) throws Exception {
        String id = verb + "-" + (++ids);
        send(verb, id, keyValues);
        return id;
    }

    void send(String verb, String id, String... keyValues) throws Exception {
        StringBuilder line = new StringBuilder(verb).append(' ').append(id);
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            line.append(' ')
                    .append(kv, 0, eq + 1)
                    .append(URLEncoder.encode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        control(line.toString());
    }

    /** Writes one line to the control file (atomically) and waits until the agent has acted on it. */
    void control(String line) throws Exception {
        Path tmp = session.resolve("control.tmp");
        Files.writeString(tmp, line + "\n");
        Files.move(tmp, session.resolve("control"), StandardCopyOption.ATOMIC_MOVE);
        await(() -> !Files.exists(session.resolve("control")));
    }

    /** Waits for ID.NAME (or ID.error, which fails the wait with its sentence unless NAME is error). */
    String file(String id, String name) throws Exception {
        Path f = session.resolve(id + "." + name);
        Path error = session.resolve(id + ".error");
        await(() -> Files.exists(f) || Files.exists(error));
        if (!Files.exists(f)) {
            throw new AssertionError(id + " failed: " + Files.readString(error));
        }
        return Files.readString(f);
    }

    List<String> hits(String id) throws IOException {
        Path f = session.resolve(id + ".hits.jsonl");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !jvm.process.isAlive()) {
                throw new AssertionError("condition not met within 60 s; child output:\n" + jvm.output());
            }
            Thread.sleep(20);
        }
    }

    boolean statusContains(String text) {
        try {
            return Files.readString(session.resolve("status.json")).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }

    @Override
    public void close() throws Exception {
        jvm.close();
    }
}
