package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An insertion-ordered {@code LinkedHashMap} of headers written by two threads without synchronisation:
 * besides the table, the entry list can be torn.
 */
@Race(
        kinds = {Race.CONCURRENT_WRITE, Race.UNSYNCHRONIZED_WRITE},
        overlapping = true,
        method = "header")
public final class SharedLinkedHashMap implements Program {
    private final Map<String, Integer> headers = new LinkedHashMap<>();

    @Override
    public void run() throws InterruptedException {
        Thread a = new Thread(() -> work(0), "linked-a");
        Thread b = new Thread(() -> work(1), "linked-b");
        a.start();
        b.start();
        a.join();
        b.join();
    }

    private void work(int writer) {
        for (int i = 0; i < 5_000; i++) {
            header(writer, i);
        }
    }

    private void header(int writer, int i) {
        headers.put("X-Header-" + (i * 2 + writer) % 3_000, i);
        if (i % 1_000 == 999) {
            headers.remove("X-Header-" + writer);
        }
    }
}
