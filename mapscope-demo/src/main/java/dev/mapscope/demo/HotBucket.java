package dev.mapscope.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A program to profile with {@code mapscope profile}: one shared map with a deliberately hot bucket, and a resize
 * storm beside it.
 *
 * <pre>
 * java -cp mapscope-demo.jar dev.mapscope.demo.HotBucket [--threads 3] [--seconds N]
 * </pre>
 *
 * <ul>
 *   <li>{@code --threads} workers share {@link #COUNTERS}, a {@code HashMap} of 1,024 buckets behind one lock.
 *       Most of their operations go to {@link #HOT_KEYS}: integers {@code 17 + 1024 * i}, whose hash codes are
 *       the values themselves and whose spread hash ({@code h ^ h >>> 16}) leaves them unchanged below 65,536, so
 *       every one of them lands in bucket 17. The rest go to cold keys spread over the table. The map never grows
 *       (at most 512 + 12 entries against a threshold of 768), so bucket 17 stays bucket 17.</li>
 *   <li>One more thread builds fresh {@code HashMap}s from empty to 3,000 entries, again and again: each grows
 *       16 → 32 → ... → 4,096 (nine resizes), and the garbage they leave makes the collector run.</li>
 * </ul>
 *
 * <p>Prints {@code pid <n>} and then {@code ready} once the workers run; nothing more. Runs until killed, or for
 * {@code --seconds}.
 */
public final class HotBucket {
    private HotBucket() {}

    /** The bucket every hot key falls into (table of 1,024 buckets). */
    public static final int HOT = 17;
    /** Keys that all collide in bucket {@link #HOT}: 12 of them, so the bucket becomes a tree bin. */
    static final int[] HOT_KEYS = new int[12];

    static {
        for (int i = 0; i < HOT_KEYS.length; i++) {
            HOT_KEYS[i] = HOT + 1024 * i;
        }
    }

    /** The shared map; every access holds its monitor, so the workers contend but never corrupt it. */
    static final Map<Integer, Long> COUNTERS = new HashMap<>(1024);

    /** Keeps the storm's maps reachable for a moment, so the collector has something to do. */
    static volatile Map<Integer, Integer> lastBuilt;

    public static void main(String[] args) throws InterruptedException {
        int threads = 3;
        long seconds = Long.MAX_VALUE;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--threads" -> threads = Args.positiveInt(args, ++i, "--threads");
                    case "--seconds" -> seconds = Args.positiveInt(args, ++i, "--seconds");
                    default ->
                        throw new IllegalArgumentException(
                                "unknown option '" + args[i] + "'; expected --threads N or --seconds N");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("hot-bucket: " + e.getMessage());
            System.exit(2);
            return;
        }
        long deadline = seconds == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + seconds * 1_000_000_000L;
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> work(deadline), "counter-" + t);
            w.setDaemon(true);
            w.start();
        }
        Thread storm = new Thread(() -> storm(deadline), "resize-storm");
        storm.setDaemon(true);
        storm.start();
        System.out.println("pid " + ProcessHandle.current().pid());
        System.out.println("ready");
        System.out.flush();
        while (System.nanoTime() - deadline < 0) {
            Thread.sleep(Math.max(1, Math.min(1000, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    /** A worker: eight in ten operations count a hot key, the rest read a cold one. */
    static void work(long deadline) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() - deadline < 0) {
            for (int i = 0; i < 1000; i++) {
                if (random.nextInt(10) < 8) {
                    count(HOT_KEYS[random.nextInt(HOT_KEYS.length)]);
                } else {
                    lookUp(random.nextInt(512) * 2 + 1);
                }
            }
        }
    }

    static void count(int key) {
        synchronized (COUNTERS) {
            Long n = COUNTERS.get(key);
            COUNTERS.put(key, n == null ? 1L : n + 1);
        }
    }

    static Long lookUp(int key) {
        synchronized (COUNTERS) {
            Long v = COUNTERS.get(key);
            if (v == null) {
                COUNTERS.put(key, 0L);
            }
            return v;
        }
    }

    /** The resize storm: maps grown from empty to 3,000 entries, one after another, a short pause between. */
    static void storm(long deadline) {
        while (System.nanoTime() - deadline < 0) {
            lastBuilt = build(3000);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static Map<Integer, Integer> build(int entries) {
        Map<Integer, Integer> m = new HashMap<>();
        for (int i = 0; i < entries; i++) {
            m.put(i * 7, i);
        }
        return m;
    }
}
