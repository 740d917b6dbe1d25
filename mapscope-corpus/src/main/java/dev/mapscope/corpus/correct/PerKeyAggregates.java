package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-route statistics of a request log, kept by four workers in a {@code ConcurrentHashMap} of plain
 * {@code HashMap}s: every change to a route's map happens inside {@code compute}, {@code merge} or
 * {@code computeIfPresent}, whose function the map runs while it holds the key's lock (its documentation: "the
 * entire method invocation is performed atomically"), and a route's map is created and filled inside
 * {@code computeIfAbsent}'s function. After the workers are joined, the caller adds a total to every map.
 */
public final class PerKeyAggregates implements Program {
    private static final int WORKERS = 4;
    private static final int REQUESTS = 5_000;
    private static final String[] ROUTES = {"/", "/login", "/search", "/cart", "/pay", "/help"};

    private final ConcurrentHashMap<String, Map<String, Integer>> byRoute = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Map<String, Integer>> firstSeen = new ConcurrentHashMap<>();

    @Override
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int id = w;
            threads.add(new Thread(() -> work(id), "aggregate-" + w));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (Map<String, Integer> stats : byRoute.values()) {
            total(stats);
        }
    }

    private void work(int worker) {
        for (int i = 0; i < REQUESTS; i++) {
            String route = ROUTES[(i * 7 + worker) % ROUTES.length];
            int status = i % 11 == 0 ? 500 : 200;
            byRoute.compute(route, (r, stats) -> count(stats, "status-" + status));
            byRoute.merge(route + "#bytes", single("bytes", i % 1_500), PerKeyAggregates::add);
            byRoute.computeIfPresent(route, (r, stats) -> last(stats, worker));
            int request = i;
            firstSeen.computeIfAbsent(route, r -> first(worker, request));
        }
    }

    private static Map<String, Integer> count(Map<String, Integer> stats, String key) {
        Map<String, Integer> m = stats == null ? new HashMap<>() : stats;
        m.merge(key, 1, Integer::sum);
        return m;
    }

    private static Map<String, Integer> single(String key, int value) {
        Map<String, Integer> m = new HashMap<>();
        m.put(key, value);
        return m;
    }

    private static Map<String, Integer> add(Map<String, Integer> sum, Map<String, Integer> one) {
        sum.merge("bytes", one.get("bytes"), Integer::sum);
        sum.merge("requests", 1, Integer::sum);
        return sum;
    }

    private static Map<String, Integer> last(Map<String, Integer> stats, int worker) {
        stats.put("last-worker", worker);
        return stats;
    }

    private static Map<String, Integer> first(int worker, int request) {
        Map<String, Integer> m = new HashMap<>();
        m.put("worker", worker);
        m.put("request", request);
        return m;
    }

    private void total(Map<String, Integer> stats) {
        int sum = 0;
        for (Map.Entry<String, Integer> e : stats.entrySet()) {
            if (e.getKey().startsWith("status-")) {
                sum += e.getValue();
            }
        }
        stats.put("total", sum);
    }
}
