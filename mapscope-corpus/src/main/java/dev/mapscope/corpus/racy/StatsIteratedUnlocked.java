package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counters (a {@code LinkedHashMap}) updated by a worker under a lock, and iterated by a reporting thread
 * without it: the reporter's loop can throw {@code ConcurrentModificationException} or print a torn view.
 * Only the happens-before model sees it when no iteration overlaps a write in time; the counters live across
 * rounds.
 */
@Race(
        kinds = {Race.CONCURRENT_ITERATION, Race.UNSYNCHRONIZED_ITERATION},
        overlapping = false,
        method = "count",
        reader = "report")
public final class StatsIteratedUnlocked implements Program {
    private final Map<String, Long> counters = new LinkedHashMap<>();
    private final Object lock = new Object();
    private long printed;

    @Override
    public void run() throws InterruptedException {
        Thread worker = new Thread(this::work, "stats-worker");
        Thread reporter = new Thread(this::reportMany, "stats-reporter");
        worker.start();
        reporter.start();
        worker.join();
        reporter.join();
    }

    private void work() {
        for (int i = 0; i < 2_000; i++) {
            synchronized (lock) {
                count("event" + i % 20);
            }
        }
    }

    private void count(String event) {
        counters.merge(event, 1L, Long::sum);
    }

    private void reportMany() {
        for (int i = 0; i < 200; i++) {
            try {
                printed += report();
            } catch (java.util.ConcurrentModificationException e) {
                printed++; // what this race does to the reporter
            }
        }
    }

    private long report() {
        long total = 0;
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            total += e.getValue();
        }
        return total;
    }
}
