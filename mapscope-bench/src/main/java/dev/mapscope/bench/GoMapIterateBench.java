package dev.mapscope.bench;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How fast is a full walk over the entry set of GoMap, HashMap and fastutil's map (the for-each loop every
 * program writes)? Scores are µs per complete iteration.
 *
 * <p>Run: {@code java -jar mapscope-bench/target/benchmarks.jar GoMapIterateBench -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GoMapIterateBench {
    @Param({"GoMap", "HashMap", "fastutil"})
    public String impl;

    @Param({"Integer", "String"})
    public String keyType;

    @Param({"1000", "1000000"})
    public int size;

    private Map<Object, Object> map;

    @Setup
    public void setUp() {
        Object[] keys = GoMapBenchData.keys(keyType, size, new Random(GoMapBenchData.SEED), java.util.Set.of());
        map = GoMapBenchData.create(impl, -1);
        for (Object k : keys) {
            map.put(k, k);
        }
    }

    @Benchmark
    public void iterate(Blackhole bh) {
        for (Map.Entry<Object, Object> e : map.entrySet()) {
            bh.consume(e.getKey());
            bh.consume(e.getValue());
        }
    }
}
