package dev.mapscope.bench;

import dev.mapscope.agent.Mapscope;
import dev.mapscope.agent.probe.Probes;
import java.util.HashMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an armed probe costs a HashMap's put and get: no agent; the agent without a probe; a probe armed on
 * another map class (the advice runs, the selector rejects the map); a probe on this map whose condition is
 * false (the selector accepts, the condition is evaluated and fails). The target is at most 50 ns per
 * operation for the last and nothing measurable for the others (docs/PROBES.md).
 *
 * <p>Run: {@code java -Dmapscope.agent.jar=mapscope-agent/target/mapscope-agent.jar -jar
 * mapscope-bench/target/benchmarks.jar ProbeCostBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Djdk.attach.allowAttachSelf=true")
public class ProbeCostBench {
    static final int KEYS = 1 << 12;
    /** false for every operation, and it reads the bucket (so the key hash and bucket are computed) and a name */
    static final String FALSE_CONDITION = "bucket == 100000 || thread.name ~ \"^worker-\"";

    /**
     * {@code no-agent}: nothing loaded. {@code agent}: the agent (mode=overlap), no probe. {@code other-map}:
     * a probe on put and get of LinkedHashMap, whose advice sits in HashMap's methods. {@code false-condition}:
     * a probe on put and get of HashMap with {@link #FALSE_CONDITION}.
     */
    @Param({"no-agent", "agent", "other-map", "false-condition"})
    public String probe;

    private HashMap<Integer, Integer> map;
    private Integer[] keys;
    private int i;
    private Probes.Handle handle;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (!probe.equals("no-agent")) {
            AgentAttach.install("overlap");
        }
        if (probe.equals("other-map")) {
            handle = Mapscope.probe(
                    "on=put,get map=class:java.util.LinkedHashMap limit=1000000 rate=100000000" + " duration=3600000");
        } else if (probe.equals("false-condition")) {
            handle = Mapscope.probe("on=put,get map=class:java.util.HashMap if="
                    + java.net.URLEncoder.encode(FALSE_CONDITION, java.nio.charset.StandardCharsets.UTF_8)
                    + " limit=1000000 rate=100000000 duration=3600000");
        }
        SplittableRandom r = new SplittableRandom(42);
        keys = new Integer[KEYS];
        map = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            keys[k] = r.nextInt();
            map.put(keys[k], k);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (handle != null) {
            long hits = handle.hits();
            long evaluations = handle.evaluations();
            handle.stop(30_000);
            // other-map may hit the LinkedHashMaps of JMH itself; this map must never be a hit
            System.out.println("probe " + probe + ": " + hits + " hits, " + evaluations + " evaluations");
            if (probe.equals("false-condition") && hits != 0) {
                throw new IllegalStateException(
                        "the probe hit " + hits + " times: the benchmark measured hits, not misses");
            }
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
}
