package dev.mapscope.agent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A racy program for FieldNamingIT: writer threads, started one after another and never synchronised with each
 * other, put into a static map and add to an instance field's set. The agent must name both fields.
 */
public final class FieldRaces {
    static final Map<Integer, Integer> PRICES = new HashMap<>();

    private final Set<Integer> seen = new HashSet<>();

    void price(int k) {
        PRICES.put(k, k * 3);
    }

    void see(int k) {
        seen.add(k);
    }

    public static void main(String[] args) throws InterruptedException {
        FieldRaces r = new FieldRaces();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int base = i * 1000;
            threads.add(new Thread(
                    () -> {
                        for (int j = 0; j < 200; j++) {
                            r.price(base + j);
                            r.see(base + j);
                        }
                    },
                    "field-" + i));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.println("done");
    }
}
