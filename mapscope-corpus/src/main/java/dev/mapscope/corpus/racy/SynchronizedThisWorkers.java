package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.HashMap;
import java.util.Map;

/**
 * Two {@code Runnable}s that each guard their writes with {@code synchronized (this)}: {@code this} is a
 * different object in each, so the shared map they both write is not protected at all.
 */
@Race(
        kinds = {Race.CONCURRENT_WRITE, Race.UNSYNCHRONIZED_WRITE},
        overlapping = true,
        method = "count")
public final class SynchronizedThisWorkers implements Program {
    private final Map<String, Integer> inventory = new HashMap<>();

    /** Counts items into the shared inventory, "safely". */
    final class Worker implements Runnable {
        private final String name;

        Worker(String name) {
            this.name = name;
        }

        @Override
        public void run() {
            for (int i = 0; i < 5_000; i++) {
                synchronized (this) {
                    count(name + (i % 500));
                }
            }
        }

        private void count(String item) {
            inventory.merge(item, 1, Integer::sum); // one racing line: a second (a clear) would be a second finding
        }
    }

    @Override
    public void run() throws InterruptedException {
        Thread a = new Thread(new Worker("left"), "syncthis-a");
        Thread b = new Thread(new Worker("right"), "syncthis-b");
        a.start();
        b.start();
        a.join();
        b.join();
    }
}
