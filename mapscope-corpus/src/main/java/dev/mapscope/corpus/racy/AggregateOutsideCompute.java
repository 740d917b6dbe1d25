package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-route counters in a {@code ConcurrentHashMap} of plain {@code HashMap}s, where each worker takes a route's
 * map with {@code computeIfAbsent} and then counts into it: the map's lock covers the lookup, not the
 * {@code merge} that follows it, so two workers count into one {@code HashMap} at once.
 */
@Race(
        kinds = {Race.CONCURRENT_WRITE, Race.UNSYNCHRONIZED_WRITE},
        overlapping = true,
        method = "count")
public final class AggregateOutsideCompute implements Program {
    private static final String[] ROUTES = {"/", "/login", "/search"};

    private final ConcurrentHashMap<String, Map<String, Integer>> byRoute = new ConcurrentHashMap<>();

    @Override
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            threads.add(new Thread(() -> work(id), "route-counter-" + w));
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
            String route = ROUTES[(i + worker) % ROUTES.length];
            count(byRoute.computeIfAbsent(route, r -> new HashMap<>()), "status-" + (i % 5 == 0 ? 500 : 200));
        }
    }

    private void count(Map<String, Integer> stats, String status) {
        stats.merge(status, 1, Integer::sum);
    }
}
