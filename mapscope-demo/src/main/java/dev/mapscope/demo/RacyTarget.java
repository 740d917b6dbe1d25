package dev.mapscope.demo;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A long-running program to attach to: every period, a few threads write one fresh, shared {@code HashMap}
 * without a lock, until the process is killed (or {@code --max-seconds} have passed, so that a crashed test
 * leaves no process behind).
 *
 * <pre>
 * java -cp mapscope-demo.jar dev.mapscope.demo.RacyTarget [--period-ms 200] [--threads 4] [--max-seconds N]
 * </pre>
 *
 * <p>Prints {@code pid <n>} and then {@code ready} once the first round has run, each on its own line, then
 * nothing more: the target's own output never gets in the way of what an attached mapscope prints.
 */
public final class RacyTarget {
    private RacyTarget() {}

    /** The map every round races on; read by nobody, which is the point: only the agent sees the race. */
    static volatile Map<Integer, Integer> sessions;

    public static void main(String[] args) throws InterruptedException {
        int periodMs = 200;
        int threads = 4;
        long maxSeconds = Long.MAX_VALUE;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--period-ms" -> periodMs = Args.positiveInt(args, ++i, "--period-ms");
                    case "--threads" -> threads = Math.max(2, Args.positiveInt(args, ++i, "--threads"));
                    case "--max-seconds" -> maxSeconds = Args.positiveInt(args, ++i, "--max-seconds");
                    default ->
                        throw new IllegalArgumentException("unknown option '" + args[i]
                                + "'; expected --period-ms N, --threads N or --max-seconds N");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("target: " + e.getMessage());
            System.exit(2);
            return;
        }
        long deadline = maxSeconds == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + maxSeconds * 1_000_000_000L;
        System.out.println("pid " + ProcessHandle.current().pid());
        round(threads);
        System.out.println("ready");
        System.out.flush();
        while (System.nanoTime() - deadline < 0) {
            Thread.sleep(periodMs);
            round(threads);
        }
    }

    /** One round: {@code threads} threads put 64 keys each into one new map, released together. */
    static void round(int threads) throws InterruptedException {
        Map<Integer, Integer> map = new HashMap<>();
        sessions = map;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] writers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int base = t * 64;
            writers[t] = new Thread(
                    () -> {
                        try {
                            start.await();
                            for (int k = base; k < base + 64; k++) {
                                recordSession(map, k);
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "session-writer-" + t);
            writers[t].start();
        }
        start.countDown();
        for (Thread w : writers) {
            w.join();
        }
    }

    private static void recordSession(Map<Integer, Integer> map, int key) {
        map.put(key, key * 31);
    }
}
