package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The broken double-checked cache: {@code containsKey} and {@code get} outside the lock, {@code put}
 * inside it. The writes
 * are all under one lock, so they are ordered with each other; the first check is not, so a reader can see a
 * half-built entry, or read the table while another thread's put resizes it. Only the happens-before model
 * sees it when the accesses do not overlap in time; the map lives across rounds, so a round whose accesses
 * happened to be ordered is followed by another.
 */
@Race(
        kinds = {Race.CONCURRENT_READ, Race.UNSYNCHRONIZED_READ},
        overlapping = false,
        method = "fill",
        reader = "lookup")
public final class DoubleCheckedCache implements Program {
    private final Map<String, String> cache = new HashMap<>();
    private final Object lock = new Object();
    private int round;

    @Override
    public void run() throws InterruptedException {
        int r = round++;
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int me = t;
            threads.add(new Thread(() -> serve(r, me), "dcl-" + t));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void serve(int r, int me) {
        for (int i = 0; i < 300; i++) {
            get("r" + r + "-k" + (i * 3 + me) % 400);
        }
    }

    private String get(String key) {
        String cached = lookup(key);
        if (cached != null) {
            return cached;
        }
        synchronized (lock) {
            if (!cache.containsKey(key)) {
                fill(key);
            }
            return cache.get(key);
        }
    }

    /** The unlocked first check. */
    private String lookup(String key) {
        return cache.containsKey(key) ? cache.get(key) : null;
    }

    private void fill(String key) {
        cache.put(key, "value of " + key);
    }
}
