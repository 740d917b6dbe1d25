package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.NeedsJava;
import dev.mapscope.corpus.Program;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A server's worth of virtual threads (JDK 21+): a million of them, in batches of ten thousand, each
 * creating a map of its own, writing two entries and ending. No map is shared; a JVM that has run a million
 * threads must be checked as well as a fresh one, and stay silent here.
 *
 * <p>The corpus compiles for release 17, so the executor factory is looked up by reflection.
 */
@NeedsJava(21)
public final class VirtualThreadChurn implements Program {
    private static final int THREADS = 1_000_000;
    private static final int BATCH = 10_000;

    private final LongAdder entries = new LongAdder();

    @Override
    public void run() throws Throwable {
        var factory = MethodHandles.publicLookup()
                .findStatic(
                        Executors.class,
                        "newVirtualThreadPerTaskExecutor",
                        MethodType.methodType(ExecutorService.class));
        for (int done = 0; done < THREADS; done += BATCH) {
            ExecutorService perTask = (ExecutorService) factory.invoke();
            for (int i = 0; i < BATCH; i++) {
                int id = done + i;
                perTask.execute(() -> handle(id));
            }
            perTask.shutdown();
            if (!perTask.awaitTermination(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("a batch of virtual threads did not end");
            }
        }
    }

    private void handle(int id) {
        Map<String, Integer> request = new HashMap<>();
        request.put("id", id);
        request.put("attempt", 1);
        entries.add(request.size());
    }
}
