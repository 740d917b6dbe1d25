package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.NeedsJava;
import dev.mapscope.corpus.Program;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * Tasks record results in a map under its monitor; the owner of the executor reads and writes the map without
 * it once the executor is closed (JDK 21's try-with-resources idiom) or has terminated: every task happens
 * before {@code close} and a successful {@code awaitTermination} return. A virtual-thread-per-task executor
 * closed, a platform thread-per-task executor awaited, and a {@code ForkJoinPool} both ways.
 *
 * <p>The corpus compiles for release 17, so the JDK 21 factories and {@code close} are looked up by reflection.
 */
@NeedsJava(21)
public final class ExecutorCloseThenWrite implements Program {
    private static final int TASKS = 200;

    @Override
    public void run() throws Throwable {
        var lookup = MethodHandles.publicLookup();
        var close = lookup.findVirtual(ExecutorService.class, "close", MethodType.methodType(void.class));
        var virtual = lookup.findStatic(
                Executors.class, "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class));
        var perTask = lookup.findStatic(
                Executors.class,
                "newThreadPerTaskExecutor",
                MethodType.methodType(ExecutorService.class, java.util.concurrent.ThreadFactory.class));
        for (int round = 0; round < 5; round++) {
            Map<Integer, Integer> results = new HashMap<>();
            ExecutorService vt = (ExecutorService) virtual.invoke();
            submit(vt, results);
            close.invoke(vt);
            summarise(results);

            results = new HashMap<>();
            ExecutorService platform = (ExecutorService) perTask.invoke(Executors.defaultThreadFactory());
            submit(platform, results);
            awaitTermination(platform);
            summarise(results);

            results = new HashMap<>();
            ExecutorService pool = new ForkJoinPool(3);
            submit(pool, results);
            close.invoke(pool);
            summarise(results);

            results = new HashMap<>();
            pool = new ForkJoinPool(3);
            submit(pool, results);
            awaitTermination(pool);
            summarise(results);
        }
    }

    private static void submit(ExecutorService executor, Map<Integer, Integer> results) {
        for (int i = 0; i < TASKS; i++) {
            int task = i;
            executor.execute(() -> record(results, task));
        }
    }

    private static void record(Map<Integer, Integer> results, int task) {
        synchronized (results) {
            results.put(task, task * task);
        }
    }

    private static void awaitTermination(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("an executor did not terminate");
        }
    }

    private static void summarise(Map<Integer, Integer> results) {
        if (results.size() != TASKS) {
            throw new IllegalStateException("lost a result: " + results.size());
        }
        long sum = 0;
        for (int v : results.values()) {
            sum += v;
        }
        results.clear();
        results.put(-1, (int) sum);
    }
}
