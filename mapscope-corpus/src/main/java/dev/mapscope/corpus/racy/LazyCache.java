package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A lazily filled cache: a service's pool threads call {@code computeIfAbsent} on a plain {@code HashMap}
 * to load a value the first time it is asked for. Fine on one thread; from a pool it races (and
 * {@code HashMap.computeIfAbsent} may throw {@code ConcurrentModificationException} or lose entries).
 */
@Race(
        kinds = {Race.CONCURRENT_WRITE, Race.UNSYNCHRONIZED_WRITE},
        overlapping = true,
        method = "lookup")
public final class LazyCache implements Program {
    private final Map<String, String> cache = new HashMap<>();
    private int round;

    @Override
    public void run() throws Exception {
        int r = round++;
        ExecutorService pool = Executors.newFixedThreadPool(4, t -> new Thread(t, "lazycache-pool"));
        try {
            List<Callable<Integer>> requests = new ArrayList<>();
            for (int q = 0; q < 8; q++) {
                int from = q * 500;
                requests.add(() -> serve(r, from));
            }
            pool.invokeAll(requests);
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private int serve(int round, int from) {
        int length = 0;
        for (int i = 0; i < 1_000; i++) {
            length += lookup("r" + round + "-user" + (from + i) % 2_000).length();
        }
        return length;
    }

    private String lookup(String user) {
        return cache.computeIfAbsent(user, LazyCache::load);
    }

    private static String load(String user) {
        return "profile of " + user;
    }
}
