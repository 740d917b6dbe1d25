package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A session's attributes (an insertion-ordered {@code LinkedHashMap}) written in bulk by a request thread
 * while a logging thread prints them in a log line: string concatenation calls {@code toString}, which
 * iterates the map. The log line is built while the writer is provably inside its {@code putAll}.
 */
@Race(
        kinds = {Race.CONCURRENT_ITERATION, Race.UNSYNCHRONIZED_ITERATION},
        overlapping = true,
        method = "update",
        reader = "log")
public final class ToStringInLogLine implements Program {
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private int round;
    private int logged;

    @Override
    public void run() throws InterruptedException {
        int r = round++;
        HeldPutAll<String, String> batch = new HeldPutAll<>();
        for (int i = 0; i < 8; i++) {
            batch.with("attr" + i, "value" + r);
        }
        Thread request = new Thread(() -> update(batch), "session-request");
        Thread logger = new Thread(() -> logWhenInside(batch), "session-logger");
        request.start();
        logger.start();
        request.join();
        logger.join();
    }

    private void update(Map<String, String> batch) {
        attributes.putAll(batch);
    }

    private void logWhenInside(HeldPutAll<String, String> batch) {
        try {
            batch.awaitInside();
            log();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            batch.looked();
        }
    }

    private void log() {
        String line = "session attributes: " + attributes;
        logged += line.length();
    }
}
