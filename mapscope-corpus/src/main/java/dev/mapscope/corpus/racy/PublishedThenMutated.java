package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A price table (a {@code TreeMap}) built, handed to reader threads by starting them (a correct
 * publication), and then still changed by its owner: the later writes are ordered with nothing the readers
 * do. Readers can see a half-rebalanced tree. Only the happens-before model sees it when no read overlaps a
 * write in time; the table lives across rounds.
 */
@Race(
        kinds = {Race.CONCURRENT_READ, Race.UNSYNCHRONIZED_READ},
        overlapping = false,
        method = "reprice",
        reader = "quote")
public final class PublishedThenMutated implements Program {
    private final TreeMap<String, Integer> prices = new TreeMap<>();
    private int round;

    @Override
    public void run() throws InterruptedException {
        int r = round++;
        if (r == 0) {
            for (int i = 0; i < 100; i++) {
                prices.put("item" + i, i);
            }
        }
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            readers.add(new Thread(this::quoteMany, "prices-reader-" + t));
        }
        for (Thread t : readers) {
            t.start();
        }
        for (int i = 0; i < 200; i++) {
            reprice("item" + i % 100, r + i);
        }
        for (Thread t : readers) {
            t.join();
        }
    }

    private void quoteMany() {
        long sum = 0;
        for (int i = 0; i < 2_000; i++) {
            sum += quote("item" + i % 100);
        }
        if (sum == 42) {
            System.out.println("unlikely");
        }
    }

    private int quote(String item) {
        Integer p = prices.get(item);
        return p == null ? 0 : p;
    }

    private void reprice(String item, int price) {
        prices.put(item, price);
    }
}
