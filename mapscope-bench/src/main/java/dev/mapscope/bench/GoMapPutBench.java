package dev.mapscope.bench;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How fast do GoMap, HashMap and fastutil's map insert and remove? Each invocation does BATCH operations on one
 * map that is filled (or emptied) from start to end over many invocations; a fresh map replaces it outside the
 * timed region when it is full (or empty). "growing" starts from the default capacity, so it pays for every
 * growth; "presized" is created for {@code size} entries.
 *
 * <p>Run: {@code java -jar mapscope-bench/target/benchmarks.jar GoMapPutBench -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}.
 * Scores are ns per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GoMapPutBench {
    @Param({"GoMap", "HashMap", "fastutil"})
    public String impl;

    @Param({"Integer", "String"})
    public String keyType;

    @Param({"1000", "1000000"})
    public int size;

    private Object[] keys;
    private Map<Object, Object> growing;
    private Map<Object, Object> presized;
    private Map<Object, Object> full;
    private int putCursor;
    private int presizedCursor;
    private int removeCursor;

    @Setup
    public void setUp() {
        Random random = new Random(GoMapBenchData.SEED);
        // A multiple of BATCH, so that every invocation is a full batch.
        int n = (size + GoMapBenchData.BATCH - 1) / GoMapBenchData.BATCH * GoMapBenchData.BATCH;
        keys = GoMapBenchData.keys(keyType, n, random, java.util.Set.of());
        growing = GoMapBenchData.create(impl, -1);
        presized = GoMapBenchData.create(impl, n);
        full = filled();
    }

    private Map<Object, Object> filled() {
        Map<Object, Object> m = GoMapBenchData.create(impl, -1);
        for (Object k : keys) {
            m.put(k, k);
        }
        return m;
    }

    /** Untimed: replaces a map that a benchmark has filled or emptied completely. */
    @Setup(Level.Invocation)
    public void renew() {
        if (putCursor == keys.length) {
            growing = GoMapBenchData.create(impl, -1);
            putCursor = 0;
        }
        if (presizedCursor == keys.length) {
            presized = GoMapBenchData.create(impl, keys.length);
            presizedCursor = 0;
        }
        if (removeCursor == keys.length) {
            full = filled();
            removeCursor = 0;
        }
    }

    @Benchmark
    @OperationsPerInvocation(GoMapBenchData.BATCH)
    public void putGrowing(Blackhole bh) {
        Map<Object, Object> m = growing;
        Object[] ks = keys;
        int c = putCursor;
        for (int i = c; i < c + GoMapBenchData.BATCH; i++) {
            bh.consume(m.put(ks[i], ks[i]));
        }
        putCursor = c + GoMapBenchData.BATCH;
    }

    @Benchmark
    @OperationsPerInvocation(GoMapBenchData.BATCH)
    public void putPresized(Blackhole bh) {
        Map<Object, Object> m = presized;
        Object[] ks = keys;
        int c = presizedCursor;
        for (int i = c; i < c + GoMapBenchData.BATCH; i++) {
            bh.consume(m.put(ks[i], ks[i]));
        }
        presizedCursor = c + GoMapBenchData.BATCH;
    }

    @Benchmark
    @OperationsPerInvocation(GoMapBenchData.BATCH)
    public void remove(Blackhole bh) {
        Map<Object, Object> m = full;
        Object[] ks = keys;
        int c = removeCursor;
        for (int i = c; i < c + GoMapBenchData.BATCH; i++) {
            bh.consume(m.remove(ks[i]));
        }
        removeCursor = c + GoMapBenchData.BATCH;
    }
}
