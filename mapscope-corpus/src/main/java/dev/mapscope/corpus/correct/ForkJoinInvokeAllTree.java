package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveTask;

/**
 * Histograms as a {@code RecursiveTask} tree split with {@code ForkJoinTask.invokeAll(left, right)}: each leaf
 * fills a map of its own, a parent merges the right half's map into the left half's (maps that other workers
 * may have filled), and the caller adds a total to the root's map. {@code invokeAll} waits for a stolen task
 * without {@code join}, by helping inside the pool: the task's completion happens-before {@code invokeAll}
 * returns all the same. Many small trees, so that stolen halves and that helping path are common.
 */
public final class ForkJoinInvokeAllTree implements Program {
    private static final int ROUNDS = 300;
    private static final int VALUES = 4_096;

    @Override
    public void run() throws InterruptedException {
        int[] values = new int[VALUES];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i * 31 + i / 7) % 97;
        }
        ForkJoinPool pool = new ForkJoinPool(3);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                total(pool.invoke(new Histogram(values, 0, values.length)));
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void total(Map<Integer, Integer> histogram) {
        int sum = 0;
        for (int n : histogram.values()) {
            sum += n;
        }
        histogram.put(-1, sum);
    }

    static final class Histogram extends RecursiveTask<Map<Integer, Integer>> {
        private final int[] values;
        private final int from;
        private final int to;

        Histogram(int[] values, int from, int to) {
            this.values = values;
            this.from = from;
            this.to = to;
        }

        @Override
        protected Map<Integer, Integer> compute() {
            if (to - from <= 256) {
                return leaf();
            }
            int mid = (from + to) >>> 1;
            Histogram left = new Histogram(values, from, mid);
            Histogram right = new Histogram(values, mid, to);
            ForkJoinTask.invokeAll(left, right);
            return merge(left.getRawResult(), right.getRawResult());
        }

        private Map<Integer, Integer> leaf() {
            Map<Integer, Integer> counts = new HashMap<>();
            for (int i = from; i < to; i++) {
                counts.merge(values[i] % 16, 1, Integer::sum);
            }
            return counts;
        }

        private static Map<Integer, Integer> merge(Map<Integer, Integer> into, Map<Integer, Integer> from) {
            for (Map.Entry<Integer, Integer> e : from.entrySet()) {
                into.merge(e.getKey(), e.getValue(), Integer::sum);
            }
            return into;
        }
    }
}
