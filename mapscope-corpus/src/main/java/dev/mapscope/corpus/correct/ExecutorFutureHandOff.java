package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The caller fills a request map, {@code submit}s a task that writes it on a pool thread, waits with
 * {@code Future.get} and writes it again. Submitting happens-before the task runs, and the task's completion
 * happens-before {@code get} returns.
 */
public final class ExecutorFutureHandOff implements Program {
    @Override
    public void run() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> new Thread(r, "future-pool"));
        try {
            for (int i = 0; i < 1_000; i++) {
                Map<String, Integer> request = new HashMap<>();
                request.put("id", i);
                Future<Map<String, Integer>> reply = pool.submit(() -> handle(request));
                close(reply.get());
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static Map<String, Integer> handle(Map<String, Integer> request) {
        request.put("status", 200);
        return request;
    }

    private static void close(Map<String, Integer> reply) {
        reply.put("closed", 1);
    }
}
