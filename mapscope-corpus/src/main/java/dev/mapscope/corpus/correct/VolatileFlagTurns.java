package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.Map;

/**
 * A producer fills a plain map and raises a {@code volatile} flag; the consumer spins until it sees the flag,
 * adds its own entries and lowers the flag; then the producer writes again. A volatile write happens-before
 * every read that sees it (JLS 17.4.4), so the two threads' writes are always ordered.
 */
public final class VolatileFlagTurns implements Program {
    private static final int ROUNDS = 2_000;

    private final Map<String, Integer> batch = new HashMap<>(); // written by whoever the flag says
    private volatile boolean ready; // true: the consumer's turn; false: the producer's

    @Override
    public void run() throws InterruptedException {
        Thread producer = new Thread(this::produce, "flag-producer");
        Thread consumer = new Thread(this::consume, "flag-consumer");
        producer.start();
        consumer.start();
        producer.join();
        consumer.join();
    }

    private void produce() {
        for (int i = 0; i < ROUNDS; i++) {
            while (ready) {
                Thread.onSpinWait();
                Thread.yield(); // two cores shared with other work: let the consumer run
            }
            fill(i);
            ready = true; // release: publishes fill()
        }
    }

    private void consume() {
        for (int i = 0; i < ROUNDS; i++) {
            while (!ready) {
                Thread.onSpinWait();
                Thread.yield();
            }
            acknowledge(i);
            ready = false; // release: publishes acknowledge()
        }
    }

    private void fill(int i) {
        batch.clear();
        batch.put("item", i);
        batch.put("size", 1);
    }

    private void acknowledge(int i) {
        batch.put("acked", i);
    }
}
