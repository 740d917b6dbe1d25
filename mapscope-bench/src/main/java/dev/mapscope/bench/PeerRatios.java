package dev.mapscope.bench;

import dev.mapscope.maps.GoLongMap;
import dev.mapscope.maps.GoMap;
import dev.mapscope.maps.RwLockMap;
import dev.mapscope.maps.ShardedMap;
import dev.mapscope.maps.SyncMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;

/**
 * The map library against its peers, measured the way a user outside the project would: a plain {@code main},
 * no JMH, a fresh map every round, the maps of one comparison taking turns round after round in one JVM (so
 * that a burst of load on a shared machine hits both), the median round kept. It prints the table of ratios
 * quoted in docs/PERFORMANCE.md, each with the lowest and highest ratio of a single round beside it.
 *
 * <ul>
 *   <li>{@code GoMap} against {@code HashMap}: 1M distinct random {@code Integer} (then {@code String}) keys
 *       put into a map that grows from its default size, then every key looked up once in random order.</li>
 *   <li>{@code GoLongMap} against {@code HashMap<Long,…>} and {@code GoMap<Long,…>}: the same with {@code long}
 *       keys, growing and presized (the Java side of {@code scripts/bench-gomap.sh}'s comparison with Go).</li>
 *   <li>{@code SyncMap}, {@code ShardedMap} and {@code RwLockMap} against {@code ConcurrentHashMap}: 65,536
 *       {@code Integer} keys put into a fresh map (untimed), then 2 threads each doing 4M operations on uniformly
 *       drawn keys, 90% {@code get} and 10% {@code put} overwriting a present key; throughput of both threads.
 *       Then the same with 256k operations per thread, where what a fresh map costs before it settles counts
 *       sixteen times as much.</li>
 * </ul>
 *
 * <p>Run: {@code mvn -B -ntp -q -pl mapscope-bench -am package -DskipTests}, then
 * {@code java -Xms2g -Xmx2g -cp mapscope-bench/target/benchmarks.jar dev.mapscope.bench.PeerRatios}
 * (optional arguments: rounds, default 15, the first 4 of which are warm-up; a filter, one of {@code go},
 * {@code long}, {@code sync}, {@code all}; and the key types the maps have seen before, {@code fresh} or
 * {@code mixed}). The collector changes the GoMap rows: run it also with {@code -XX:+UseParallelGC}.
 *
 * <p>The key types a map class has seen decide how the JIT compiles its {@code hashCode} and {@code equals}
 * calls: inlined when a call site has seen one or two key classes, a virtual call when it has seen more. A
 * comparison is fair only when all of its maps are in the same state. {@code fresh} (the default) is a
 * plain {@code main}: nothing before the rows calls a map with other keys, and no text is formatted until every
 * row is measured ({@code String.format} alone puts {@code HashMap}'s call sites in the second state, and in an
 * earlier version of this class the header did that to {@code HashMap} and not to the maps of this library).
 * {@code mixed} is an application's state: every map class of the comparisons is first filled and read with
 * four other key types, so that all of them make virtual calls.
 */
public final class PeerRatios {
    static final int GO_KEYS = 1_000_000;
    static final int SYNC_KEYS = 1 << 16;
    static final int SYNC_THREADS = 2;
    static final int SYNC_OPS = 1 << 22;
    static final int SYNC_READ_PERCENT = 90;

    /** Results folded in here so that no lookup can be dropped by the compiler; printed at the end. */
    static long sink;

