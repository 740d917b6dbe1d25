package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A routing table (a {@code TreeMap}) read under a {@code ReentrantReadWriteLock}'s read lock by three
 * threads ({@code floorEntry}, {@code get}, iteration) and changed under its write lock by a fourth. The read
 * lock orders each read after the last write-lock release, and the write lock orders each write after the
 * reads it waited for; readers are not ordered with each other, and need not be.
 */
public final class ReadWriteLockReaders implements Program {
    private final TreeMap<Integer, String> routes = new TreeMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    @Override
    public void run() throws InterruptedException {
        lock.writeLock().lock();
        try {
            for (int i = 0; i < 100; i++) {
                routes.put(i * 10, "route" + i);
            }
        } finally {
            lock.writeLock().unlock();
        }
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            threads.add(new Thread(this::route, "rw-reader-" + t));
        }
        threads.add(new Thread(this::change, "rw-writer"));
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void route() {
        long n = 0;
        for (int i = 0; i < 3_000; i++) {
            lock.readLock().lock();
            try {
                Map.Entry<Integer, String> e = routes.floorEntry(i % 1_000);
                n += e == null ? 0 : e.getValue().length();
                n += routes.containsKey(i % 1_000) ? 1 : 0;
                if (i % 500 == 0) {
                    for (String r : routes.values()) {
                        n += r.length();
                    }
                }
            } finally {
                lock.readLock().unlock();
            }
        }
        if (n == 42) {
            System.out.println("unlikely");
        }
    }

    private void change() {
        for (int i = 0; i < 500; i++) {
            lock.writeLock().lock();
            try {
                routes.put((i % 100) * 10 + 5, "detour" + i);
            } finally {
                lock.writeLock().unlock();
            }
        }
    }
}
