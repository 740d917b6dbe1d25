package dev.mapscope.agent;

import dev.mapscope.agent.boot.profile.ProfileGate;
import dev.mapscope.agent.boot.profile.ProfileSink;
import dev.mapscope.maps.GoMap;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The programs the map profile is judged by, run as a main class in a JVM with the agent:
 * {@code ProfileTarget names...}; a name {@code wait} prints {@code ready} and reads a line from stdin.
 * Every map is made on a line of its own so that its site ({@code ProfileTarget.java:LINE}) names it.
 */
public final class ProfileTarget {
    /** the bucket every {@link Hot} key falls into, in a table of 32 buckets or more */
    static final int HOT_BUCKET = 17;

    static volatile Object sink;

    private ProfileTarget() {}

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String n : args) {
            if (n.equals("wait")) {
                System.out.println("ready");
                System.out.flush();
                in.readLine();
            } else {
                ProfileTarget.class.getDeclaredMethod(n).invoke(null);
                System.out.println("ran " + n);
                System.out.flush();
            }
        }
        System.out.println("done");
    }

    /** A key whose hash is always {@link #HOT_BUCKET}: all of them collide in one bucket. */
    static final class Hot {
        final int id;

        Hot(int id) {
            this.id = id;
        }

        @Override
        public int hashCode() {
            return HOT_BUCKET;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Hot && ((Hot) o).id == id;
        }
    }

    /** 512 spread keys and 8 colliding ones; 80% of the lookups go to the colliding ones. */
    static void hotBucket() {
        Map<Object, Integer> m = new HashMap<>();
        Hot[] hot = new Hot[8];
        for (int i = 0; i < 512; i++) {
            m.put(i + 1000, i);
        }
        for (int i = 0; i < hot.length; i++) {
            hot[i] = new Hot(i);
            m.put(hot[i], i);
        }
        SplittableRandom r = new SplittableRandom(7);
        long sum = 0;
        for (int i = 0; i < 400_000; i++) {
            int x = r.nextInt(100);
            Integer v = x < 80 ? m.get(hot[x & 7]) : m.get(1000 + r.nextInt(512));
            sum += v == null ? 0 : v;
        }
        sink = sum;
    }

    /**
     * A garbage collection inside the recording, so that its JFR events are there whatever the heap's size
     * and what start-up allocated (without it, whether the workload filled the young generation decided).
     */
    static void gc() {
        System.gc();
    }

    /** A HashMap grows from 16 to 65,536 buckets: twelve doublings. */
    static void grow() {
        Map<Integer, Integer> g = new HashMap<>();
        for (int i = 0; i < 40_000; i++) {
            g.put(i, i);
        }
        sink = g;
    }

    /** A GoMap grows to 1024 buckets, each growth evacuated by the writes after it. */
    static void goGrow() {
        Map<Integer, Integer> g = new GoMap<>();
        for (int i = 0; i < 6_000; i++) {
            g.put(i, i);
        }
        sink = g;
    }

    /** One key of a GoMap, read and written: its reads and writes must land in one bucket. */
    static void goHotKey() {
        Map<Integer, Integer> g = new GoMap<>();
        for (int i = 0; i < 1000; i++) {
            g.put(i, i);
        }
        for (int i = 0; i < 200_000; i++) {
            g.put(77, i);
            g.get(77);
        }
        sink = g;
    }

    /** A ConcurrentHashMap grows: ConcurrentHashMap.transfer. */
    static void concurrentGrow() {
        Map<Integer, Integer> c = new ConcurrentHashMap<>();
        for (int i = 0; i < 20_000; i++) {
            c.put(i, i);
        }
        sink = c;
    }

    /**
     * Two threads take strict turns (a lock and a turn variable) writing colliding keys into one HashMap:
     * every write is to the same bucket as the other thread's write just before it.
     */
    static void sameBucket() throws InterruptedException {
        Map<Object, Integer> shared = new HashMap<>();
        Object lock = new Object();
        int[] turn = {0};
        Thread[] writers = new Thread[2];
        for (int w = 0; w < 2; w++) {
            int me = w;
            writers[w] = new Thread(
                    () -> {
                        for (int i = 0; i < 500; i++) {
                            synchronized (lock) {
                                while (turn[0] != me) {
                                    try {
                                        lock.wait();
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                                shared.put(new Hot(me * 1000 + (i & 15)), i);
                                turn[0] = 1 - me;
                                lock.notifyAll();
                            }
                        }
                    },
                    "writer-" + (char) ('a' + w));
        }
        for (Thread t : writers) {
            t.start();
        }
        for (Thread t : writers) {
            t.join();
        }
        sink = shared;
    }

    /**
     * Prints how many operations reached the profile's boot class while it was switched on by hand, with a
     * sink that counts: 0 unless some map still carries the profile's advice.
     */
    static void adviceCalls() {
        AtomicLong calls = new AtomicLong();
        ProfileSink counting = new ProfileSink() {
            @Override
            public void sample(Object map, int family, int op, int bucket, int capacity) {
                calls.incrementAndGet();
            }

            @Override
            public void sharedWrite(
                    Object map,
                    int family,
                    int op,
                    int bucket,
                    int capacity,
                    Thread previousWriter,
                    Thread sameBucket,
                    long gapNanos) {
                calls.incrementAndGet();
            }

            @Override
            public void resize(
                    Object map, int kind, int oldCapacity, int newCapacity, long startNanos, long durationNanos) {
                calls.incrementAndGet();
            }
        };
        ProfileGate.start(counting, 1, 1000);
        Map<Integer, Integer> h = new HashMap<>();
        Map<Integer, Integer> c = new ConcurrentHashMap<>();
        Map<Integer, Integer> g = new GoMap<>();
        for (int i = 0; i < 1000; i++) {
            h.put(i, i);
            c.put(i, i);
            g.put(i, i);
            h.get(i);
        }
        long ops = ProfileGate.operations();
        ProfileGate.stop();
        System.out.println("advice calls " + calls.get() + " operations " + ops);
    }

    /** The same on a ConcurrentHashMap, without a lock. */
    static void concurrentSameBucket() throws InterruptedException {
        Map<Object, Integer> shared = new ConcurrentHashMap<>();
        Thread[] writers = new Thread[2];
        for (int w = 0; w < 2; w++) {
            int base = w * 1000;
            writers[w] = new Thread(
                    () -> {
                        for (int i = 0; i < 20_000; i++) {
                            shared.put(new Hot(base + (i & 15)), i);
                        }
                    },
                    "chm-writer-" + (char) ('a' + w));
        }
        for (Thread t : writers) {
            t.start();
        }
        for (Thread t : writers) {
            t.join();
        }
        sink = shared;
    }
}
