package dev.mapscope.agent;

import dev.mapscope.agent.boot.race.MapWatch;
import dev.mapscope.agent.protocol.Requests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An attach session: the directory the CLI created (mode 0700), a status file, and a control file polled
 * every 10 ms by a daemon thread named {@code mapscope-control}. No socket is ever opened.
 */
final class ControlLoop {
    /**
     * A detach or a request waits for the next poll: at 100 ms that alone was twice the 50 ms detach target (SoakIT,
     * docs/PERFORMANCE.md), at 20 ms a fifth of it. A poll is one stat of a missing file, a few microseconds, 100
     * times a second.
     */
    static final long POLL_MILLIS = 10;

    private final Path dir;
    private volatile boolean running;
    private Thread thread;

    ControlLoop(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    void start() {
        Agent.writeStatus(dir, "attached");
        running = true;
        thread = new Thread(this::poll, "mapscope-control");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        if (thread != Thread.currentThread()) {
            thread.interrupt();
        }
    }

    private void poll() {
        MapWatch.ignoreCurrentThread();
        Path control = dir.resolve("control");
        while (running) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (!Files.exists(control)) {
                continue;
            }
            String command;
            try {
                command = new String(Files.readAllBytes(control), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                continue; // being renamed into place; the next poll sees it
            }
            if (command.equals("detach")) {
                Agent.detach(); // writes status.json with "state":"detached" and stops this loop
            } else if (!Requests.run(dir, command)) {
                // "status", and anything unknown: the status file is the answer either way
                Agent.writeStatus(dir, "attached");
            }
            try {
                Files.deleteIfExists(control);
            } catch (IOException e) {
                // the CLI times out on its own
            }
        }
    }
}
