package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A {@code WeakHashMap} of per-object metadata, the usual "attach data to objects we do not own" cache,
 * written by two threads without synchronisation.
 */
@Race(
        kinds = {Race.CONCURRENT_WRITE, Race.UNSYNCHRONIZED_WRITE},
        overlapping = true,
        method = "attach")
public final class SharedWeakHashMap implements Program {
    private final Map<Object, Integer> metadata = new WeakHashMap<>();
    private final Object[] owners = new Object[3_000];

    public SharedWeakHashMap() {
        for (int i = 0; i < owners.length; i++) {
            owners[i] = new Object();
        }
    }

    @Override
    public void run() throws InterruptedException {
        Thread a = new Thread(() -> work(0), "weak-a");
        Thread b = new Thread(() -> work(1), "weak-b");
        a.start();
        b.start();
        a.join();
        b.join();
    }

    private void work(int writer) {
        for (int i = 0; i < 5_000; i++) {
            attach(writer, i);
        }
    }

    private void attach(int writer, int i) {
        metadata.put(owners[(i * 2 + writer) % owners.length], i);
        if (i % 1_000 == 999) {
            metadata.remove(owners[writer]);
        }
    }
}
