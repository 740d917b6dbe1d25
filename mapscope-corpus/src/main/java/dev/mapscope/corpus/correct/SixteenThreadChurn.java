package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.Map;

/**
 * The same churn as {@link FourThreadChurn} over sixteen threads, more than the cores: four million maps in all,
 * each created, given two entries and dropped by one thread, while the threads are preempted in and out of the
 * map code. No map is ever seen by a second thread.
 */
public final class SixteenThreadChurn implements Program {
    private static final int THREADS = 16;
    private static final int MAPS_PER_THREAD = 250_000;

    private final long[] sums = new long[THREADS]; // each slot written by one thread: the loop's result stays used

    @Override
    public void run() throws InterruptedException {
        Thread[] threads = new Thread[THREADS];
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            threads[t] = new Thread(() -> churn(id), "churn16-" + t);
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
