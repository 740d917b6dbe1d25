package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A lookup table behind a {@code ReentrantReadWriteLock} whose readers also fill in missing entries: for the
 * fill, a reader holding the read lock takes the table's own monitor too, so readers exclude one another
 * there, while an administrator replaces entries under the write lock. Correct: a read lock sees the last
 * write unlock, and a write lock sees every read unlock before it (readers and writers CAS one state word),
 * so every two writes are ordered by the lock or by the monitor. (jcasbin's role manager has this shape.)
 */
public final class ReadLockFills implements Program {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<Integer, String> table = new HashMap<>();

    @Override
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int id = r;
            threads.add(new Thread(() -> read(id), "read-fill-" + r));
        }
        threads.add(new Thread(this::administer, "read-fill-admin"));
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void read(int reader) {
        for (int i = 0; i < 2_000; i++) {
            int key = (reader * 7 + i) % 64;
            lock.readLock().lock();
            try {
                synchronized (table) {
                    if (!table.containsKey(key)) {
                        fill(key);
                    }
                }
            } finally {
                lock.readLock().unlock();
            }
        }
    }

    private void fill(int key) {
        table.put(key, "filled-" + key);
    }

    private void administer() {
        for (int i = 0; i < 2_000; i++) {
            lock.writeLock().lock();
            try {
                replace(i % 64);
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    private void replace(int key) {
        if (key % 2 == 0) {
            table.remove(key);
        } else {
            table.put(key, "replaced-" + key);
        }
    }
}
