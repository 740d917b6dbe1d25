package dev.mapscope.bench;

import java.util.HashMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What mapscope's read checks cost a reader of a map that another thread built before the reader's thread
 * was started (the common case: a table built, then only read): a {@code HashMap.get} hit, a
 * {@code TreeMap.get} hit, one step of an iteration over a {@code HashMap}'s values (an iterator made per
 * pass: its start is checked by both tiers, each step by tier 1), and a {@code forEach} step. Without the
 * agent and in each mode, side by side.
 *
 * <p>Run: {@code java -Dmapscope.agent.jar=mapscope-agent/target/mapscope-agent.jar -jar
 * mapscope-bench/target/benchmarks.jar AgentReadBench -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Djdk.attach.allowAttachSelf=true")
public class AgentReadBench {
    static final int KEYS = 1 << 12;
    /** entries per iteration pass: a pass is an iterator made and KEYS steps */
    static final int PASS = 256;

    @Param({"none", "overlap", "full"})
    public String agent;

    private HashMap<Integer, Integer> map;
    private HashMap<Integer, Integer> small;
    private TreeMap<Integer, Integer> tree;
    private Integer[] keys;
    private int i;

    @Setup
    public void setUp() throws Exception {
        AgentAttach.install(agent);
        SplittableRandom r = new SplittableRandom(42);
        keys = new Integer[KEYS];
        for (int k = 0; k < KEYS; k++) {
            keys[k] = r.nextInt();
        }
        // Built by another thread, started and joined: the readers' check compares epochs, as in a service.
        Thread builder = new Thread(() -> {
            map = new HashMap<>();
            small = new HashMap<>();
            tree = new TreeMap<>();
            for (int k = 0; k < KEYS; k++) {
                map.put(keys[k], k);
                tree.put(keys[k], k);
            }
            for (int k = 0; k < PASS; k++) {
                small.put(keys[k], k);
            }
        });
        builder.start();
        builder.join();
    }

    @Benchmark
    public Integer get() {
        return map.get(keys[i++ & (KEYS - 1)]);
    }

    @Benchmark
    public Integer treeGet() {
        return tree.get(keys[i++ & (KEYS - 1)]);
    }

    /** Per step: an iterator over PASS values, made once per pass. */
    @Benchmark
    @OperationsPerInvocation(PASS)
    public long iterate() {
        long sum = 0;
        for (Integer v : small.values()) {
            sum += v;
        }
        return sum;
    }

    /** Per entry of a forEach over PASS entries (checked at its start and end only). */
    @Benchmark
    @OperationsPerInvocation(PASS)
    public long forEachEntry() {
        long[] sum = {0};
        small.forEach((k, v) -> sum[0] += v);
        return sum[0];
    }
}
