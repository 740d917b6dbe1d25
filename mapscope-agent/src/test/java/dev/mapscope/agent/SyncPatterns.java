package dev.mapscope.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Exchanger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Phaser;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.StampedLock;

/**
 * Correct programs whose synchronisation tier 2 sees only through the happens-before model of the JMM
 * (monitors, wait/notify, volatiles, atomics, CompletableFuture, StampedLock, Exchanger, Phaser, interrupts,
 * class initialisation), and racy ones that a lockset sampled late could miss. In each correct one the map
 * writes are outside any lock the threads share, so only those edges order them. Run as a main class:
 * {@code SyncPatterns [names...]} (none: all).
 */
public final class SyncPatterns {
    static final int ROUNDS = 20;

    private SyncPatterns() {}

    public static void main(String[] args) throws Exception {
        List<String> names = args.length > 0 ? List.of(args) : all();
        for (String n : names) {
            SyncPatterns.class.getDeclaredMethod(n).invoke(null);
            System.out.println("ran " + n);
        }
        System.out.println("done");
    }

    static List<String> all() {
        List<String> r = new ArrayList<>();
        for (java.lang.reflect.Method m : SyncPatterns.class.getDeclaredMethods()) {
            if ((m.getName().startsWith("racy") || m.getName().startsWith("quiet")) && m.getParameterCount() == 0) {
                r.add(m.getName());
            }
        }
        Collections.sort(r);
        return r;
    }

