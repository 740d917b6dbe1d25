package dev.mapscope.demo;

import dev.mapscope.maps.GoMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * The map-writing program of the article mapscope follows (a Chinese handbook on Go's concurrent map writes), kept running so that {@code mapscope probe} and {@code mapscope inspect}
 * can be tried on it the way the article tries delve: several threads write one shared map without a lock.
 *
 * <pre>
 * java -cp mapscope-demo.jar:mapscope-maps.jar dev.mapscope.demo.DelveTarget [--threads 4] [--period-ms 200]
 *     [--max-seconds N]
 * </pre>
 *
 * <p>The keys are {@code Integer}s, whose hash is the number itself, so every bucket can be worked out by hand:
 * {@code HashMap} spreads a hash {@code h} as {@code h ^ (h >>> 16)}, which leaves numbers below 65,536 alone,
 * and a table of 2^n buckets puts key {@code k} in bucket {@code k & (2^n - 1)}.
 *
 * <ul>
 *   <li>{@link #BALANCES}: 100 accounts in a table of 256 buckets. 60 keys (2, 4, ..., 120) fall one per bucket; the other 40
 *       ({@code 17 + 256·j}) all fall in bucket 17, which therefore holds 40% of the entries (and, having more
 *       than 8, became a tree bin). Every writer keeps updating every account: the puts never add a key, so
 *       the table never changes shape, but two writers often touch bucket 17 within a millisecond.</li>
 *   <li>{@code ledger}: a fresh map each round, filled by all writers at once, so it grows from 16 to 2048
 *       buckets (seven resizes) every round, racing (the program of the article's chapter 1).</li>
 *   <li>{@link #GO_BALANCES}: the same accounts in a {@link GoMap} (written under its own lock, because GoMap
 *       throws Go's {@code concurrent map writes} otherwise), for the tophash view of {@code inspect}; and
 *       {@link #goLedger}, a GoMap refilled slowly each round, so that it is often caught mid-growth.</li>
 * </ul>
 *
 * <p>Prints {@code pid <n>}, then {@code ready} once every map is filled, then one line per map naming its
 * field, then nothing more.
 */
public final class DelveTarget {
    private DelveTarget() {}

    /** Capacity the 100 accounts settle in: 100 > 0.75 × 128, so HashMap grew to 256. */
    static final int TABLE = 256;
    /** The bucket that the colliding keys share. */
    static final int HOT_BUCKET = 17;
    /** Accounts in the hot bucket, and in all. */
    static final int HOT_KEYS = 40;

    static final int ACCOUNTS = 100;

    /** The shared account map; written by every writer without a lock, read by nobody. */
    public static final Map<Integer, Long> BALANCES = new HashMap<>();

    /** The same accounts in Go's map; every write holds the map's monitor. */
    public static final GoMap<Integer, Long> GO_BALANCES = new GoMap<>();

    /** Rebuilt every round by all writers at once (racy): its resizes are what `probe --on resize` sees. */
    static volatile Map<Integer, Long> ledger = new HashMap<>();

    /** Refilled a key at a time every round under its monitor: often between two sizes (Go's incremental growth). */
    static volatile GoMap<Integer, Long> goLedger = new GoMap<>();

    /** Accounts closed so far: none in this demo, so it stays null (what `inspect` says of a null field). */
    static Map<Integer, Long> closedAccounts;

    /**
     * The keys of {@link #BALANCES}: 17, 273, 529, ... (17 + 256j, all in bucket 17), then the even numbers
     * 2, 4, ..., 120, each alone in the bucket of its own number (17 is odd, so none of them joins it).
     */
    static int[] accountKeys() {
        int[] keys = new int[ACCOUNTS];
        int n = 0;
        for (int j = 0; j < HOT_KEYS; j++) {
            keys[n++] = HOT_BUCKET + TABLE * j;
        }
        for (int k = 2; n < ACCOUNTS; k += 2) {
            keys[n++] = k;
        }
        return keys;
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = 4;
        int periodMs = 200;
        long maxSeconds = Long.MAX_VALUE;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--threads" -> threads = Math.max(2, Args.positiveInt(args, ++i, "--threads"));
                    case "--period-ms" -> periodMs = Args.positiveInt(args, ++i, "--period-ms");
                    case "--max-seconds" -> maxSeconds = Args.positiveInt(args, ++i, "--max-seconds");
                    default ->
                        throw new IllegalArgumentException("unknown option '" + args[i]
                                + "'; expected --threads N, --period-ms N or --max-seconds N");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("target: " + e.getMessage());
            System.exit(2);
            return;
        }
        long deadline = maxSeconds == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + maxSeconds * 1_000_000_000L;
        int[] keys = accountKeys();
        for (int k : keys) {
            BALANCES.put(k, 0L);
            GO_BALANCES.put(k, 0L);
        }
        System.out.println("pid " + ProcessHandle.current().pid());
        System.out.println("ready");
        String cls = DelveTarget.class.getName();
        System.out.println("  " + cls + ".BALANCES     HashMap, " + ACCOUNTS + " accounts, " + HOT_KEYS
                + " of them in bucket " + HOT_BUCKET + " (keys 17, 273, 529, ... = 17 + 256j)");
        System.out.println(
                "  " + cls + ".ledger       HashMap rebuilt every " + periodMs + " ms by all writers (resizes)");
        System.out.println("  " + cls + ".GO_BALANCES  GoMap, the same accounts");
        System.out.println("  " + cls + ".goLedger     GoMap refilled every round (often mid-growth)");
        System.out.flush();

        Thread[] writers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int self = t;
            int count = threads;
            writers[t] = new Thread(() -> write(self, count, keys, deadline), "writer-" + t);
            writers[t].setDaemon(true);
            writers[t].start();
        }
        while (System.nanoTime() - deadline < 0) {
            Thread.sleep(periodMs);
            ledger = new HashMap<>();
            goLedger = new GoMap<>();
        }
    }

    /**
     * One writer: every 2 ms, updates every account (in the same order as the other writers, so that they meet
     * in bucket 17), adds a few keys to the current ledger, and one to the Go ledger. About 50,000 puts a second
     * per writer, which leaves most of a core idle.
     */
    private static void write(int self, int writers, int[] keys, long deadline) {
        long round = 0;
        while (System.nanoTime() - deadline < 0) {
            round++;
            for (int k : keys) {
                deposit(BALANCES, k, round);
            }
            synchronized (GO_BALANCES) {
                GO_BALANCES.put(keys[(int) (round % keys.length)], round);
            }
            Map<Integer, Long> l = ledger;
            for (int i = 0; i < 4; i++) {
                l.put((int) (((round * 4 + i) * writers + self) % 1024), round);
            }
            GoMap<Integer, Long> g = goLedger;
            synchronized (g) {
                g.put((int) (round * writers + self), round);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }

    /** The map write that the walkthrough puts its breakpoint on. */
    static void deposit(Map<Integer, Long> balances, int account, long amount) {
        balances.put(account, amount);
    }
}
