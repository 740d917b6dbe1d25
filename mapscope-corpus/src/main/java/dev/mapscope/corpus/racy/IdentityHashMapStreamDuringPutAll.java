package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A registry of visited objects (an {@code IdentityHashMap}) streamed by a reporting thread while another
 * thread records a batch: a stream over a view is an iteration of the map. The stream runs while the writer
 * is provably inside its {@code putAll}.
 */
@Race(
        kinds = {Race.CONCURRENT_ITERATION, Race.UNSYNCHRONIZED_ITERATION},
        overlapping = true,
        method = "record",
        reader = "countLive")
public final class IdentityHashMapStreamDuringPutAll implements Program {
    private final Map<Object, Boolean> visited = new IdentityHashMap<>();
    private int round;

    @Override
    public void run() throws InterruptedException {
        int r = round++;
        HeldPutAll<Object, Boolean> batch = new HeldPutAll<>();
        for (int i = 0; i < 16; i++) {
            batch.with(new StringBuilder("node-" + r + "-" + i), i % 2 == 0);
        }
        Thread writer = new Thread(() -> record(batch), "visited-record");
        Thread reporter = new Thread(() -> reportWhenInside(batch), "visited-report");
        writer.start();
        reporter.start();
        writer.join();
        reporter.join();
    }

    private void record(Map<Object, Boolean> batch) {
        visited.putAll(batch);
    }

    private void reportWhenInside(HeldPutAll<Object, Boolean> batch) {
        try {
            batch.awaitInside();
            countLive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            batch.looked();
        }
    }

    private long countLive() {
        return visited.values().stream().filter(Boolean::booleanValue).count();
    }
}
