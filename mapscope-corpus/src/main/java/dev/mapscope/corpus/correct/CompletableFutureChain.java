package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A report built in stages on two pools: {@code supplyAsync} parses on the I/O pool, {@code thenApplyAsync}
 * enriches on the CPU pool, {@code thenApply} adds a total on whichever thread completed the stage before, and
 * the caller {@code join}s and stamps the result. Each stage writes the map the previous one wrote; completing
 * a stage happens-before its dependents run and before {@code join} returns.
 */
public final class CompletableFutureChain implements Program {
    @Override
    public void run() throws Exception {
        ExecutorService io = Executors.newFixedThreadPool(2, r -> new Thread(r, "cf-io"));
        ExecutorService cpu = Executors.newFixedThreadPool(2, r -> new Thread(r, "cf-cpu"));
        try {
            for (int i = 0; i < 300; i++) {
                int batch = i;
                Map<String, Integer> report = CompletableFuture.supplyAsync(() -> parse(batch), io)
                        .thenApplyAsync(this::enrich, cpu)
                        .thenApply(this::total)
                        .join();
                stamp(report, batch);
            }
        } finally {
            io.shutdown();
            cpu.shutdown();
            io.awaitTermination(1, TimeUnit.MINUTES);
            cpu.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private Map<String, Integer> parse(int batch) {
        Map<String, Integer> counts = new HashMap<>();
        for (int k = 0; k < 20; k++) {
            counts.put("word" + k, batch + k);
        }
        return counts;
    }

    private Map<String, Integer> enrich(Map<String, Integer> counts) {
        counts.replaceAll((word, n) -> n * 2);
        counts.put("enriched", 1);
        return counts;
    }

    private Map<String, Integer> total(Map<String, Integer> counts) {
        counts.put("total", counts.values().stream().mapToInt(Integer::intValue).sum());
        return counts;
    }

    private void stamp(Map<String, Integer> report, int batch) {
        report.put("batch", batch);
        report.remove("enriched");
    }
}
