package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.StampedLock;

/**
 * {@link ReadLockFills} with a {@code StampedLock}: readers take a read stamp (every other round through
 * {@code asReadLock()}), fill missing entries under the table's monitor and unlock; the administrator
 * replaces entries under a write stamp (every other round through {@code asWriteLock()}). Correct for the
 * same reasons: a read stamp sees the last write unlock, a write stamp sees every read unlock before it.
 */
public final class StampedReadFills implements Program {
    private final StampedLock lock = new StampedLock();
    private final Map<Integer, String> table = new HashMap<>();

    @Override
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int id = r;
            threads.add(new Thread(() -> read(id), "stamped-fill-" + r));
        }
        threads.add(new Thread(this::administer, "stamped-fill-admin"));
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void read(int reader) {
        Lock view = lock.asReadLock();
        for (int i = 0; i < 2_000; i++) {
            int key = (reader * 7 + i) % 64;
            if (i % 2 == 0) {
                long stamp = lock.readLock();
                try {
                    fillIfMissing(key);
                } finally {
                    lock.unlockRead(stamp);
                }
            } else {
                view.lock();
                try {
                    fillIfMissing(key);
                } finally {
                    view.unlock();
                }
            }
        }
    }

    private void fillIfMissing(int key) {
        synchronized (table) {
            if (!table.containsKey(key)) {
                table.put(key, "filled-" + key);
            }
        }
    }

    private void administer() {
        Lock view = lock.asWriteLock();
        for (int i = 0; i < 2_000; i++) {
            if (i % 2 == 0) {
                long stamp = lock.writeLock();
                try {
                    replace(i % 64);
                } finally {
                    lock.unlockWrite(stamp);
                }
            } else {
                view.lock();
                try {
                    replace(i % 64);
                } finally {
                    view.unlock();
                }
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
