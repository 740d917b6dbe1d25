package dev.mapscope.agent;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The programs the agent is judged by: racy ones it must report and correct ones it must stay quiet on.
 * Each pattern is a method whose name starts with {@code racy} or {@code quiet}; its writes happen in
 * lambdas of that method, so a finding's stack names the pattern. Run as a main class in a JVM with the
 * agent: {@code Patterns [names...]} (no names: all of them); a name {@code wait} prints {@code ready} and
 * reads a line from stdin, for attach tests.
 */
public final class Patterns {
    static final int WRITERS = 4;
    static final int WRITES = 200;

    private Patterns() {}

    public static void main(String[] args) throws Exception {
        List<String> names = new ArrayList<>(List.of(args));
        if (names.isEmpty()) {
            names.addAll(all());
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String n : names) {
            if (n.equals("wait")) {
                System.out.println("ready");
                System.out.flush();
                in.readLine();
            } else {
                run(n);
                System.out.println("ran " + n);
            }
        }
        System.out.println("done");
    }

    static List<String> all() {
        List<String> r = new ArrayList<>();
        for (java.lang.reflect.Method m : Patterns.class.getDeclaredMethods()) {
            if ((m.getName().startsWith("racy") || m.getName().startsWith("quiet")) && m.getParameterCount() == 0) {
                r.add(m.getName());
            }
        }
        Collections.sort(r);
        return r;
    }

    static void run(String name) throws Exception {
        Patterns.class.getDeclaredMethod(name).invoke(null);
    }

    private static void startAll(List<Thread> threads) {
        for (Thread t : threads) {
            t.start();
        }
    }

