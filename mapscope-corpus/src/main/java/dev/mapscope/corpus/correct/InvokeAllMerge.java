package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A scatter-gather: {@code invokeAll} runs one task per shard, each building its own map; the caller merges
 * the results into one map and marks every shard's map as merged. {@code invokeAll} returns when every task
 * has completed, and each completion happens-before the caller's {@code get}.
 */
public final class InvokeAllMerge implements Program {
    @Override
    public void run() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "invokeall-pool"));
        try {
            for (int round = 0; round < 100; round++) {
                List<Callable<Map<String, Integer>>> shards = new ArrayList<>();
                for (int s = 0; s < 8; s++) {
                    int shard = s;
                    shards.add(() -> scan(shard));
                }
                Map<String, Integer> all = new HashMap<>();
                for (Future<Map<String, Integer>> f : pool.invokeAll(shards)) {
                    merge(all, f.get());
                }
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static Map<String, Integer> scan(int shard) {
        Map<String, Integer> found = new HashMap<>();
        for (int i = 0; i < 50; i++) {
            found.merge("key" + (i * shard) % 17, 1, Integer::sum);
        }
        return found;
    }

    private static void merge(Map<String, Integer> all, Map<String, Integer> shard) {
        for (Map.Entry<String, Integer> e : shard.entrySet()) {
            all.merge(e.getKey(), e.getValue(), Integer::sum);
        }
        shard.put("(merged)", 1);
    }
}
