package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An LRU cache as a {@code LinkedHashMap} in access order, filled before the threads start and then "only
 * read" by two threads: in access order {@code get} moves the entry to the end of the list, a structural
 * write, so two readers race and can corrupt the list. One thread's lookup of the table also races the
 * other's move: a read/write finding of the same line, as well as the write/write one.
 */
@Race(
        kinds = {Race.CONCURRENT_WRITE, Race.UNSYNCHRONIZED_WRITE, Race.CONCURRENT_READ, Race.UNSYNCHRONIZED_READ},
        overlapping = true,
        method = "lookup")
public final class AccessOrderGet implements Program {
    private final Map<Integer, String> lru = new LinkedHashMap<>(256, 0.75f, true);

    public AccessOrderGet() {
        for (int i = 0; i < 100; i++) {
            lru.put(i, "value" + i);
        }
    }

    @Override
    public void run() throws InterruptedException {
        Thread a = new Thread(() -> lookups(0), "lru-a");
        Thread b = new Thread(() -> lookups(1), "lru-b");
        a.start();
        b.start();
        a.join();
        b.join();
    }

    private void lookups(int reader) {
        for (int i = 0; i < 5_000; i++) {
            lookup((i * 7 + reader) % 100);
        }
    }

    private String lookup(int key) {
        return lru.get(key);
    }
}
