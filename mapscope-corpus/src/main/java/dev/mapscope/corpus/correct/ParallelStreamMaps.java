package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Parallel streams building maps: a three-argument {@code collect} where each fork-join worker fills a map
 * of its own and the combiner merges one worker's map into another's, and a non-concurrent
 * {@code groupingBy}. The stream framework orders each combine after both halves completed.
 */
public final class ParallelStreamMaps implements Program {
    @Override
    public void run() {
        for (int round = 0; round < 20; round++) {
            Map<Integer, Integer> byDigit = IntStream.range(0, 100_000)
                    .parallel()
                    .collect(HashMap::new, ParallelStreamMaps::count, ParallelStreamMaps::combine);
            Map<Integer, List<Integer>> byRemainder =
                    IntStream.range(0, 20_000).parallel().boxed().collect(Collectors.groupingBy(i -> i % 13));
            byDigit.put(-1, byRemainder.size());
        }
    }

    private static void count(HashMap<Integer, Integer> counts, int i) {
        counts.merge(i % 10, 1, Integer::sum);
    }

    private static void combine(HashMap<Integer, Integer> into, HashMap<Integer, Integer> from) {
        from.forEach((digit, n) -> into.merge(digit, n, Integer::sum));
    }
}
