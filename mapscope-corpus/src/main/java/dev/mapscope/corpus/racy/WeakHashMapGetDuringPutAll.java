package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Metadata attached to objects through a {@code WeakHashMap}, read by one thread while another attaches a
 * batch: {@code WeakHashMap} is no more thread-safe than {@code HashMap}. The read runs while the writer is
 * provably inside its {@code putAll}.
 */
@Race(
        kinds = {Race.CONCURRENT_READ, Race.UNSYNCHRONIZED_READ},
        overlapping = true,
        method = "attach",
        reader = "metadataOf")
public final class WeakHashMapGetDuringPutAll implements Program {
    private final Map<Object, String> metadata = new WeakHashMap<>();
    private int round;

    @Override
    public void run() throws InterruptedException {
        int r = round++;
        Object[] owners = new Object[16];
        HeldPutAll<Object, String> batch = new HeldPutAll<>();
        for (int i = 0; i < owners.length; i++) {
            owners[i] = "owner-" + r + "-" + i;
            batch.with(owners[i], "meta" + i);
        }
        Thread writer = new Thread(() -> attach(batch), "weak-attach");
        Thread reader = new Thread(() -> readWhenInside(batch, owners[1]), "weak-read");
        writer.start();
        reader.start();
        writer.join();
        reader.join();
    }

    private void attach(Map<Object, String> batch) {
        metadata.putAll(batch);
    }

    private void readWhenInside(HeldPutAll<Object, String> batch, Object owner) {
        try {
            batch.awaitInside();
            metadataOf(owner);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            batch.looked();
        }
    }

    private String metadataOf(Object owner) {
        return metadata.get(owner);
    }
}