    private static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
    }

    // ---- racy: each must be reported ----

    /** The seed program: 10 threads, each writes one key into one shared map, started one after another. */
    static void racySeed() throws InterruptedException {
        Map<String, Integer> map = new HashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int k = i;
            threads.add(new Thread(() -> map.put("k" + k, k), "seed-" + i));
        }
        startAll(threads);
        joinAll(threads);
    }

    /** Two threads, one write each, never at the same time (the second starts after the first ended). */
    static void racyTwoWritesApart() throws InterruptedException {
        Map<String, Integer> map = new HashMap<>();
        java.util.concurrent.atomic.AtomicBoolean written = new java.util.concurrent.atomic.AtomicBoolean();
        written.setOpaque(written.getOpaque()); // linked here: a class initialised in apart-a would be an edge
        Thread a = new Thread(
                () -> {
                    map.put("a", 1);
                    written.setOpaque(true);
                },
                "apart-a");
        a.start();
        while (!written.getOpaque()) {
            Thread.onSpinWait(); // an opaque flag is not a happens-before edge (a join or a volatile read would be)
        }
        Thread b = new Thread(() -> map.put("b", 2), "apart-b");
        b.start();
        b.join();
        a.join();
    }

    /** The main thread and a thread it started write at the same time: main's write is not ordered after it. */
    static void racyWithMain() throws InterruptedException {
        Map<String, Integer> map = new HashMap<>();
        Thread other = new Thread(() -> map.put("other", 1), "with-main");
        other.start();
        map.put("main", 2);
        other.join();
        map.put("main", 3); // after join: ordered; the racing pair is the one above
        Thread again = new Thread(() -> map.put("again", 1), "with-main-again");
        again.start();
        map.put("main", 4);
        again.join();
    }

    /** Writes under the read lock of a ReentrantReadWriteLock: a shared lock does not exclude writers. */
    static void racyReadLock() throws InterruptedException {
        Map<Integer, Integer> map = new HashMap<>();
        ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            int base = i * WRITES;
            threads.add(new Thread(
                    () -> {
                        for (int j = 0; j < WRITES; j++) {
                            rw.readLock().lock();
                            try {
                                map.put(base + j, j);
                            } finally {
                                rw.readLock().unlock();
                            }
                        }
                    },
                    "readlock-" + i));
        }
        startAll(threads);
        joinAll(threads);
    }

    /** Each thread locks its own monitor: no lock in common. */
    static void racyDifferentMonitors() throws InterruptedException {
        Map<Integer, Integer> map = new HashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            Object own = new Object();
            int base = i * WRITES;
            threads.add(new Thread(
                    () -> {
                        for (int j = 0; j < WRITES; j++) {
                            synchronized (own) {
                                map.put(base + j, j);
                            }
                        }
                    },
                    "ownlock-" + i));
        }
        startAll(threads);
        joinAll(threads);
    }

    /** get on an access-ordered LinkedHashMap moves the entry: two readers are two writers. */
    static void racyAccessOrderGet() throws InterruptedException {
        Map<Integer, Integer> map = new LinkedHashMap<>(16, 0.75f, true);
        for (int i = 0; i < 100; i++) {
            map.put(i, i);
        }
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            threads.add(new Thread(
                    () -> {
                        for (int j = 0; j < WRITES; j++) {
                            map.get(j % 100);
                        }
                    },
                    "lru-" + i));
        }
        startAll(threads);
        joinAll(threads);
    }

    /** A HashSet shared without synchronisation (reported on its backing HashMap). */
    static void racyHashSet() throws InterruptedException {
        Set<Integer> set = new HashSet<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            int base = i * WRITES;
            threads.add(new Thread(
                    () -> {
                        for (int j = 0; j < WRITES; j++) {
                            set.add(base + j);
                        }
                    },
                    "set-" + i));
        }
        startAll(threads);
        joinAll(threads);
    }

    static void racyTreeMap() throws InterruptedException {
        racyWriters(new TreeMap<>(), "tree");
    }

    static void racyWeakHashMap() throws InterruptedException {
        racyWriters(new WeakHashMap<>(), "weak");
    }

    static void racyIdentityHashMap() throws InterruptedException {
        racyWriters(new IdentityHashMap<>(), "identity");
    }

    private static void racyWriters(Map<Integer, Integer> map, String name) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            int base = i * WRITES;
            threads.add(new Thread(
                    () -> {
                        for (int j = 0; j < WRITES; j++) {
                            map.put(base + j, j);
                        }
                    },
                    name + "-" + i));
        }
        startAll(threads);
        joinAll(threads);
    }

    // ---- quiet: each must produce no finding ----

    /** Every thread writes its own map. */
    static void quietConfined() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            threads.add(new Thread(
                    () -> {
                        Map<Integer, Integer> own = new HashMap<>();
                        for (int j = 0; j < WRITES; j++) {
                            own.put(j, j);
                        }
                    },
                    "confined-" + i));
        }
        startAll(threads);
        joinAll(threads);
    }

    /** Built by main, handed to a thread by Thread.start, taken back by join, and again. */
    static void quietStartJoin() throws InterruptedException {
        Map<Integer, Integer> map = new HashMap<>();
        map.put(0, 0);
        for (int i = 1; i <= 3; i++) {
            int k = i;
            Thread t = new Thread(() -> map.put(k, k), "handoff-" + i);
            t.start();
            t.join();
            map.put(-k, k);
        }
    }

    /** Handed to pool threads as tasks; results taken back through Future.get. */
    static void quietExecutor() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Map<Integer, Integer> map = new HashMap<>();
            map.put(0, 0);
            for (int i = 1; i <= 6; i++) {
                int k = i;
                Future<?> f = pool.submit(() -> map.put(k, k));
                f.get();
                map.put(-k, k);
            }
            pool.execute(() -> map.put(100, 100));
        } finally {
            pool.shutdown();
            pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** A CompletableFuture chain on the common pool. */
    static void quietCompletableFuture() throws Exception {
        Map<Integer, Integer> map = new HashMap<>();
        map.put(0, 0);
        for (int i = 1; i <= 4; i++) {
            int k = i;
            CompletableFuture.runAsync(() -> map.put(k, k)).get();
            map.put(-k, k);
        }
    }

    /** Built by a producer, passed through a BlockingQueue, written by the consumer. */
    static void quietBlockingQueue() throws InterruptedException {
        for (BlockingQueue<Map<Integer, Integer>> queue : List.<BlockingQueue<Map<Integer, Integer>>>of(
                new LinkedBlockingQueue<>(), new ArrayBlockingQueue<>(4))) {
            Thread producer = new Thread(
                    () -> {
                        try {
                            for (int i = 0; i < 20; i++) {
                                Map<Integer, Integer> m = new HashMap<>();
                                m.put(i, i);
                                queue.put(m);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "producer");
            Thread consumer = new Thread(
                    () -> {
                        try {
                            for (int i = 0; i < 20; i++) {
                                queue.take().put(-i, i);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "consumer");
            consumer.start();
            producer.start();
            producer.join();
            consumer.join();
        }
    }

    /** Built by one thread, published by CountDownLatch.countDown, written after await. */
    static void quietLatch() throws InterruptedException {
        Map<Integer, Integer> map = new HashMap<>();
        CountDownLatch built = new CountDownLatch(1);
        Thread writer = new Thread(
                () -> {
                    try {
                        built.await();
                        map.put(2, 2);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "latch-waiter");
        Thread builder = new Thread(
                () -> {
                    map.put(1, 1);
                    built.countDown();
                },
                "latch-builder");
        writer.start();
        builder.start();
        builder.join();
        writer.join();
    }

    /** Every write under one shared monitor. */
    static void quietSynchronized() throws InterruptedException {
        Map<Integer, Integer> map = new HashMap<>();
        Object lock = new Object();
        sharedWriters("sync", (k) -> {
            synchronized (lock) {
                map.put(k, k);
            }
        });
    }

    /** Every write under synchronized(map). */
    static void quietSynchronizedOnMap() throws InterruptedException {
        Map<Integer, Integer> map = new HashMap<>();
        sharedWriters("syncmap", (k) -> {
            synchronized (map) {
                map.put(k, k);
            }
        });
    }

    /** Collections.synchronizedMap around a HashMap. */
    static void quietSynchronizedMapWrapper() throws InterruptedException {
        Map<Integer, Integer> map = Collections.synchronizedMap(new HashMap<>());
        sharedWriters("wrapper", (k) -> map.put(k, k));
    }

    static void quietReentrantLock() throws InterruptedException {
        Map<Integer, Integer> map = new HashMap<>();
        ReentrantLock lock = new ReentrantLock();
        sharedWriters("relock", (k) -> {
            lock.lock();
            try {
                map.put(k, k);
            } finally {
                lock.unlock();
            }
        });
    }

    static void quietWriteLock() throws InterruptedException {
        Map<Integer, Integer> map = new HashMap<>();
        ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
        sharedWriters("writelock", (k) -> {
            rw.writeLock().lock();
            try {
                map.put(k, k);
            } finally {
                rw.writeLock().unlock();
            }
        });
    }

    static void quietSemaphore() throws InterruptedException {
        Map<Integer, Integer> map = new HashMap<>();
        Semaphore mutex = new Semaphore(1);
        sharedWriters("semaphore", (k) -> {
            mutex.acquireUninterruptibly();
            try {
                map.put(k, k);
            } finally {
                mutex.release();
            }
        });
    }

    private static void sharedWriters(String name, java.util.function.IntConsumer write) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < WRITERS; i++) {
            int base = i * WRITES;
            threads.add(new Thread(
                    () -> {
                        for (int j = 0; j < WRITES; j++) {
                            write.accept(base + j);
                        }
                    },
                    name + "-" + i));
        }
        startAll(threads);
        joinAll(threads);
    }
}
