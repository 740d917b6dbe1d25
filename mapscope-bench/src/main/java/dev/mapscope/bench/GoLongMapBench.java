package dev.mapscope.bench;

import dev.mapscope.maps.GoLongMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Is GoLongMap as fast as Go's own {@code map[int64]int64}? The work of {@code mapscope-bench/go/gomap_test.go},
 * operation for operation: 1M distinct random keys; get of present keys drawn at random with replacement (hit)
 * and of absent keys (miss); put into a map growing from the default size and into one made for 1M entries, a
 * fresh map replacing a full one outside the timed region; remove from a full map, refilled when empty. Keys
 * are primitive {@code long}s through the primitive API; each value is a reference to a boxed copy of the key,
 * made once (Go stores the int64 itself; neither side reads the value's memory).
 *
 * <p>Run: {@code java -jar mapscope-bench/target/benchmarks.jar GoLongMapBench -f 1 -wi 2 -i 3 -w 1s -r 1s -prof gc}
 * (or {@code scripts/bench-gomap.sh}, which runs Go's side in the same sitting). Scores are ns per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GoLongMapBench {
    static final int SIZE = 1_000_000;
    static final int LOOKUPS = 1 << 20;

    private long[] keys;
    private Long[] values;
    private long[] hits;
    private long[] misses;
    private GoLongMap<Long> full;
    private GoLongMap<Long> growing;
    private GoLongMap<Long> presized;
    private GoLongMap<Long> removing;
    private int cursor;
    private int putCursor;
    private int presizedCursor;
    private int removeCursor;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(GoMapBenchData.SEED);
        // SIZE keys for the maps, then LOOKUPS more for misses, all distinct.
        long[] all = random.longs().distinct().limit(SIZE + LOOKUPS).toArray();
        keys = java.util.Arrays.copyOf(
                all, (SIZE + GoMapBenchData.BATCH - 1) / GoMapBenchData.BATCH * GoMapBenchData.BATCH);
        values = new Long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            values[i] = keys[i];
        }
        hits = new long[LOOKUPS];
        for (int i = 0; i < LOOKUPS; i++) {
            hits[i] = keys[random.nextInt(SIZE)];
        }
        misses =
                java.util.Arrays.copyOfRange(all, keys.length, keys.length + LOOKUPS / 2); // a power of two, all absent
        full = filled();
        growing = new GoLongMap<>();
        presized = new GoLongMap<>(keys.length);
        removing = filled();
    }

    private GoLongMap<Long> filled() {
        GoLongMap<Long> m = new GoLongMap<>();
        for (int i = 0; i < keys.length; i++) {
            m.put(keys[i], values[i]);
        }
        return m;
    }

    /** Untimed: replaces a map that a benchmark has filled or emptied completely. */
    @Setup(Level.Invocation)
    public void renew() {
        if (putCursor == keys.length) {
            growing = new GoLongMap<>();
            putCursor = 0;
        }
        if (presizedCursor == keys.length) {
            presized = new GoLongMap<>(keys.length);
            presizedCursor = 0;
        }
        if (removeCursor == keys.length) {
            removing = filled();
            removeCursor = 0;
        }
    }

    @Benchmark
    @OperationsPerInvocation(GoMapBenchData.BATCH)
    public void getHit(Blackhole bh) {
        GoLongMap<Long> m = full;
        long[] ks = hits;
        int c = cursor;
        for (int i = 0; i < GoMapBenchData.BATCH; i++) {
            bh.consume(m.get(ks[(c + i) & (LOOKUPS - 1)]));
        }
        cursor = (c + GoMapBenchData.BATCH) & (LOOKUPS - 1);
    }

    @Benchmark
    @OperationsPerInvocation(GoMapBenchData.BATCH)
    public void getMiss(Blackhole bh) {
        GoLongMap<Long> m = full;
        long[] ks = misses;
        int mask = ks.length - 1;
        int c = cursor;
        for (int i = 0; i < GoMapBenchData.BATCH; i++) {
            bh.consume(m.get(ks[(c + i) & mask]));
        }
        cursor = (c + GoMapBenchData.BATCH) & (LOOKUPS - 1);
    }

    @Benchmark
    @OperationsPerInvocation(GoMapBenchData.BATCH)
    public void putGrowing(Blackhole bh) {
        GoLongMap<Long> m = growing;
        int c = putCursor;
        for (int i = c; i < c + GoMapBenchData.BATCH; i++) {
            bh.consume(m.put(keys[i], values[i]));
        }
        putCursor = c + GoMapBenchData.BATCH;
    }

    @Benchmark
    @OperationsPerInvocation(GoMapBenchData.BATCH)
    public void putPresized(Blackhole bh) {
        GoLongMap<Long> m = presized;
        int c = presizedCursor;
        for (int i = c; i < c + GoMapBenchData.BATCH; i++) {
            bh.consume(m.put(keys[i], values[i]));
        }
        presizedCursor = c + GoMapBenchData.BATCH;
    }

    @Benchmark
    @OperationsPerInvocation(GoMapBenchData.BATCH)
    public void remove(Blackhole bh) {
        GoLongMap<Long> m = removing;
        int c = removeCursor;
        for (int i = c; i < c + GoMapBenchData.BATCH; i++) {
            bh.consume(m.remove(keys[i]));
        }
        removeCursor = c + GoMapBenchData.BATCH;
    }
}
