package dev.mapscope.corpus.libraries;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The LMAX Disruptor as its documentation shows it: producers claim a slot of the ring buffer, put a freshly
 * filled {@code HashMap} in the slot's event and publish the sequence; a handler on the Disruptor's own thread
 * adds to each map it receives. Once the Disruptor is shut down (every published event handled) and its thread
 * ended, the caller writes every map again. A single producer and two producers, with a blocking and a yielding
 * wait. The Disruptor orders a slot's contents with fences around plain reads and writes of its sequences.
 */
public final class DisruptorHandOff implements Program {
    private static final int EVENTS = 2_000;

    /** A slot of the ring buffer. */
    public static final class Slot {
        Map<String, Integer> order;
    }

    @Override
    public void run() throws InterruptedException {
        exchange(ProducerType.SINGLE, 1);
        exchange(ProducerType.MULTI, 2);
    }

    private void exchange(ProducerType type, int producers) throws InterruptedException {
        List<Thread> started = new ArrayList<>();
        Disruptor<Slot> disruptor = new Disruptor<>(
                Slot::new,
                256,
                r -> {
                    Thread t = new Thread(r, "disruptor-handler");
                    started.add(t);
                    return t;
                },
                type,
                type == ProducerType.SINGLE ? new BlockingWaitStrategy() : new YieldingWaitStrategy());
        List<Map<String, Integer>> handled = new ArrayList<>();
        disruptor.handleEventsWith((slot, sequence, endOfBatch) -> {
            price(slot.order);
            handled.add(slot.order); // only the handler thread adds; read by the caller after shutdown
        });
        RingBuffer<Slot> ring = disruptor.start();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(new Thread(() -> produce(ring, id, producers), "disruptor-producer-" + p));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        disruptor.shutdown();
        for (Thread t : started) {
            t.join();
        }
        for (Map<String, Integer> order : handled) {
            archive(order);
        }
        if (handled.size() != EVENTS) {
            throw new IllegalStateException("handled " + handled.size() + " of " + EVENTS);
        }
    }

    private static void produce(RingBuffer<Slot> ring, int producer, int producers) {
        for (int i = producer; i < EVENTS; i += producers) {
            long sequence = ring.next();
            ring.get(sequence).order = order(i);
            ring.publish(sequence);
        }
    }

    private static Map<String, Integer> order(int id) {
        Map<String, Integer> m = new HashMap<>();
        m.put("id", id);
        m.put("quantity", id % 7 + 1);
        return m;
    }

    private static void price(Map<String, Integer> order) {
        order.put("price", order.get("quantity") * 100);
    }

    private static void archive(Map<String, Integer> order) {
        order.put("archived", 1);
    }
}
