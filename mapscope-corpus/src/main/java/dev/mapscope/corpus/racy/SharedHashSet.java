package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.HashSet;
import java.util.Set;

/**
 * A {@code HashSet} of seen ids shared by two threads without synchronisation: a {@code HashSet} is a
 * {@code HashMap} inside, and races like one.
 */
@Race(
        kinds = {Race.CONCURRENT_WRITE, Race.UNSYNCHRONIZED_WRITE},
        overlapping = true,
        method = "remember")
public final class SharedHashSet implements Program {
    private final Set<String> seen = new HashSet<>();

    @Override
    public void run() throws InterruptedException {
        Thread a = new Thread(() -> work(0), "set-a");
        Thread b = new Thread(() -> work(1), "set-b");
        a.start();
        b.start();
        a.join();
        b.join();
    }

    private void work(int writer) {
        for (int i = 0; i < 5_000; i++) {
            remember(writer, i);
        }
    }

    private void remember(int writer, int i) {
        seen.add("id" + (i * 2 + writer) % 3_000);
        if (i % 1_000 == 999) {
            seen.remove("id" + writer);
        }
    }
}
