package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Work orders as maps: a producer fills each order and adds it to a {@code CopyOnWriteArrayList}, a
 * {@code ConcurrentLinkedDeque}, a {@code ConcurrentLinkedQueue}, a {@code ConcurrentSkipListMap} or a
 * {@code ConcurrentHashMap} (by order id); a consumer finds the orders by reading the list, polling the deque,
 * iterating the queue (which keeps them), or iterating the map's values, and then owns
 * them: it stamps each one with a write. Adding an element to a concurrent collection happens-before its access through the collection in
 * another thread, so the producer's writes are ordered before the consumer's.
 */
public final class ConcurrentCollectionPublication implements Program {
    private static final int ORDERS = 500;

    @Override
    public void run() throws InterruptedException {
        CopyOnWriteArrayList<Map<String, Integer>> list = new CopyOnWriteArrayList<>();
        ConcurrentLinkedDeque<Map<String, Integer>> deque = new ConcurrentLinkedDeque<>();
        ConcurrentLinkedQueue<Map<String, Integer>> queue = new ConcurrentLinkedQueue<>();
        ConcurrentSkipListMap<Integer, Map<String, Integer>> byId = new ConcurrentSkipListMap<>();
        Map<Integer, Map<String, Integer>> hashed = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        threads.add(new Thread(() -> stampFromList(list), "list-consumer"));
        threads.add(new Thread(() -> stampFromDeque(deque), "deque-consumer"));
        threads.add(new Thread(() -> produce(list), "list-producer"));
        threads.add(new Thread(() -> produce(deque), "deque-producer"));
        threads.add(new Thread(() -> stampByIterating(queue), "queue-consumer"));
        threads.add(new Thread(() -> produce(queue), "queue-producer"));
        threads.add(new Thread(() -> stampFromSkipList(byId), "skiplist-consumer"));
        threads.add(new Thread(() -> produceById(byId), "skiplist-producer"));
        threads.add(new Thread(() -> stampOnce(hashed), "hashmap-consumer"));
        threads.add(new Thread(() -> produceById(hashed), "hashmap-producer"));
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

    private static void produceById(Map<Integer, Map<String, Integer>> out) {
        for (int i = 0; i < ORDERS; i++) {
            Map<String, Integer> order = new HashMap<>();
            order.put("id", i);
            order.put("quantity", 1 + i % 7);
            out.put(i, order);
        }
    }

    private static void stampFromSkipList(ConcurrentSkipListMap<Integer, Map<String, Integer>> byId) {
        int seen = 0;
        while (seen < ORDERS) {
            int index = 0;
            for (Map<String, Integer> order : byId.values()) { // from the first order on, every time
                if (index++ == seen) {
                    stamp(order); // orders come in id order, so the one at this index is the next one
                    seen++;
                }
            }
            Thread.onSpinWait();
        }
    }

    /** Iterates the values until every order was seen once; stamps each the first time it is seen. */
    private static void stampOnce(Map<Integer, Map<String, Integer>> byId) {
        boolean[] stamped = new boolean[ORDERS];
        int seen = 0;
        while (seen < ORDERS) {
            for (Map<String, Integer> order : byId.values()) {
                int id = order.get("id");
                if (!stamped[id]) {
                    stamped[id] = true;
                    stamp(order);
                    seen++;
                }
            }
            Thread.onSpinWait();
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

    private static void stampByIterating(ConcurrentLinkedQueue<Map<String, Integer>> queue) {
        int seen = 0;
        while (seen < ORDERS) {
            int at = 0;
            for (Map<String, Integer> order : queue) { // in the order added; nothing is removed
                if (at++ >= seen) {
                    stamp(order);
                    seen++;
                }
            }
            Thread.onSpinWait();
        }
    }

    private static void stamp(Map<String, Integer> order) {
        order.put("stamped", 1);
    }
}