    private PeerRatios() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String only = args.length > 1 ? args[1] : "all";
        String seen = args.length > 2 ? args[2] : "fresh";
        if (!List.of("go", "long", "sync", "all").contains(only)
                || !List.of("fresh", "mixed").contains(seen)) {
            System.err.println("usage: PeerRatios [rounds] [go|long|sync|all] [fresh|mixed]");
            System.exit(2);
        }
        int warmup = Math.min(4, rounds / 3);
        // Concatenation, not printf: see the class comment.
        System.out.println("PeerRatios: " + rounds + " rounds (" + warmup + " warm-up), keys seen before: " + seen
                + ", Java " + System.getProperty("java.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " processors, heap "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MB, collector " + collector() + ", load average "
                + loadAverage());
        if (seen.equals("mixed")) {
            seeOtherKeys();
        }
        List<Row> rows = new ArrayList<>();
        if (only.equals("all") || only.equals("go")) {
            for (String keyType : List.of("Integer", "String")) {
                Object[] keys = GoMapBenchData.keys(keyType, GO_KEYS, new java.util.Random(7), java.util.Set.of());
                Object[] lookups = keys.clone();
                GoMapBenchData.shuffle(lookups, new java.util.Random(11));
                double[][] go = new double[2][rounds];
                double[][] hm = new double[2][rounds];
                for (int r = 0; r < rounds; r++) {
                    boolean goFirst = (r & 1) == 0;
                    for (int turn = 0; turn < 2; turn++) {
                        boolean isGo = goFirst == (turn == 0);
                        double[] t = putThenGet(isGo ? new GoMap<>() : new HashMap<>(), keys, lookups);
                        (isGo ? go : hm)[0][r] = t[0];
                        (isGo ? go : hm)[1][r] = t[1];
                    }
                }
                rows.add(new Row("GoMap", "HashMap", "1M " + keyType + ", growing, put", go[0], hm[0], warmup));
                rows.add(new Row("GoMap", "HashMap", "1M " + keyType + ", get hit", go[1], hm[1], warmup));
            }
        }
        if (only.equals("all") || only.equals("long")) {
            longRows(rounds, warmup, rows);
        }
        if (only.equals("all") || only.equals("sync")) {
            syncRows(rounds, warmup, rows, SYNC_OPS);
            syncRows(rounds, warmup, rows, SYNC_OPS / 16);
        }
        System.out.println();
        System.out.println("| map | peer | workload | map ns/op (median) | peer ns/op (median) "
                + "| ratio (throughput / peer) | ratio per round (lowest – highest) |");
        System.out.println("|---|---|---|---|---|---|---|");
        rows.forEach(r -> System.out.println(r.format()));
        System.out.printf(Locale.ROOT, "%nload average at the end: %s (sink %d)%n", loadAverage(), sink);
    }

    /**
     * The {@code mixed} state: fills and reads every map class of the comparisons with four key types other than
     * the rows' own, until the JIT has profiled their {@code hashCode} and {@code equals} calls as megamorphic.
     */
    static void seeOtherKeys() {
        for (int rep = 0; rep < 20; rep++) {
            List<Map<Object, Object>> maps = List.of(
                    new GoMap<>(),
                    new HashMap<>(),
                    new SyncMap<>(),
                    new ShardedMap<>(),
                    new RwLockMap<>(),
                    new ConcurrentHashMap<>());
            for (Map<Object, Object> m : maps) {
                for (int j = 0; j < 5_000; j++) {
                    m.put((long) j, j);
                    m.put((double) j, j);
                    m.put(java.time.LocalDate.ofEpochDay(j), j);
                    m.put(List.of(j), j);
                }
                for (int j = 0; j < 5_000; j++) {
                    sink += m.get((long) j) == null ? 0 : 1;
                    sink += m.get((double) j) == null ? 0 : 1;
                    sink += m.get(java.time.LocalDate.ofEpochDay(j)) == null ? 0 : 1;
                    sink += m.get(List.of(j)) == null ? 0 : 1;
                }
            }
        }
    }

    /** Puts every key into {@code m}, then gets every lookup; returns {put ns/op, get ns/op}. */
    static double[] putThenGet(Map<Object, Object> m, Object[] keys, Object[] lookups) {
        long t0 = System.nanoTime();
        for (Object k : keys) {
            m.put(k, k);
        }
        long t1 = System.nanoTime();
        long acc = 0;
        for (Object k : lookups) {
            acc += m.get(k) == k ? 1 : 0;
        }
        long t2 = System.nanoTime();
        if (acc != lookups.length) {
            throw new AssertionError("lookups missed: " + (lookups.length - acc));
        }
        sink += acc;
        return new double[] {(t1 - t0) / (double) keys.length, (t2 - t1) / (double) lookups.length};
    }

