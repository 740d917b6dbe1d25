package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Maps built by one thread and then only read by others, each handed over by a different idiom: a
 * {@code LinkedHashMap} and a {@code HashSet} built by a pool task and read by later tasks after
 * {@code Future.get}; a {@code WeakHashMap} and an {@code IdentityHashMap} built by a thread that then counts
 * a {@code CountDownLatch} down, read by threads that await it. Each hand-over orders every read after the
 * builder's writes.
 */
public final class HandOffThenRead implements Program {
    @Override
    public void run() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> new Thread(r, "handoff-pool"));
        try {
            Future<Map<String, Integer>> built = pool.submit(HandOffThenRead::buildTable);
            Future<Set<String>> names = pool.submit(HandOffThenRead::buildNames);
            Map<String, Integer> table = built.get();
            Set<String> seen = names.get();
            List<Future<Long>> reads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                reads.add(pool.submit(() -> readTable(table, seen)));
            }
            for (Future<Long> f : reads) {
                f.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        latchHandOff();
    }

    private static Map<String, Integer> buildTable() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < 500; i++) {
            m.put("key" + i, i);
        }
        return m;
    }

    private static Set<String> buildNames() {
        Set<String> s = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            s.add("name" + i);
        }
        return s;
    }

    private static long readTable(Map<String, Integer> table, Set<String> names) {
        long n = 0;
        for (int i = 0; i < 2_000; i++) {
            n += table.getOrDefault("key" + i % 600, 0);
            n += names.contains("name" + i % 600) ? 1 : 0;
        }
        for (Map.Entry<String, Integer> e : table.entrySet()) {
            n += e.getValue();
        }
        n += names.stream().filter(s -> s.endsWith("7")).count();
        return n;
    }

    private static void latchHandOff() throws InterruptedException {
        Object[] owners = new Object[50];
        for (int i = 0; i < owners.length; i++) {
            owners[i] = "owner" + i;
        }
        Map<Object, String> weak = new WeakHashMap<>();
        Map<Object, Integer> identity = new IdentityHashMap<>();
        CountDownLatch ready = new CountDownLatch(1);
        Thread builder = new Thread(
                () -> {
                    for (int i = 0; i < owners.length; i++) {
                        weak.put(owners[i], "meta" + i);
                        identity.put(owners[i], i);
                    }
                    ready.countDown();
                },
                "latch-builder");
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            readers.add(new Thread(() -> readAfter(ready, owners, weak, identity), "latch-reader-" + t));
        }
        for (Thread t : readers) {
            t.start();
        }
        builder.start();
        builder.join();
        for (Thread t : readers) {
            t.join();
        }
    }

    private static void readAfter(
            CountDownLatch ready, Object[] owners, Map<Object, String> weak, Map<Object, Integer> identity) {
        try {
            ready.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long n = 0;
        for (int i = 0; i < 1_000; i++) {
            String m = weak.get(owners[i % owners.length]);
            n += m == null ? 0 : m.length();
            n += identity.containsKey(owners[i % owners.length]) ? 1 : 0;
        }
        for (Integer v : identity.values()) {
            n += v;
        }
        if (n == 42) {
            System.out.println("unlikely");
        }
    }
}
