package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.StampedLock;

/**
 * A registry of positions written under a {@code StampedLock}'s write lock by four threads and read under its
 * read lock. {@code unlockWrite} happens-before the next {@code writeLock} that succeeds.
 */
public final class StampedLockWrites implements Program {
    private final StampedLock lock = new StampedLock();
    private final Map<String, Integer> positions = new HashMap<>();

    @Override
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            threads.add(new Thread(() -> track(id), "stamped-" + w));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void track(int worker) {
        for (int i = 0; i < 2_000; i++) {
            move("piece" + (i % 40), worker + i);
            position("piece" + (i % 40));
        }
    }

    private void move(String piece, int to) {
        long stamp = lock.writeLock();
        try {
            positions.put(piece, to);
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private Integer position(String piece) {
        // No optimistic read here: a HashMap.get racing a write is itself a race (it may see a half-resized
        // table); the optimistic mode is for copying plain fields, then validating.
        long stamp = lock.readLock();
        try {
            return positions.get(piece);
        } finally {
            lock.unlockRead(stamp);
        }
    }
}
