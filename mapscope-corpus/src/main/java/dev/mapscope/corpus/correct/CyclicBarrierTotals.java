package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * Four workers count into maps of their own; at each {@code CyclicBarrier} trip the barrier action (run by
 * the last worker to arrive) adds every partial map into the total and clears it, and the workers go on
 * writing their partials in the next generation. Actions before {@code await} happen-before the barrier
 * action, which happens-before the return from {@code await} in every party.
 */
public final class CyclicBarrierTotals implements Program {
    private static final int WORKERS = 4;
    private static final int GENERATIONS = 300;

    private final List<Map<String, Integer>> partials = new ArrayList<>();
    private final Map<String, Integer> total = new HashMap<>();
    private final CyclicBarrier barrier = new CyclicBarrier(WORKERS, this::collect);

    @Override
    public void run() throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            partials.add(new HashMap<>());
            int id = w;
            workers.add(new Thread(() -> work(id), "barrier-" + w));
        }
        for (Thread t : workers) {
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
    }

    private void work(int worker) {
        Map<String, Integer> mine = partials.get(worker);
        try {
            for (int g = 0; g < GENERATIONS; g++) {
                for (int i = 0; i < 10; i++) {
                    mine.merge("key" + (i + worker) % 12, 1, Integer::sum);
                }
                barrier.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException(e);
        }
    }

    private void collect() {
        for (Map<String, Integer> partial : partials) {
            partial.forEach((k, n) -> total.merge(k, n, Integer::sum));
            partial.clear();
        }
    }
}
