package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;

/**
 * A session map passed back and forth between a front thread and a worker through two
 * {@code SynchronousQueue}s; each side writes it while it holds it. {@code put} happens-before the
 * {@code take} that receives the element.
 */
public final class SynchronousQueueHandOff implements Program {
    private static final int TRIPS = 2_000;

    private final SynchronousQueue<Map<String, Integer>> toWorker = new SynchronousQueue<>();
    private final SynchronousQueue<Map<String, Integer>> toFront = new SynchronousQueue<>();

    @Override
    public void run() throws InterruptedException {
        Thread front = new Thread(this::front, "syncq-front");
        Thread worker = new Thread(this::worker, "syncq-worker");
        front.start();
        worker.start();
        front.join();
        worker.join();
    }

    private void front() {
        Map<String, Integer> session = new HashMap<>();
        try {
            for (int i = 0; i < TRIPS; i++) {
                request(session, i);
                toWorker.put(session);
                session = toFront.take();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void worker() {
        try {
            for (int i = 0; i < TRIPS; i++) {
                Map<String, Integer> session = toWorker.take();
                respond(session, i);
                toFront.put(session);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void request(Map<String, Integer> session, int i) {
        session.put("request", i);
    }

    private void respond(Map<String, Integer> session, int i) {
        session.put("response", i);
        session.merge("served", 1, Integer::sum);
    }
}
