package dev.mapscope.bench;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How fast is a lookup in GoMap, against HashMap and fastutil's open-addressing map, for a key that is present
 * (hit) and one that is not (miss)? Lookups use equal copies of the keys, in random order.
 *
 * <p>Run: {@code java -jar mapscope-bench/target/benchmarks.jar GoMapGetBench -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}
 * (or all GoMap benchmarks with {@code scripts/bench-gomap.sh}). Scores are ns per lookup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GoMapGetBench {
    @Param({"GoMap", "HashMap", "fastutil"})
    public String impl;

    @Param({"Integer", "String"})
    public String keyType;

    @Param({"1000", "1000000"})
    public int size;

    private Map<Object, Object> map;
    private Object[] hits;
    private Object[] misses;
    private int mask;
    private int cursor;

    @Setup
    public void setUp() {
        Random random = new Random(GoMapBenchData.SEED);
        Object[] keys = GoMapBenchData.keys(keyType, size, random, java.util.Set.of());
        map = GoMapBenchData.create(impl, -1);
        for (int i = 0; i < keys.length; i++) {
            map.put(keys[i], keys[i]);
        }
        int length = GoMapBenchData.pow2AtLeast(size);
        mask = length - 1;
        hits = GoMapBenchData.lookups(keys, length, random);
        misses = GoMapBenchData.keys(keyType, length, random, new java.util.HashSet<>(java.util.Arrays.asList(keys)));
    }

    @Benchmark
    @OperationsPerInvocation(GoMapBenchData.BATCH)
    public void getHit(Blackhole bh) {
        Map<Object, Object> m = map;
        Object[] ks = hits;
        int c = cursor;
        for (int i = 0; i < GoMapBenchData.BATCH; i++) {
            bh.consume(m.get(ks[(c + i) & mask]));
        }
        cursor = (c + GoMapBenchData.BATCH) & mask;
    }

    @Benchmark
    @OperationsPerInvocation(GoMapBenchData.BATCH)
    public void getMiss(Blackhole bh) {
        Map<Object, Object> m = map;
        Object[] ks = misses;
        int c = cursor;
        for (int i = 0; i < GoMapBenchData.BATCH; i++) {
            bh.consume(m.get(ks[(c + i) & mask]));
        }
        cursor = (c + GoMapBenchData.BATCH) & mask;
    }
}
