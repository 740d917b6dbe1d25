package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.HashMap;
import java.util.Map;

/**
 * A search index (a plain {@code HashMap}) that a loader thread fills with {@code putAll} batches while a
 * request thread looks terms up in it. The batch is large enough that the index grows (resizes) inside the
 * {@code putAll}; a {@code get} then can look in the new, half-filled table and miss a term that is there.
 * The request thread looks while the loader is provably inside its {@code putAll} (the batch holds the loader
 * there until the lookup is done), so the overlap is certain, not a matter of timing.
 */
@Race(
        kinds = {Race.CONCURRENT_READ, Race.UNSYNCHRONIZED_READ},
        overlapping = true,
        method = "load",
        reader = "find")
public final class GetDuringBulkLoad implements Program {
    private final Map<String, Integer> index = new HashMap<>();
    private int round;

    @Override
    public void run() throws InterruptedException {
        int r = round++;
        HeldPutAll<String, Integer> batch = new HeldPutAll<>();
        for (int i = 0; i < 200; i++) {
            batch.with("r" + r + "-term" + i, i);
        }
        Thread loader = new Thread(() -> load(batch), "index-loader");
        Thread request = new Thread(() -> serve(batch, r), "index-request");
        loader.start();
        request.start();
        loader.join();
        request.join();
    }

    private void load(Map<String, Integer> batch) {
        index.putAll(batch);
    }

    private void serve(HeldPutAll<String, Integer> batch, int r) {
        try {
            batch.awaitInside();
            find("r" + r + "-term1");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            batch.looked();
        }
    }

    private Integer find(String term) {
        return index.get(term);
    }
}
