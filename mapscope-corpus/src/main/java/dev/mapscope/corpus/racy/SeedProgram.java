package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.HashMap;
import java.util.Map;

/**
 * The seed program: ten threads, started one after another, each registering one key in one shared
 * {@code HashMap} with no synchronisation at all. Started threads are ordered after the starter, not after
 * each other.
 */
@Race(
        kinds = {Race.CONCURRENT_WRITE, Race.UNSYNCHRONIZED_WRITE},
        overlapping = true,
        method = "register")
public final class SeedProgram implements Program {
    private final Map<String, Integer> registry = new HashMap<>();
    private int round;

    @Override
    public void run() throws InterruptedException {
        int r = round++;
        Thread[] threads = new Thread[10];
        for (int i = 0; i < threads.length; i++) {
            int id = i;
            threads[i] = new Thread(() -> register("r" + r + "-k" + id, id), "seed-" + i);
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void register(String key, int value) {
        registry.put(key, value);
    }
}
