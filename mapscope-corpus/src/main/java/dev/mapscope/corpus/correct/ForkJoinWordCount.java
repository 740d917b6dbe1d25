package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;

/**
 * A word count as a {@code RecursiveTask}: leaves count into maps of their own, a parent forks its left
 * half, counts its right half, {@code join}s the left and merges the right's counts into the left's map (a map
 * another worker wrote). Then the caller adds a total to the result of {@code invoke}. A task's completion
 * happens-before {@code join} and {@code invoke} return.
 */
public final class ForkJoinWordCount implements Program {
    private static final String[] WORDS = {"map", "race", "lock", "fork", "join", "hash", "bucket", "thread"};

    @Override
    public void run() throws InterruptedException {
        String[] text = new String[200_000];
        for (int i = 0; i < text.length; i++) {
            text[i] = WORDS[(i * 7 + i / 3) % WORDS.length];
        }
        ForkJoinPool pool = new ForkJoinPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                Map<String, Integer> counts = pool.invoke(new Count(text, 0, text.length));
                total(counts);
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static void total(Map<String, Integer> counts) {
        counts.put(
                "(total)", counts.values().stream().mapToInt(Integer::intValue).sum());
    }

    static final class Count extends RecursiveTask<Map<String, Integer>> {
        private final String[] text;
        private final int from;
        private final int to;

        Count(String[] text, int from, int to) {
            this.text = text;
            this.from = from;
            this.to = to;
        }

        @Override
        protected Map<String, Integer> compute() {
            if (to - from <= 2_000) {
                return countLeaf();
            }
            int mid = (from + to) >>> 1;
            Count left = new Count(text, from, mid);
            left.fork();
            Map<String, Integer> right = new Count(text, mid, to).compute();
            return mergeInto(left.join(), right);
        }

        private Map<String, Integer> countLeaf() {
            Map<String, Integer> counts = new HashMap<>();
            for (int i = from; i < to; i++) {
                counts.merge(text[i], 1, Integer::sum);
            }
            return counts;
        }

        private static Map<String, Integer> mergeInto(Map<String, Integer> left, Map<String, Integer> right) {
            right.forEach((word, n) -> left.merge(word, n, Integer::sum));
            return left;
        }
    }
}
