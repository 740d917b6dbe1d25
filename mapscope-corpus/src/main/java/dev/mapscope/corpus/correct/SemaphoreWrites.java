package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * A {@code Semaphore} with one permit used as a mutex around a plain map; {@code release} happens-before a
 * later successful {@code acquire}.
 */
public final class SemaphoreWrites implements Program {
    private final Semaphore permit = new Semaphore(1);
    private final Map<String, Long> lastSeen = new HashMap<>();

    @Override
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            threads.add(new Thread(() -> watch(id), "semaphore-" + w));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void watch(int watcher) {
        try {
            for (int i = 0; i < 3_000; i++) {
                permit.acquire();
                try {
                    seen("host" + (i % 50), watcher * 10_000L + i);
                } finally {
                    permit.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void seen(String host, long when) {
        lastSeen.put(host, when);
    }
}
