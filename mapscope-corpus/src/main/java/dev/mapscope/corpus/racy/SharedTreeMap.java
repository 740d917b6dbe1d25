package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@code TreeMap} timeline written by two threads without synchronisation: concurrent inserts can
 * leave the red-black tree unbalanced or lose entries.
 */
@Race(
        kinds = {Race.CONCURRENT_WRITE, Race.UNSYNCHRONIZED_WRITE},
        overlapping = true,
        method = "insert")
public final class SharedTreeMap implements Program {
    private final Map<Integer, Integer> timeline = new TreeMap<>();

    @Override
    public void run() throws InterruptedException {
        Thread a = new Thread(() -> work(0), "tree-a");
        Thread b = new Thread(() -> work(1), "tree-b");
        a.start();
        b.start();
        a.join();
        b.join();
    }

    private void work(int writer) {
        for (int i = 0; i < 5_000; i++) {
            insert(writer, i);
        }
    }

    private void insert(int writer, int i) {
        timeline.put((i * 2 + writer) % 4_000, i);
        if (i % 1_000 == 999) {
            timeline.remove(writer);
        }
    }
}
