package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.NeedsJava;
import dev.mapscope.corpus.Program;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Hand-offs with virtual threads (JDK 21+): the caller fills a map, starts a virtual thread that writes it,
 * joins it and writes again; then a virtual-thread-per-task executor writes maps the caller reads back with
 * {@code Future.get} and writes. The same start/join and future edges as platform threads.
 *
 * <p>The corpus compiles for release 17, so the two JDK 21 methods are looked up by reflection.
 */
@NeedsJava(21)
public final class VirtualThreadHandOff implements Program {
    @Override
    public void run() throws Throwable {
        MethodHandle startVirtual = MethodHandles.publicLookup()
                .findStatic(Thread.class, "startVirtualThread", MethodType.methodType(Thread.class, Runnable.class));
        for (int i = 0; i < 500; i++) {
            Map<String, Integer> job = new HashMap<>();
            job.put("input", i);
            Thread worker = (Thread) startVirtual.invoke((Runnable) () -> process(job));
            worker.join();
            finish(job);
        }
        ExecutorService perTask = (ExecutorService) MethodHandles.publicLookup()
                .findStatic(
                        java.util.concurrent.Executors.class,
                        "newVirtualThreadPerTaskExecutor",
                        MethodType.methodType(ExecutorService.class))
                .invoke();
        try {
            for (int i = 0; i < 500; i++) {
                Map<String, Integer> job = new HashMap<>();
                job.put("input", i);
                Future<?> done = perTask.submit(() -> process(job));
                done.get();
                finish(job);
            }
        } finally {
            perTask.shutdown();
            perTask.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private static void process(Map<String, Integer> job) {
        job.put("output", job.get("input") * 2);
    }

    private static void finish(Map<String, Integer> job) {
        job.remove("input");
    }
}
