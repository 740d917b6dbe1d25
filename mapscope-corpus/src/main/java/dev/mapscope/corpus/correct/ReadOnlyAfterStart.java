package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lookup tables built before the threads start and then only read by eight threads: {@code get},
 * {@code containsKey}, {@code getOrDefault} and iteration, on a {@code HashMap}, an insertion-ordered
 * {@code LinkedHashMap} and a {@code TreeMap}. {@code Thread.start} publishes the tables; reads never race
 * reads. The agent checks every read and iteration here against the tables' last writes: all are ordered.
 */
public final class ReadOnlyAfterStart implements Program {
    private final Map<String, Integer> countries = new HashMap<>();
    private final Map<String, Integer> ordered = new LinkedHashMap<>();
    private final Map<Integer, String> ranges = new TreeMap<>();

    @Override
    public void run() throws InterruptedException {
        for (int i = 0; i < 1_000; i++) {
            countries.put("country" + i, i);
            ordered.put("step" + i, i);
            ranges.put(i * 10, "range" + i);
        }
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            int id = r;
            readers.add(new Thread(() -> look(id), "readonly-" + r));
        }
        for (Thread t : readers) {
            t.start();
        }
        for (Thread t : readers) {
            t.join();
        }
    }

    private void look(int reader) {
        long sum = 0;
        for (int i = 0; i < 20_000; i++) {
            sum += countries.getOrDefault("country" + (i + reader) % 1_200, -1);
            sum += ordered.containsKey("step" + i % 1_000) ? 1 : 0;
            String range = ranges.get((i % 1_000) * 10);
            sum += range == null ? 0 : range.length();
            if (i % 2_000 == 0) {
                for (Map.Entry<String, Integer> e : ordered.entrySet()) {
                    sum += e.getValue();
                }
            }
        }
        if (sum == 42) {
            System.out.println("unlikely"); // keeps the reads from being optimised away
        }
    }
}
