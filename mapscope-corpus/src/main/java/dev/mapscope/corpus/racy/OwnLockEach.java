package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.HashMap;
import java.util.Map;

/**
 * Two threads write one map, each inside {@code synchronized} on a lock object of its own: each "is
 * synchronised", and nothing orders the two. A common mistake when a lock is created per caller (per
 * request, per instance) instead of per map.
 */
@Race(
        kinds = {Race.CONCURRENT_WRITE, Race.UNSYNCHRONIZED_WRITE},
        overlapping = true,
        method = "record")
public final class OwnLockEach implements Program {
    private final Map<Integer, Integer> shared = new HashMap<>();

    @Override
    public void run() throws InterruptedException {
        Thread a = new Thread(() -> writeUnder(new Object(), 0), "ownlock-a");
        Thread b = new Thread(() -> writeUnder(new Object(), 1), "ownlock-b");
        a.start();
        b.start();
        a.join();
        b.join();
    }

    private void writeUnder(Object myLock, int writer) {
        for (int i = 0; i < 5_000; i++) {
            synchronized (myLock) {
                record(writer, i);
            }
        }
    }

    private void record(int writer, int i) {
        shared.put(i % 2_000 * 2 + writer, i); // one racing line, at most 4,000 keys
    }
}
