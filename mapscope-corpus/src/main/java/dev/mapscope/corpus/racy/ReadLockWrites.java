package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Writes made under a {@code ReentrantReadWriteLock}'s read lock: a shared lock admits many holders at once,
 * so it excludes nothing between them. (The author meant {@code writeLock()}.)
 */
@Race(
        kinds = {Race.CONCURRENT_WRITE, Race.UNSYNCHRONIZED_WRITE},
        overlapping = true,
        method = "record")
public final class ReadLockWrites implements Program {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Integer, Integer> stats = new HashMap<>();

    @Override
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            threads.add(new Thread(() -> work(id), "readlock-" + w));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void work(int worker) {
        for (int i = 0; i < 3_000; i++) {
            lock.readLock().lock();
            try {
                record(worker * 3_000 + i);
            } finally {
                lock.readLock().unlock();
            }
        }
    }

    private void record(int sample) {
        stats.put(sample % 2_000, sample);
    }
}