    private static void runAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** supplyAsync on one pool, thenApplyAsync on another, thenApply, join; each stage and the caller write. */
    static void quietCompletableFutureTwoPools() throws Exception {
        ExecutorService a = Executors.newFixedThreadPool(2);
        ExecutorService b = Executors.newFixedThreadPool(2);
        try {
            for (int r = 0; r < ROUNDS; r++) {
                Map<Integer, Integer> m = new HashMap<>();
                m.put(0, 0);
                Map<Integer, Integer> done = CompletableFuture.supplyAsync(
                                () -> {
                                    m.put(1, 1);
                                    return m;
                                },
                                a)
                        .thenApplyAsync(
                                x -> {
                                    x.put(2, 2);
                                    return x;
                                },
                                b)
                        .thenApply(x -> {
                            x.put(3, 3);
                            return x;
                        })
                        .join();
                done.put(4, 4);
            }
        } finally {
            a.shutdown();
            b.shutdown();
            a.awaitTermination(10, TimeUnit.SECONDS);
            b.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Two threads take turns through wait/notifyAll on a monitor; their map writes are outside it. */
    static void quietWaitNotifyTurns() throws InterruptedException {
        Map<Integer, Integer> m = new HashMap<>();
        Object monitor = new Object();
        int[] turn = {0};
        List<Thread> threads = new ArrayList<>();
        for (int id = 0; id < 2; id++) {
            int me = id;
            threads.add(new Thread(
                    () -> {
                        for (int i = 0; i < ROUNDS; i++) {
                            synchronized (monitor) {
                                while (turn[0] != me) {
                                    try {
                                        monitor.wait();
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            }
                            m.put(me * 1000 + i, i);
                            synchronized (monitor) {
                                turn[0] = 1 - me;
                                monitor.notifyAll();
                            }
                        }
                    },
                    "turns-" + id));
        }
        runAll(threads);
    }

    static volatile Map<Integer, Integer> published;

    /** A map handed over through a volatile field. */
    static void quietVolatileFlag() throws InterruptedException {
        for (int r = 0; r < ROUNDS; r++) {
            published = null;
            Thread producer = new Thread(
                    () -> {
                        Map<Integer, Integer> m = new HashMap<>();
                        m.put(1, 1);
                        published = m;
                    },
                    "volatile-producer");
            Thread consumer = new Thread(
                    () -> {
                        Map<Integer, Integer> m;
                        while ((m = published) == null) {
                            Thread.onSpinWait();
                        }
                        m.put(2, 2);
                    },
                    "volatile-consumer");
            runAll(List.of(consumer, producer));
        }
    }

    /** Filled by a static initializer run in one thread, written later by another that only used the class. */
    static void quietStaticInitializer() throws InterruptedException {
        Object lock = new Object();
        AtomicBoolean used = new AtomicBoolean();
        used.setOpaque(used.getOpaque()); // linked here: no other class is initialised in clinit-a
        Thread init = new Thread(
                () -> {
                    Filled.MAP.size();
                    used.setOpaque(true);
                },
                "clinit-a");
        Thread writer = new Thread(
                () -> {
                    while (!used.getOpaque()) {
                        Thread.onSpinWait(); // an opaque flag is not an edge: only the class's initialisation orders
                        // the writes
                    }
                    synchronized (lock) {
                        Filled.MAP.put(100, 100);
                    }
                },
                "clinit-b");
        runAll(List.of(writer, init));
    }

    static final class Filled {
        static final Map<Integer, Integer> MAP = new HashMap<>();

        static {
            for (int i = 0; i < 10; i++) {
                MAP.put(i, i);
            }
        }
    }

    /** A spin lock on an AtomicBoolean. */
    static void quietAtomicSpinLock() throws InterruptedException {
        AtomicBoolean lock = new AtomicBoolean();
        Map<Integer, Integer> m = new HashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int id = 0; id < 4; id++) {
            int base = id * 1000;
            threads.add(new Thread(
                    () -> {
                        for (int i = 0; i < 100; i++) {
                            while (!lock.compareAndSet(false, true)) {
                                Thread.onSpinWait();
                            }
                            try {
                                m.put(base + i, i);
                            } finally {
                                lock.set(false);
                            }
                        }
                    },
                    "spin-" + id));
        }
        runAll(threads);
    }

    /** A map handed over through an AtomicReference. */
    static void quietAtomicReference() throws InterruptedException {
        AtomicReference<Map<Integer, Integer>> ref = new AtomicReference<>();
        for (int r = 0; r < ROUNDS; r++) {
            ref.set(null);
            Thread producer = new Thread(
                    () -> {
                        Map<Integer, Integer> m = new HashMap<>();
                        m.put(1, 1);
                        ref.set(m);
                    },
                    "atomic-producer");
            Thread consumer = new Thread(
                    () -> {
                        Map<Integer, Integer> m;
                        while ((m = ref.get()) == null) {
                            Thread.onSpinWait();
                        }
                        m.put(2, 2);
                    },
                    "atomic-consumer");
            runAll(List.of(consumer, producer));
        }
    }

    /** Every write under a StampedLock's write lock. */
    static void quietStampedLock() throws InterruptedException {
        StampedLock lock = new StampedLock();
        Map<Integer, Integer> m = new HashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int id = 0; id < 4; id++) {
            int base = id * 1000;
            threads.add(new Thread(
                    () -> {
                        for (int i = 0; i < 100; i++) {
                            long stamp = lock.writeLock();
                            try {
                                m.put(base + i, i);
                            } finally {
                                lock.unlockWrite(stamp);
                            }
                        }
                    },
                    "stamped-" + id));
        }
        runAll(threads);
    }

    /** Two threads swap maps through an Exchanger and write the one they received. */
    static void quietExchanger() throws InterruptedException {
        Exchanger<Map<Integer, Integer>> exchanger = new Exchanger<>();
        List<Thread> threads = new ArrayList<>();
        for (int id = 0; id < 2; id++) {
            int base = id * 1000;
            threads.add(new Thread(
                    () -> {
                        Map<Integer, Integer> m = new HashMap<>();
                        m.put(base, 0);
                        try {
                            for (int i = 0; i < ROUNDS; i++) {
                                m = exchanger.exchange(m);
                                m.put(base + i, i);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "exchanger-" + id));
        }
        runAll(threads);
    }

    /** Two parties write in alternate phases of a Phaser. */
    static void quietPhaser() throws InterruptedException {
        Phaser phaser = new Phaser(2);
        Map<Integer, Integer> m = new HashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int id = 0; id < 2; id++) {
            int me = id;
            threads.add(new Thread(
                    () -> {
                        for (int i = 0; i < ROUNDS; i++) {
                            if (i % 2 == me) {
                                m.put(i, i);
                            }
                            phaser.arriveAndAwaitAdvance();
                        }
                    },
                    "phaser-" + id));
        }
        runAll(threads);
    }

    /** Maps handed over through a Vector (a JDK class synchronised by its monitor). */
    static void quietVector() throws InterruptedException {
        Vector<Map<Integer, Integer>> handed = new Vector<>();
        Thread producer = new Thread(
                () -> {
                    for (int i = 0; i < ROUNDS; i++) {
                        Map<Integer, Integer> m = new HashMap<>();
                        m.put(i, i);
                        handed.add(m);
                    }
                },
                "vector-producer");
        Thread consumer = new Thread(
                () -> {
                    int got = 0;
                    while (got < ROUNDS) {
                        if (handed.size() > got) {
                            handed.get(got++).put(-1, 0);
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                },
                "vector-consumer");
        runAll(List.of(consumer, producer));
    }

    /** The interrupted thread writes after it saw the interrupt (an InterruptedException). */
    static void quietInterrupt() throws InterruptedException {
        Map<Integer, Integer> m = new HashMap<>();
        Thread sleeper = new Thread(
                () -> {
                    try {
                        Thread.sleep(600_000);
                    } catch (InterruptedException e) {
                        m.put(2, 2);
                    }
                },
                "interrupted");
        sleeper.start();
        m.put(1, 1);
        sleeper.interrupt();
        sleeper.join();
    }

    /**
     * A RecursiveTask tree on its own pool, fork/join/invoke/invokeAll, each leaf writing under the map's monitor.
     * The invokeAll round is repeated: its second task is often stolen, and the worker that waits for it can learn
     * that it is done while helping, inside ForkJoinPool (the edge the model once missed, about one round in 500
     * on a loaded machine).
     */
    static void quietForkJoin() {
        Map<Integer, Integer> m = new HashMap<>();
        m.put(0, 0);
        ForkJoinPool pool = new ForkJoinPool(3);
        try {
            pool.invoke(new Leaves(m, 4));
            m.put(-1, -1);
            for (int round = 0; round < 10 * ROUNDS; round++) {
                pool.submit(() -> Leaves.invokeAll(new Leaves(m, 2), new Leaves(m, 2)))
                        .join();
                m.put(-2, round);
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Tasks on a ForkJoinPool write under the map's monitor; the submitter writes after awaitTermination. */
    static void quietForkJoinAwaitTermination() throws InterruptedException {
        Map<Integer, Integer> m = new HashMap<>();
        ForkJoinPool pool = new ForkJoinPool(3);
        submitWriters(pool, m);
        pool.shutdown();
        if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the pool did not terminate");
        }
        m.put(-1, -1);
    }

    /** The same ended by ExecutorService.close() (JDK 19+; shutdown and awaitTermination before). */
    static void quietForkJoinClose() throws Exception {
        Map<Integer, Integer> m = new HashMap<>();
        ForkJoinPool pool = new ForkJoinPool(3);
        submitWriters(pool, m);
        try {
            ExecutorService.class.getMethod("close").invoke(pool);
        } catch (NoSuchMethodException e) {
            pool.shutdown();
            if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the pool did not terminate", e);
            }
        }
        m.put(-1, -1);
    }

    /**
     * JDK 21+: tasks of a virtual-thread-per-task executor write under the map's monitor; the owner writes after
     * close() (try-with-resources, the idiom for it). On JDK 17 there is no such executor and nothing runs.
     */
    static void quietVirtualThreadsClose() throws Exception {
        perTaskThenWrite("newVirtualThreadPerTaskExecutor", true);
    }

    /** JDK 21+: the same with platform threads (newThreadPerTaskExecutor), ended by shutdown and awaitTermination. */
    static void quietThreadPerTaskAwaitTermination() throws Exception {
        perTaskThenWrite("newThreadPerTaskExecutor", false);
    }

    private static void perTaskThenWrite(String factoryMethod, boolean close) throws Exception {
        ExecutorService pool;
        try {
            pool = factoryMethod.equals("newThreadPerTaskExecutor")
                    ? (ExecutorService) Executors.class
                            .getMethod(factoryMethod, java.util.concurrent.ThreadFactory.class)
                            .invoke(null, Executors.defaultThreadFactory())
                    : (ExecutorService) Executors.class.getMethod(factoryMethod).invoke(null);
        } catch (NoSuchMethodException e) {
            return; // before JDK 21
        }
        Map<Integer, Integer> m = new HashMap<>();
        submitWriters(pool, m);
        if (close) {
            ExecutorService.class.getMethod("close").invoke(pool);
        } else {
            pool.shutdown();
            if (!pool.awaitTermination(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the executor did not terminate");
            }
        }
        m.put(-1, -1);
    }

    /** A map filled, then published through a CopyOnWriteArrayList; the thread that finds it there writes it. */
    static void quietCopyOnWritePublish() throws InterruptedException {
        publishThrough(new java.util.concurrent.CopyOnWriteArrayList<>());
    }

    /** The same through a ConcurrentLinkedDeque. */
    static void quietLinkedDequePublish() throws InterruptedException {
        publishThrough(new java.util.concurrent.ConcurrentLinkedDeque<>());
    }

    /** The same through a ConcurrentLinkedQueue, found by iterating it (not polled). */
    static void quietLinkedQueueIterationPublish() throws InterruptedException {
        for (int i = 0; i < ROUNDS; i++) {
            publishThrough(new java.util.concurrent.ConcurrentLinkedQueue<>());
        }
    }

    /** The same through a ConcurrentSkipListSet, found by iterating it. */
    static void quietSkipListPublish() throws InterruptedException {
        publishThrough(new java.util.concurrent.ConcurrentSkipListSet<>(
                java.util.Comparator.comparingInt(System::identityHashCode)));
    }

    /** A map published as a value of a ConcurrentSkipListMap; the thread that gets it there writes it. */
    static void quietSkipListMapGet() throws InterruptedException {
        java.util.concurrent.ConcurrentSkipListMap<Integer, Map<Integer, Integer>> box =
                new java.util.concurrent.ConcurrentSkipListMap<>();
        publishThrough(m -> box.put(1, m), () -> box.get(1));
    }

    /** A map published as a value of a ConcurrentHashMap and found by iterating its values(). */
    static void quietConcurrentHashMapIteration() throws InterruptedException {
        java.util.concurrent.ConcurrentHashMap<Integer, Map<Integer, Integer>> box =
                new java.util.concurrent.ConcurrentHashMap<>();
        publishThrough(m -> box.put(1, m), () -> {
            for (Map<Integer, Integer> x : box.values()) {
                return x;
            }
            return null;
        });
    }

    /**
     * Four threads change the value maps of a ConcurrentHashMap inside compute, merge and computeIfPresent, whose
     * functions run under the key's bin lock: the idiom for a per-key aggregate.
     */
    static void quietConcurrentHashMapComputeValues() throws InterruptedException {
        java.util.concurrent.ConcurrentHashMap<Integer, Map<Integer, Integer>> counts =
                new java.util.concurrent.ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int id = 0; id < 4; id++) {
            int me = id;
            threads.add(new Thread(
                    () -> {
                        for (int i = 0; i < 50 * ROUNDS; i++) {
                            int key = i % 4;
                            counts.compute(key, (k, v) -> {
                                Map<Integer, Integer> m = v == null ? new HashMap<>() : v;
                                m.merge(me, 1, Integer::sum);
                                return m;
                            });
                            counts.merge(key + 4, new HashMap<>(Map.of(me, 1)), (old, one) -> {
                                old.merge(me, 1, Integer::sum);
                                return old;
                            });
                            counts.computeIfPresent(key, (k, v) -> {
                                v.put(-1, me);
                                return v;
                            });
                        }
                    },
                    "compute-" + id));
        }
        runAll(threads);
    }

    /** A map filled inside computeIfAbsent's function; the thread that gets it from the map writes it. */
    static void quietConcurrentHashMapComputeIfAbsentPublish() throws InterruptedException {
        java.util.concurrent.ConcurrentHashMap<Integer, Map<Integer, Integer>> box =
                new java.util.concurrent.ConcurrentHashMap<>();
        publishThrough(
                m -> box.computeIfAbsent(1, k -> {
                    Map<Integer, Integer> fresh = new HashMap<>(m);
                    fresh.put(3, 3);
                    return fresh;
                }),
                () -> box.get(1));
    }

    /**
     * Main fills maps and submits them to a SubmissionPublisher; the subscriber writes each one in onNext, on the
     * publisher's executor. After onComplete, main writes them again.
     */
    static void quietSubmissionPublisher() throws InterruptedException {
        List<Map<Integer, Integer>> sent = new ArrayList<>();
        java.util.concurrent.CountDownLatch completed = new java.util.concurrent.CountDownLatch(1);
        try (java.util.concurrent.SubmissionPublisher<Map<Integer, Integer>> publisher =
                new java.util.concurrent.SubmissionPublisher<>()) {
            publisher.subscribe(new java.util.concurrent.Flow.Subscriber<Map<Integer, Integer>>() {
                @Override
                public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(Map<Integer, Integer> m) {
                    m.put(2, 2);
                }

                @Override
                public void onError(Throwable e) {
                    completed.countDown();
                }

                @Override
                public void onComplete() {
                    completed.countDown();
                }
            });
            for (int i = 0; i < 100 * ROUNDS; i++) {
                Map<Integer, Integer> m = new HashMap<>();
                m.put(1, i);
                sent.add(m);
                publisher.submit(m);
            }
        }
        completed.await();
        for (Map<Integer, Integer> m : sent) {
            m.put(3, 3);
        }
    }

    /** Main and AWT's event dispatch thread take turns writing a map through EventQueue.invokeAndWait. */
    static void quietEventQueueInvokeAndWait() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            Map<Integer, Integer> m = new HashMap<>();
            m.put(1, i);
            java.awt.EventQueue.invokeAndWait(() -> m.put(2, 2));
            m.put(3, 3);
        }
    }

    /**
     * A hand-off built on fences, as the Disruptor's sequences are: main fills a map, a release fence, a plain
     * store of it; the receiver spins on plain loads, an acquire fence after each, and writes what it found.
     */
    static void quietFenceHandOff() throws InterruptedException {
        for (int i = 0; i < ROUNDS; i++) {
            FenceSlot slot = new FenceSlot();
            Thread receiver = new Thread(
                    () -> {
                        Map<Integer, Integer> got;
                        while ((got = slot.take()) == null) {
                            Thread.onSpinWait();
                        }
                        got.put(2, 2);
                    },
                    "fence-receiver");
            receiver.start();
            Map<Integer, Integer> m = new HashMap<>();
            m.put(1, 1);
            slot.publish(m);
            receiver.join();
        }
    }

    static final class FenceSlot {
        private Map<Integer, Integer> value;

        void publish(Map<Integer, Integer> m) {
            java.lang.invoke.VarHandle.releaseFence();
            value = m;
        }

        Map<Integer, Integer> take() {
            Map<Integer, Integer> m = value;
            java.lang.invoke.VarHandle.acquireFence();
            return m;
        }
    }

    /**
     * Main waits by polling instead of blocking: a latch's getCount(), a semaphore's availablePermits(), a thread's
     * getState() and a pool's getCompletedTaskCount() each read what the other thread wrote last (a synchronizer's
     * volatile state, the thread's termination, a worker's volatile count), so the worker's write is ordered
     * before main's.
     */
    static void quietPolledCounts() throws InterruptedException {
        java.util.concurrent.ThreadPoolExecutor pool = (java.util.concurrent.ThreadPoolExecutor)
                Executors.newFixedThreadPool(1, r -> new Thread(r, "polled-pool"));
        for (int i = 0; i < ROUNDS; i++) {
            Map<Integer, Integer> a = new HashMap<>();
            java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
            new Thread(
                            () -> {
                                a.put(1, 1);
                                latch.countDown();
                            },
                            "polled-latch")
                    .start();
            while (latch.getCount() > 0) {
                Thread.onSpinWait();
            }
            a.put(2, 2);
            Map<Integer, Integer> b = new HashMap<>();
            java.util.concurrent.Semaphore done = new java.util.concurrent.Semaphore(0);
            new Thread(
                            () -> {
                                b.put(1, 1);
                                done.release();
                            },
                            "polled-semaphore")
                    .start();
            while (done.availablePermits() == 0) {
                Thread.onSpinWait();
            }
            b.put(2, 2);
            Map<Integer, Integer> c = new HashMap<>();
            Thread t = new Thread(() -> c.put(1, 1), "polled-state");
            t.start();
            while (t.getState() != Thread.State.TERMINATED) {
                Thread.onSpinWait();
            }
            c.put(2, 2);
            Map<Integer, Integer> d = new HashMap<>();
            long before = pool.getCompletedTaskCount();
            pool.execute(() -> d.put(1, 1));
            while (pool.getCompletedTaskCount() == before) {
                Thread.onSpinWait();
            }
            d.put(2, 2);
        }
        pool.shutdown();
    }

    /**
     * A parallel stream grouped with groupingByConcurrent into per-group HashMaps by a collector of the program's
     * own: the JDK accumulates into each group's container under that container's monitor, from every worker.
     */
    static void quietGroupingByConcurrent() {
        for (int round = 0; round < ROUNDS / 2; round++) {
            java.util.concurrent.ConcurrentMap<Integer, Map<Integer, Integer>> groups =
                    java.util.stream.IntStream.range(0, 20_000)
                            .boxed()
                            .parallel()
                            .collect(java.util.stream.Collectors.groupingByConcurrent(
                                    i -> i % 3,
                                    java.util.stream.Collector.of(
                                            HashMap<Integer, Integer>::new, SyncPatterns::countInto, (x, y) -> {
                                                y.forEach((k, v) -> x.merge(k, v, Integer::sum));
                                                return x;
                                            })));
            groups.get(0).put(-1, -1);
        }
    }

    private static void countInto(Map<Integer, Integer> counts, Integer i) {
        counts.merge(i % 100, 1, Integer::sum);
    }

    private static void publishThrough(java.util.Collection<Map<Integer, Integer>> box) throws InterruptedException {
        publishThrough(box::add, () -> {
            Map<Integer, Integer> last = null;
            for (Map<Integer, Integer> x : box) { // an iteration finds it
                last = x;
            }
            return last;
        });
    }

    /** Main fills a map and publishes it; a receiver spins until find returns it, then writes it. */
    private static void publishThrough(
            java.util.function.Consumer<Map<Integer, Integer>> publish,
            java.util.function.Supplier<Map<Integer, Integer>> find)
            throws InterruptedException {
        Thread receiver = new Thread(
                () -> {
                    Map<Integer, Integer> got;
                    while ((got = find.get()) == null) {
                        Thread.onSpinWait();
                    }
                    got.put(2, 2);
                },
                "receiver");
        receiver.start();
        Map<Integer, Integer> m = new HashMap<>();
        m.put(1, 1);
        publish.accept(m);
        receiver.join();
    }

    private static void submitWriters(ExecutorService pool, Map<Integer, Integer> m) {
        for (int i = 0; i < ROUNDS; i++) {
            int k = i;
            pool.execute(() -> {
                synchronized (m) { // the tasks share the monitor; the submitter's write is outside it
                    m.put(k, k);
                }
            });
        }
    }

    static final class Leaves extends RecursiveTask<Integer> {
        private final Map<Integer, Integer> map;
        private final int depth;

        Leaves(Map<Integer, Integer> map, int depth) {
            this.map = map;
            this.depth = depth;
        }

        @Override
        protected Integer compute() {
            if (depth == 0) {
                synchronized (map) { // leaves run in parallel; the submitter's writes are outside this monitor
                    map.put(-100 - System.identityHashCode(this) % 1000, 1);
                }
                return 1;
            }
            Leaves left = new Leaves(map, depth - 1);
            left.fork();
            int right = new Leaves(map, depth - 1).invoke();
            return right + left.join();
        }
    }

    /** Two threads, each synchronized on its own lock object: no edge between them. */
    static void racyOwnMonitors() throws InterruptedException {
        Map<Integer, Integer> m = new HashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int id = 0; id < 2; id++) {
            Object own = new Object();
            int base = id * 1000;
            threads.add(new Thread(
                    () -> {
                        for (int i = 0; i < 100; i++) {
                            synchronized (own) {
                                m.put(base + i, i);
                            }
                        }
                    },
                    "own-monitor-" + id));
        }
        runAll(threads);
    }

    /**
     * Two threads take a map out of a ConcurrentHashMap with computeIfAbsent and merge into it outside the map's
     * lock, taking turns told by an opaque flag (not an edge): no write is ordered after the other thread's.
     */
    static void racyComputeIfAbsentThenMerge() throws InterruptedException {
        java.util.concurrent.ConcurrentHashMap<Integer, Map<Integer, Integer>> byKey =
                new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger turn = new java.util.concurrent.atomic.AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int id = 0; id < 2; id++) {
            int me = id;
            threads.add(new Thread(
                    () -> {
                        for (int mine = me; mine < 8; mine += 2) { // turns alternate: the race repeats
                            while (turn.getOpaque() != mine) {
                                Thread.onSpinWait();
                            }
                            byKey.computeIfAbsent(1, k -> new HashMap<>()).merge(mine, 1, Integer::sum);
                            turn.setOpaque(mine + 1);
                        }
                    },
                    "outside-compute-" + id));
        }
        runAll(threads);
    }

    /** Two Runnables, each writing under synchronized (this): two different monitors. */
    static void racySynchronizedThis() throws InterruptedException {
        Map<Integer, Integer> m = new HashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int id = 0; id < 2; id++) {
            threads.add(new Thread(new SelfLocked(m, id * 1000), "self-locked-" + id));
        }
        runAll(threads);
    }

    static final class SelfLocked implements Runnable {
        private final Map<Integer, Integer> map;
        private final int base;

        SelfLocked(Map<Integer, Integer> map, int base) {
            this.map = map;
            this.base = base;
        }

        @Override
        public void run() {
            for (int i = 0; i < 100; i++) {
                synchronized (this) {
                    map.put(base + i, i);
                }
            }
        }
    }
}
