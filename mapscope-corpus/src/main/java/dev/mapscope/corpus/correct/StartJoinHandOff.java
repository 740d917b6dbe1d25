package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.Map;

/**
 * The caller prepares a map, starts a thread that adds to it, joins it and writes again. {@code start}
 * happens-before every action of the started thread, and its last action happens-before {@code join} returns.
 */
public final class StartJoinHandOff implements Program {
    @Override
    public void run() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            Map<String, Integer> job = new HashMap<>();
            prepare(job, i);
            Thread worker = new Thread(() -> process(job), "startjoin-worker");
            worker.start();
            worker.join();
            finish(job);
        }
    }

    private static void prepare(Map<String, Integer> job, int i) {
        job.put("input", i);
    }

    private static void process(Map<String, Integer> job) {
        job.put("output", job.get("input") + 1);
    }

    private static void finish(Map<String, Integer> job) {
        job.remove("input");
    }
}
