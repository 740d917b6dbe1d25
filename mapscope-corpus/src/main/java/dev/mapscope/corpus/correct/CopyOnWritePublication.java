package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copy-on-write configuration: a writer never changes a published map; it copies the current one, changes
 * the copy, and publishes the copy through a {@code volatile} field (a {@code HashMap}), an unmodifiable
 * view of a copy ({@code Collections.unmodifiableMap}), a {@code TreeMap} copy and {@code Map.copyOf}, and a
 * {@code ConcurrentHashMap} of named snapshots. Readers read the field (or the concurrent map) and then read
 * and iterate the map they got: the volatile write and read (or the concurrent map's put and get) order
 * every read after the copy's writes, and no published map is written again.
 */
public final class CopyOnWritePublication implements Program {
    private volatile Map<String, Integer> config = new HashMap<>();
    private volatile Map<String, Integer> view = Collections.emptyMap();
    private volatile Map<String, Integer> sorted = new TreeMap<>();
    private final Map<String, Map<String, Integer>> snapshots = new ConcurrentHashMap<>();

    @Override
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            threads.add(new Thread(this::readMany, "cow-reader-" + t));
        }
        threads.add(new Thread(this::publishMany, "cow-writer"));
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void publishMany() {
        for (int i = 0; i < 300; i++) {
            Map<String, Integer> next = new HashMap<>(config);
            next.put("setting" + i % 50, i);
            config = next;
            view = Collections.unmodifiableMap(new HashMap<>(next));
            sorted = new TreeMap<>(next);
            snapshots.put("v" + i % 10, Map.copyOf(next));
        }
    }

    private void readMany() {
        long n = 0;
        for (int i = 0; i < 3_000; i++) {
            Map<String, Integer> c = config;
            n += c.getOrDefault("setting" + i % 60, 0);
            n += view.containsKey("setting" + i % 60) ? 1 : 0;
            Map<String, Integer> s = snapshots.get("v" + i % 10);
            n += s == null ? 0 : s.size();
            if (i % 300 == 0) {
                for (Integer v : c.values()) {
                    n += v;
                }
                n += sorted.toString().length();
            }
        }
        if (n == 42) {
            System.out.println("unlikely");
        }
    }
}
