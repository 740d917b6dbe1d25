package dev.mapscope.corpus.libraries;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
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
 * Caffeine as its documentation allows, by four workers: a bounded {@code LoadingCache} whose loader builds a
 * fresh {@code HashMap} per key (entries are evicted and loaded again), read by every worker and never changed;
 * an unbounded {@code Cache} of per-kind tallies, each a plain {@code HashMap} changed only inside
 * {@code asMap().compute} (atomic per key, Caffeine's way to update a value in place); and an
 * {@code AsyncLoadingCache} that loads on a pool of its own, its maps read after {@code join}. After the workers
 * end, the caller adds a total to every tally.
 */
public final class CaffeineCacheAndCompute implements Program {
    private static final int WORKERS = 4;
    private static final int STEPS = 2_000;

    @Override
    public void run() throws Exception {
        ExecutorService loaders = Executors.newFixedThreadPool(2, r -> new Thread(r, "caffeine-loader"));
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS, r -> new Thread(r, "caffeine-worker"));
        try {
            // maintenance (eviction) on the calling thread: no work of the cache outlives the program
            LoadingCache<Integer, Map<String, Integer>> profiles = Caffeine.newBuilder()
                    .maximumSize(64)
                    .executor(Runnable::run)
                    .build(CaffeineCacheAndCompute::profile);
            Cache<String, Map<String, Integer>> tallies =
                    Caffeine.newBuilder().executor(Runnable::run).build();
            AsyncLoadingCache<Integer, Map<String, Integer>> remote = Caffeine.newBuilder()
                    .maximumSize(32)
                    .executor(loaders)
                    .buildAsync(CaffeineCacheAndCompute::profile);
            List<Future<Integer>> sums = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                sums.add(pool.submit(() -> work(profiles, tallies, remote, worker)));
            }
            for (Future<Integer> f : sums) {
                f.get();
            }
            int events = 0;
            for (Map<String, Integer> tally : tallies.asMap().values()) {
                events += total(tally);
            }
            if (events != WORKERS * STEPS) {
                throw new IllegalStateException("tallies lost events: " + events);
            }
        } finally {
            pool.shutdown();
            loaders.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
            loaders.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static Map<String, Integer> profile(int key) {
        Map<String, Integer> p = new HashMap<>();
        p.put("key", key);
        p.put("square", key * key);
        return p;
    }

    private static int work(
            LoadingCache<Integer, Map<String, Integer>> profiles,
            Cache<String, Map<String, Integer>> tallies,
            AsyncLoadingCache<Integer, Map<String, Integer>> remote,
            int worker) {
        int sum = 0;
        for (int i = 0; i < STEPS; i++) {
            sum += profiles.get((i * 7 + worker) % 200).get("square");
            tallies.asMap().compute("kind-" + i % 8, (kind, tally) -> count(tally, worker));
            sum += remote.get(i % 50).join().get("key");
        }
        return sum;
    }

    private static Map<String, Integer> count(Map<String, Integer> tally, int worker) {
        Map<String, Integer> t = tally == null ? new HashMap<>() : tally;
        t.merge("worker-" + worker, 1, Integer::sum);
        return t;
    }

    private static int total(Map<String, Integer> tally) {
        int n = 0;
        for (int v : tally.values()) {
            n += v;
        }
        tally.put("total", n);
        return n;
    }
}
