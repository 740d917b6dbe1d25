package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TransferQueue;

/**
 * A producer builds each order as a map and {@code transfer}s it to a consumer, waiting until the consumer
 * has it; the consumer prices the order (writes it). Inserting an element happens-before the take that
 * removes it. Then the producer archives the order, after {@code transfer} returned and the consumer's
 * acknowledgement came back through a second queue.
 */
public final class TransferQueueHandOff implements Program {
    private static final int ORDERS = 2_000;

    private final TransferQueue<Map<String, Integer>> orders = new LinkedTransferQueue<>();
    private final TransferQueue<Map<String, Integer>> priced = new LinkedTransferQueue<>();

    @Override
    public void run() throws InterruptedException {
        Thread producer = new Thread(this::produce, "transfer-producer");
        Thread consumer = new Thread(this::consume, "transfer-consumer");
        producer.start();
        consumer.start();
        producer.join();
        consumer.join();
    }

    private void produce() {
        try {
            for (int i = 0; i < ORDERS; i++) {
                Map<String, Integer> order = new HashMap<>();
                order.put("item", i);
                orders.transfer(order);
                archive(priced.take());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void consume() {
        try {
            for (int i = 0; i < ORDERS; i++) {
                Map<String, Integer> order = orders.take();
                price(order);
                priced.transfer(order);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void price(Map<String, Integer> order) {
        order.put("price", order.get("item") * 3);
    }

    private void archive(Map<String, Integer> order) {
        order.put("archived", 1);
    }
}
