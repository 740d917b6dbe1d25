package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A price list read under a {@code ReentrantReadWriteLock}'s read lock and updated under its write lock by
 * four threads: the write lock excludes every other holder, so the updates are ordered.
 */
public final class WriteLockWrites implements Program {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Integer> prices = new HashMap<>();

    @Override
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            threads.add(new Thread(() -> trade(id), "pricelist-" + w));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void trade(int trader) {
        for (int i = 0; i < 3_000; i++) {
            String item = "item" + (i % 64);
            if (price(item) == null || i % 3 == trader % 3) {
                reprice(item, i + trader);
            }
        }
    }

    private Integer price(String item) {
        lock.readLock().lock();
        try {
            return prices.get(item);
        } finally {
            lock.readLock().unlock();
        }
    }

    private void reprice(String item, int price) {
        lock.writeLock().lock();
        try {
            prices.put(item, price);
        } finally {
            lock.writeLock().unlock();
        }
    }
}