    /** GoLongMap against HashMap<Long,…> and GoMap<Long,…>: growing put, get hit, presized put. */
    static void longRows(int rounds, int warmup, List<Row> rows) {
        SplittableRandom random = new SplittableRandom(20_260_526L);
        long[] keys = random.longs().distinct().limit(GO_KEYS).toArray();
        long[] lookups = keys.clone();
        for (int i = lookups.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = lookups[i];
            lookups[i] = lookups[j];
            lookups[j] = t;
        }
        Long[] boxed = Arrays.stream(keys).boxed().toArray(Long[]::new);
        Long[] boxedLookups = Arrays.stream(lookups).boxed().toArray(Long[]::new); // equal copies, as a user's
        String[] names = {"GoLongMap", "HashMap", "GoMap"};
        double[][][] t = new double[3][3][rounds]; // [impl][put growing, get, put presized][round]
        for (int r = 0; r < rounds; r++) {
            for (int turn = 0; turn < 3; turn++) {
                int impl = (turn + r) % 3;
                double[] a;
                double[] b;
                if (impl == 0) {
                    a = putThenGetLong(new GoLongMap<>(), keys, lookups);
                    b = putThenGetLong(new GoLongMap<>(GO_KEYS), keys, lookups);
                } else {
                    Map<Long, Object> grow = impl == 1 ? new HashMap<>() : new GoMap<>();
                    Map<Long, Object> pre =
                            impl == 1 ? new HashMap<>((int) (GO_KEYS / 0.75f) + 1) : new GoMap<>(GO_KEYS);
                    a = putThenGetBoxed(grow, boxed, boxedLookups);
                    b = putThenGetBoxed(pre, boxed, boxedLookups);
                }
                t[impl][0][r] = a[0];
                t[impl][1][r] = a[1];
                t[impl][2][r] = b[0];
            }
        }
        String[] work = {"1M long, growing, put", "1M long, get hit", "1M long, presized, put"};
        for (int peer = 1; peer <= 2; peer++) {
            for (int w = 0; w < 3; w++) {
                rows.add(new Row(names[0], names[peer] + "<Long>", work[w], t[0][w], t[peer][w], warmup));
            }
        }
    }

    static double[] putThenGetLong(GoLongMap<Object> m, long[] keys, long[] lookups) {
        Object v = Boolean.TRUE;
        long t0 = System.nanoTime();
        for (long k : keys) {
            m.put(k, v);
        }
        long t1 = System.nanoTime();
        long acc = 0;
        for (long k : lookups) {
            acc += m.get(k) == v ? 1 : 0;
        }
        long t2 = System.nanoTime();
        if (acc != lookups.length) {
            throw new AssertionError("lookups missed: " + (lookups.length - acc));
        }
        sink += acc;
        return new double[] {(t1 - t0) / (double) keys.length, (t2 - t1) / (double) lookups.length};
    }

    static double[] putThenGetBoxed(Map<Long, Object> m, Long[] keys, Long[] lookups) {
        Object v = Boolean.TRUE;
        long t0 = System.nanoTime();
        for (Long k : keys) {
            m.put(k, v);
        }
        long t1 = System.nanoTime();
        long acc = 0;
        for (Long k : lookups) {
            acc += m.get(k) == v ? 1 : 0;
        }
        long t2 = System.nanoTime();
        if (acc != lookups.length) {
            throw new AssertionError("lookups missed: " + (lookups.length - acc));
        }
        sink += acc;
        return new double[] {(t1 - t0) / (double) keys.length, (t2 - t1) / (double) lookups.length};
    }

