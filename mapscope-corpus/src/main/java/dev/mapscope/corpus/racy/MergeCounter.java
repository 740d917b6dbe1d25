package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A word counter with {@code HashMap.merge} shared by four threads: {@code merge} reads, computes and writes
 * in one call, which makes it look atomic; on a plain {@code HashMap} it is not, and counts are lost.
 */
@Race(
        kinds = {Race.CONCURRENT_WRITE, Race.UNSYNCHRONIZED_WRITE},
        overlapping = true,
        method = "count")
public final class MergeCounter implements Program {
    private static final String[] WORDS = {"the", "map", "is", "not", "thread", "safe", "and", "that", "hurts"};

    private final Map<String, Integer> counts = new HashMap<>();

    @Override
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            threads.add(new Thread(() -> countWords(id), "merge-" + w));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void countWords(int worker) {
        for (int i = 0; i < 5_000; i++) {
            count(WORDS[(i + worker) % WORDS.length] + (i % 50));
        }
    }

    private void count(String word) {
        counts.merge(word, 1, Integer::sum);
    }
}
