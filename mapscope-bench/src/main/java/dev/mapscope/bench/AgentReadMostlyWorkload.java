package dev.mapscope.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A read-mostly service as a whole process: lookup tables (a {@code HashMap}, a {@code LinkedHashMap}, a
 * {@code TreeMap}, 50,000 entries each) built by the main thread, then only read by THREADS threads started
 * after them: lookups (hits and misses), an iteration of a small table every 1,000 lookups, ROUNDS rounds.
 * Prints the wall time and the process CPU time per round of the last half of the rounds (CPU time is what
 * a loaded machine disturbs least), and the CPU time of the whole process (start-up and install included).
 *
 * <p>Run: {@code java [-javaagent:mapscope-agent.jar=mode=...] -cp mapscope-bench/target/workloads.jar
 * dev.mapscope.bench.AgentReadMostlyWorkload} (scripts/agent-read-mostly.sh runs the three side by side).
 */
public final class AgentReadMostlyWorkload {
    static final int ENTRIES = 50_000;
    static final int THREADS = 4;
    static final int ROUNDS = 20;
    static final int LOOKUPS = 1_000_000;

    private AgentReadMostlyWorkload() {}

    public static void main(String[] args) throws Exception {
        Map<String, Integer> hash = new HashMap<>();
        Map<String, Integer> linked = new LinkedHashMap<>();
        TreeMap<Integer, String> tree = new TreeMap<>();
        Map<String, Integer> small = new HashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            hash.put("key" + i, i);
            linked.put("name" + i, i);
            tree.put(i * 10, "band" + i);
        }
        for (int i = 0; i < 64; i++) {
            small.put("flag" + i, i);
        }
        String[] probes = new String[1 << 16];
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < probes.length; i++) {
            probes[i] = "key" + r.nextInt(ENTRIES + ENTRIES / 10); // one in eleven misses
        }
        com.sun.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getPlatformMXBean(
                com.sun.management.OperatingSystemMXBean.class);
        long start = 0;
        long cpuStart = 0;
        long[] sink = new long[THREADS];
        for (int round = 0; round < ROUNDS; round++) {
            if (round == ROUNDS / 2) {
                start = System.nanoTime();
                cpuStart = os.getProcessCpuTime();
            }
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int me = t;
                readers.add(new Thread(() -> sink[me] += read(hash, linked, tree, small, probes, me)));
            }
            for (Thread t : readers) {
                t.start();
            }
            for (Thread t : readers) {
                t.join();
            }
        }
        int timed = ROUNDS - ROUNDS / 2;
        long perRound = (System.nanoTime() - start) / timed;
        long cpu = os.getProcessCpuTime();
        System.out.printf(
                "ms/round %.1f  cpu ms/round %.1f  cpu %.1f s  (checksum %d)%n",
                perRound / 1e6, (cpu - cpuStart) / 1e6 / timed, cpu / 1e9, sink[0] & 0xff);
    }

    private static long read(
            Map<String, Integer> hash,
            Map<String, Integer> linked,
            TreeMap<Integer, String> tree,
            Map<String, Integer> small,
            String[] probes,
            int me) {
        long sum = 0;
        for (int i = 0; i < LOOKUPS; i++) {
            String p = probes[(i * 7 + me) & (probes.length - 1)];
            sum += hash.getOrDefault(p, -1);
            if ((i & 3) == 0) {
                sum += linked.containsKey(p) ? 1 : 0;
                Map.Entry<Integer, String> e = tree.floorEntry(i % (ENTRIES * 10));
                sum += e == null ? 0 : e.getKey();
            }
            if (i % 1_000 == 0) {
                for (Integer v : small.values()) {
                    sum += v;
                }
            }
        }
        return sum;
    }
}
