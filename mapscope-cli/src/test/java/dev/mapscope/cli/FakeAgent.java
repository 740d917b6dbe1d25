package dev.mapscope.cli;

import dev.mapscope.cli.jvm.Session;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays the agent's side of the request protocol (docs/AGENT-PROTOCOL.md, "Requests") from the test JVM: a
 * session directory for a live JVM's pid whose status says "attached", so that the CLI reuses it, and a thread
 * that takes each control line and answers it through {@link Handler}. It checks the CLI against the file
 * contract alone, independently of the real agent (whose own tests are the end-to-end ones).
 */
final class FakeAgent implements AutoCloseable {

    /** A request as the agent decodes it. */
    record Request(String verb, String id, Map<String, String> args) {}

    interface Handler {
        void handle(Request r, FakeAgent agent) throws Exception;
    }

    final Session session;
    final List<Request> received = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    private FakeAgent(long pid, Handler handler) throws IOException {
        session = new Session(pid);
        session.createPrivate();
        session.clearPrevious();
        write(
                "status.json",
                "{\"pid\":" + pid + ",\"state\":\"attached\",\"mode\":\"full\",\"build\":\""
                        + dev.mapscope.cli.jvm.AgentJar.build(dev.mapscope.cli.jvm.AgentJar.locate()) // as the real one
                        + "\",\"since\":\"" + Instant.now()
                        + "\",\"findings\":0,\"dropped\":0,\"instrumented\":[\"java.util.HashMap\"]}");
        thread = new Thread(() -> loop(handler), "fake-agent");
        thread.setDaemon(true);
        thread.start();
    }

    static FakeAgent start(long pid, Handler handler) throws IOException {
        return new FakeAgent(pid, handler);
    }

    private void loop(Handler handler) {
        Path control = session.dir().resolve("control");
        while (!stopped) {
            try {
                if (Files.exists(control)) {
                    String line =
                            Files.readString(control, StandardCharsets.UTF_8).strip();
                    Files.delete(control);
                    Request r = parse(line);
                    received.add(r);
                    handler.handle(r, this);
                }
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Request parse(String line) {
        String[] parts = line.split(" ");
        Map<String, String> args = new LinkedHashMap<>();
        for (int i = 2; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            args.put(parts[i].substring(0, eq), URLDecoder.decode(parts[i].substring(eq + 1), StandardCharsets.UTF_8));
        }
        return new Request(parts[0], parts.length > 1 ? parts[1] : "", args);
    }

    /** Writes {@code dir/name} by a rename, as the agent does. */
    void write(String name, String text) throws IOException {
        Path tmp = session.dir().resolve(name + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(
                tmp, session.dir().resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Appends whole lines to {@code dir/name}. */
    void append(String name, String lines) throws IOException {
        Files.writeString(
                session.dir().resolve(name),
                lines,
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    @Override
    public void close() throws Exception {
        stopped = true;
        thread.interrupt();
        thread.join(5_000);
        try (var files = Files.list(session.dir())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }
}
