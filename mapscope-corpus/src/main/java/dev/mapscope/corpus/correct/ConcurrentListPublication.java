package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Work orders as maps: a producer fills each order and adds it to a {@code CopyOnWriteArrayList} (or a
 * {@code ConcurrentLinkedDeque}); a consumer finds the orders by iterating the list (or polling the deque) and
 * then owns them: it stamps each one with a write. Adding an element to a concurrent collection
 * happens-before its access through the collection in another thread, so the producer's writes are ordered
 * before the consumer's.
 */
public final class ConcurrentListPublication implements Program {
    private static final int ORDERS = 500;

    @Override
    public void run() throws InterruptedException {
        CopyOnWriteArrayList<Map<String, Integer>> list = new CopyOnWriteArrayList<>();
        ConcurrentLinkedDeque<Map<String, Integer>> deque = new ConcurrentLinkedDeque<>();
        List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(() -> stampFromList(list), "list-consumer"));
        threads.add(new Thread(() -> stampFromDeque(deque), "deque-consumer"));
        threads.add(new Thread(() -> produce(list), "list-producer"));
        threads.add(new Thread(() -> produce(deque), "deque-producer"));
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void produce(Collection<Map<String, Integer>> out) {
        for (int i = 0; i < ORDERS; i++) {
            Map<String, Integer> order = new HashMap<>();
            order.put("id", i);
            order.put("quantity", 1 + i % 7);
            out.add(order);
        }
    }

    private static void stampFromList(CopyOnWriteArrayList<Map<String, Integer>> list) {
        int seen = 0;
        while (seen < ORDERS) {
            int size = list.size();
            for (int i = seen; i < size; i++) {
                stamp(list.get(i));
            }
            seen = size;
            Thread.onSpinWait();
        }
    }

    private static void stampFromDeque(ConcurrentLinkedDeque<Map<String, Integer>> deque) {
        int seen = 0;
        while (seen < ORDERS) {
            Map<String, Integer> order = deque.pollFirst();
            if (order == null) {
                Thread.onSpinWait();
            } else {
                stamp(order);
                seen++;
            }
        }
    }

    private static void stamp(Map<String, Integer> order) {
        order.put("stamped", 1);
    }
}
