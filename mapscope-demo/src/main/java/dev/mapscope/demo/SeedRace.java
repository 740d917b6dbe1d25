package dev.mapscope.demo;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The seed program of the article mapscope follows (a Chinese handbook on Go's concurrent map writes,
 * "Go map并发写调试圣经"): N threads each write their own keys into one shared map, with no lock.
 *
 * <pre>
 * java -cp mapscope-demo.jar dev.mapscope.demo.SeedRace [--threads 10] [--writes 1] [--map hashmap|gomap] [--yield]
 * </pre>
 *
 * <p>The last line of the output is one JSON object that {@code mapscope repro} reads, for example
 * {@code {"program":"seed","map":"HashMap","threads":10,"writes":1,"expected":10,"present":9,"size":10,"lost":1,
 * "error":null,"checkError":null}}. {@code lost} counts keys that were written but cannot be found afterwards;
 * {@code error} is the message of the first exception or error a writer threw (GoMap throws
 * {@code concurrent map writes}), or {@code null}; {@code checkError} says why reading the map back failed.
 * Exit status 0 whatever happened to the map, 2 for a bad argument.
 */
public final class SeedRace {
    /*
     * Every writer waits on one latch and all are released together: starting a Java thread takes tens of
     * microseconds, far longer than one put, so without the latch the writes would almost never overlap and
     * the experiment would only measure thread start-up. Keys are distinct (thread i writes i*writes+w), so
     * any key missing at the end was lost by the race, not overwritten by another writer.
     */

    private SeedRace() {}

    public static void main(String[] args) throws InterruptedException {
        int threads = 10;
        int writes = 1;
        MapChoice choice = MapChoice.HASHMAP;
        boolean yield = false;
        Map<Integer, Integer> map;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--threads" -> threads = Args.positiveInt(args, ++i, "--threads");
                    case "--writes" -> writes = Args.positiveInt(args, ++i, "--writes");
                    case "--map" -> choice = MapChoice.parse(Args.value(args, ++i, "--map"));
                    case "--yield" -> yield = true;
                    default ->
                        throw new IllegalArgumentException("unknown option '" + args[i]
                                + "'; expected --threads N, --writes N, --map hashmap|gomap or --yield");
                }
            }
            map = choice.create();
        } catch (IllegalArgumentException e) {
            System.err.println("seed: " + e.getMessage());
            System.exit(2);
            return;
        }

        Result result = race(map, threads, writes, yield);
        System.out.printf(
                "%d threads wrote %d distinct keys into one %s%s: %d present, %d lost%s%s%n",
                threads,
                result.expected,
                choice.displayName(),
                yield ? " (Thread.yield() before each write)" : "",
                result.present,
                result.lost(),
                result.error == null ? "" : ", error: " + result.error,
                result.checkError == null ? "" : "; " + result.checkError);
        System.out.println(result.toJson(choice, threads, writes));
    }

    /** Runs the writers to completion and counts what is left in {@code map}. */
    static Result race(Map<Integer, Integer> map, int threads, int writes, boolean yield) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        Thread[] writers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int first = t * writes;
            writers[t] = new Thread(
                    () -> {
                        try {
                            start.await();
                            for (int w = 0; w < writes; w++) {
                                if (yield) {
                                    Thread.yield();
                                }
                                map.put(first + w, first + w);
                            }
                        } catch (Throwable e) {
                            // GoMap's "concurrent map writes" is an Error; in Go it ends the process, here the writer
                            // stops.
                            firstError.compareAndSet(null, e);
                        }
                    },
                    "writer-" + t);
            writers[t].start();
        }
        start.countDown();
        for (Thread w : writers) {
            w.join();
        }
        int expected = threads * writes;
        Throwable e = firstError.get();
        String error = e == null ? null : message(e);
        Check check = check(map, expected);
        return new Result(expected, check.present, check.size, error, check.problem);
    }

    /** What reading the map back found: keys present, size(), and why the read failed, if it did. */
    private static final class Check {
        volatile int present;
        volatile int size = -1;
        volatile String problem;
        volatile boolean done;
    }

    /**
     * Reads every key back on a separate thread, given {@link #CHECK_TIMEOUT_MS}: a map corrupted by the race can
     * throw (an index out of bounds in a torn table) or loop forever (a cycle in a chain), and either is a result
     * of the experiment, not a reason for it to fail.
     */
    private static Check check(Map<Integer, Integer> map, int expected) throws InterruptedException {
        Check c = new Check();
        Thread reader = new Thread(
                () -> {
                    try {
                        int present = 0;
                        for (int k = 0; k < expected; k++) {
                            if (map.containsKey(k)) {
                                present++;
                            }
                            c.present = present;
                        }
                        c.size = map.size();
                    } catch (Throwable t) {
                        c.problem = "reading the map back failed: "
                                + t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
                    }
                    c.done = true;
                },
                "check");
        reader.setDaemon(true);
        reader.start();
        reader.join(CHECK_TIMEOUT_MS);
        if (!c.done) {
            c.problem = "reading the map back did not finish within " + CHECK_TIMEOUT_MS / 1000 + " s (a corrupted"
                    + " chain can loop forever)";
        }
        return c;
    }

    /** How long reading the map back may take; a healthy map of a million keys takes well under a second. */
    static final long CHECK_TIMEOUT_MS = 10_000;

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }

    /**
     * @param present keys found when reading back (up to where reading stopped, if it failed)
     * @param size    {@code map.size()}, or -1 when reading back failed
     * @param error   the first writer's exception message, or {@code null}
     * @param checkError why reading the map back failed, or {@code null}
     */
    record Result(int expected, int present, int size, String error, String checkError) {
        int lost() {
            return expected - present;
        }

        String toJson(MapChoice choice, int threads, int writes) {
            return "{\"program\":\"seed\",\"map\":\"" + choice.displayName() + "\",\"threads\":" + threads
                    + ",\"writes\":" + writes + ",\"expected\":" + expected + ",\"present\":" + present
                    + ",\"size\":" + size + ",\"lost\":" + lost() + ",\"error\":" + Args.jsonString(error)
                    + ",\"checkError\":" + Args.jsonString(checkError) + "}";
        }
    }
}