    /** SyncMap, ShardedMap, RwLockMap against ConcurrentHashMap, 2 threads, 90% get / 10% overwrite. */
    static void syncRows(int rounds, int warmup, List<Row> rows, int opsPerThread) throws Exception {
        Integer[] keys = new Integer[SYNC_KEYS];
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < SYNC_KEYS; i++) {
            keys[i] = random.nextInt(); // duplicates are harmless: every draw below is of a present key
        }
        Integer[][] seq = new Integer[SYNC_THREADS][opsPerThread];
        boolean[][] reads = new boolean[SYNC_THREADS][opsPerThread];
        for (int t = 0; t < SYNC_THREADS; t++) {
            for (int i = 0; i < opsPerThread; i++) {
                seq[t][i] = keys[random.nextInt(SYNC_KEYS)];
                reads[t][i] = random.nextInt(100) < SYNC_READ_PERCENT;
            }
        }
        String[] names = {"ConcurrentHashMap", "SyncMap", "ShardedMap", "RwLockMap"};
        double[][] ns = new double[names.length][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int turn = 0; turn < names.length; turn++) {
                int impl = (turn + r) % names.length;
                Map<Integer, Integer> m = switch (impl) {
                    case 0 -> new ConcurrentHashMap<>();
                    case 1 -> new SyncMap<>();
                    case 2 -> new ShardedMap<>();
                    default -> new RwLockMap<>();
                };
                for (Integer k : keys) {
                    m.put(k, k);
                }
                ns[impl][r] = runThreads(m, seq, reads);
            }
        }
        for (int i = 1; i < names.length; i++) {
            rows.add(new Row(
                    names[i],
                    names[0],
                    SYNC_THREADS + " threads, 90% get / 10% overwrite, 65,536 Integer keys, " + (opsPerThread >> 10)
                            + "k ops per thread on a fresh map",
                    ns[i],
                    ns[0],
                    warmup));
        }
    }

    /** Runs the threads' sequences on {@code m}; returns ns per operation of all threads together (wall time). */
    static double runThreads(Map<Integer, Integer> m, Integer[][] seq, boolean[][] reads) throws Exception {
        int n = seq.length;
        CyclicBarrier start = new CyclicBarrier(n + 1);
        CyclicBarrier end = new CyclicBarrier(n + 1);
        long[] acc = new long[n * 16]; // one cache line per thread
        Thread[] ts = new Thread[n];
        for (int t = 0; t < n; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                try {
                    start.await();
                    Integer[] ks = seq[id];
                    boolean[] rs = reads[id];
                    long a = 0;
                    for (int i = 0; i < ks.length; i++) {
                        Integer k = ks[i];
                        Integer v = rs[i] ? m.get(k) : m.put(k, k);
                        a += v == null ? 1 : v;
                    }
                    acc[id * 16] = a;
                    end.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ts[t].start();
        }
        start.await();
        long t0 = System.nanoTime();
        end.await();
        long t1 = System.nanoTime();
        for (Thread t : ts) {
            t.join();
        }
        for (int t = 0; t < n; t++) {
            sink += acc[t * 16];
        }
        return (t1 - t0) / (double) (n * (long) seq[0].length);
    }

    static double median(double[] v, int skip) {
        double[] s = Arrays.copyOfRange(v, skip, v.length);
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /**
     * One table row, formatted only when every row is measured: the ratio of the medians, and beside it the lowest
     * and highest ratio of a single round (the two maps' times in the same round), so that a reader sees how far
     * one round strays on this machine.
     */
    record Row(String map, String peer, String work, double[] mapNs, double[] peerNs, int skip) {
        String format() {
            double a = median(mapNs, skip);
            double b = median(peerNs, skip);
            double low = Double.MAX_VALUE;
            double high = 0;
            for (int r = skip; r < mapNs.length; r++) {
                double ratio = peerNs[r] / mapNs[r];
                low = Math.min(low, ratio);
                high = Math.max(high, ratio);
            }
            return String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %.1f | %.1f | %.2f× | %.2f – %.2f |",
                    map,
                    peer,
                    work,
                    a,
                    b,
                    b / a,
                    low,
                    high);
        }
    }

    /** The collector in use, named from its memory managers (G1, Parallel, Serial, ZGC, Shenandoah). */
    static String collector() {
        String names = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName)
                .collect(java.util.stream.Collectors.joining(", "));
        if (names.contains("G1")) {
            return "G1";
        }
        if (names.contains("PS ")) {
            return "Parallel";
        }
        if (names.contains("Copy") || names.contains("MarkSweepCompact")) {
            return "Serial";
        }
        return names.isEmpty() ? "unknown" : names; // "ZGC Cycles, ZGC Pauses", "Shenandoah Cycles, ..."
    }

    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
