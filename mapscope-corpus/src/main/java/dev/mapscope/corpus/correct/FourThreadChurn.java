package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.Map;

/**
 * What every Java program does per request or per JSON object: four threads each create a million
 * short-lived maps, put two entries and drop them. No map is ever seen by a second thread, so no pair of
 * writes can race, however many maps come and go and whatever identity hashes they get.
 */
public final class FourThreadChurn implements Program {
    private static final int THREADS = 4;
    private static final int MAPS_PER_THREAD = 1_000_000;

    private final long[] sums = new long[THREADS]; // each slot written by one thread: the loop's result stays used

    @Override
    public void run() throws InterruptedException {
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            threads[t] = new Thread(() -> churn(id), "churn4-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void churn(int id) {
        long sum = 0;
        for (int i = 0; i < MAPS_PER_THREAD; i++) {
            Map<String, Integer> request = new HashMap<>();
            request.put("id", i);
            request.put("thread", id);
            sum += request.size();
        }
        sums[id] = sum;
    }
}
