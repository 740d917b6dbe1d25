package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A hand-rolled spin lock on an {@code AtomicBoolean} guards a plain map written by four threads. The
 * successful {@code compareAndSet} acquires, the {@code set(false)} releases (volatile semantics both), so
 * the writes are ordered.
 */
public final class AtomicBooleanSpinLock implements Program {
    private final AtomicBoolean locked = new AtomicBoolean();
    private final Map<Integer, Integer> histogram = new HashMap<>();

    @Override
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            threads.add(new Thread(() -> work(id), "spin-" + w));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void work(int worker) {
        for (int i = 0; i < 2_000; i++) {
            lock();
            try {
                record(worker * 2_000 + i);
            } finally {
                unlock();
            }
        }
    }

    private void lock() {
        while (!locked.compareAndSet(false, true)) {
            Thread.onSpinWait();
            Thread.yield(); // the holder may be preempted on a busy machine
        }
    }

    private void unlock() {
        locked.set(false);
    }

    private void record(int sample) {
        histogram.merge(sample % 97, 1, Integer::sum);
    }
}
