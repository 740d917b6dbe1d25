package dev.mapscope.corpus.libraries;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import com.google.common.eventbus.EventBus;
import com.google.common.eventbus.Subscribe;
import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Guava's {@code LoadingCache} (bounded, so entries are evicted and loaded again) read by four threads, each
 * load building a fresh {@code HashMap} that the cache then publishes to every reader; and an
 * {@code EventBus} to which the same threads post, with a subscriber that tallies events in a map under its
 * own monitor.
 */
public final class GuavaCacheAndEvents implements Program {
    /** Counts events by kind; Guava calls it from the posting threads. */
    public static final class Tally {
        private final Map<String, Integer> counts = new HashMap<>();

        @Subscribe
        public synchronized void on(String event) {
            counts.merge(event, 1, Integer::sum);
        }

        synchronized int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    @Override
    public void run() throws Exception {
        LoadingCache<Integer, Map<String, Integer>> cache = CacheBuilder.newBuilder()
                .maximumSize(64)
                .build(new CacheLoader<>() {
                    @Override
                    public Map<String, Integer> load(Integer key) {
                        return profile(key);
                    }
                });
        EventBus bus = new EventBus("corpus");
        Tally tally = new Tally();
        bus.register(tally);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "guava-worker"));
        try {
            List<Future<Integer>> sums = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int worker = t;
                sums.add(pool.submit(() -> work(cache, bus, worker)));
            }
            for (Future<Integer> f : sums) {
                f.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        if (tally.total() != 4 * 2_000) {
            throw new IllegalStateException("events lost: " + tally.total());
        }
    }

    private static Map<String, Integer> profile(int key) {
        Map<String, Integer> p = new HashMap<>();
        p.put("key", key);
        p.put("square", key * key);
        return p;
    }

    private static int work(LoadingCache<Integer, Map<String, Integer>> cache, EventBus bus, int worker) {
        int sum = 0;
        for (int i = 0; i < 2_000; i++) {
            sum += cache.getUnchecked((worker * 31 + i) % 200).get("square");
            bus.post(i % 2 == 0 ? "even" : "odd");
        }
        return sum;
    }
}
