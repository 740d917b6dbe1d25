package dev.mapscope.bench;

import java.util.HashMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What mapscope's agent costs a single-threaded HashMap: put (the instrumented path: tier 1's mark, tier
 * 2's same-writer check) and get (not instrumented), without the agent and in each mode, side by side.
 *
 * <p>Run: {@code java -Dmapscope.agent.jar=mapscope-agent/target/mapscope-agent.jar -jar
 * mapscope-bench/target/benchmarks.jar AgentHashMapBench -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Djdk.attach.allowAttachSelf=true")
public class AgentHashMapBench {
    static final int KEYS = 1 << 12;

    @Param({"none", "overlap", "full"})
    public String agent;

    private HashMap<Integer, Integer> map;
    private Integer[] keys;
    private int i;

    @Setup
    public void setUp() throws Exception {
        AgentAttach.install(agent);
        SplittableRandom r = new SplittableRandom(42);
        keys = new Integer[KEYS];
        map = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            keys[k] = r.nextInt();
            map.put(keys[k], k);
        }
    }

    /** Replaces the value of an existing key: putVal, no resize. */
    @Benchmark
    public Integer put() {
        Integer k = keys[i++ & (KEYS - 1)];
        return map.put(k, k);
    }

    @Benchmark
    public Integer get() {
        return map.get(keys[i++ & (KEYS - 1)]);
    }

    /** A new small map per operation: the first write to each map takes tier 2's claim path. */
    @Benchmark
    public HashMap<Integer, Integer> newMap() {
        HashMap<Integer, Integer> m = new HashMap<>();
        for (int k = 0; k < 8; k++) {
            m.put(keys[(i + k) & (KEYS - 1)], k);
        }
        i += 8;
        return m;
    }
}
