package dev.mapscope.bench;

import dev.mapscope.cli.bench.BenchWorkload;
import dev.mapscope.maps.RwLockMap;
import dev.mapscope.maps.SerialMap;
import dev.mapscope.maps.ShardedMap;
import dev.mapscope.maps.SyncMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Which safe map for which read/write mix? Throughput of one operation (a {@code get}, or a {@code put} that
 * overwrites a present key) over 65,536 pre-filled keys drawn Zipf-like ({@link BenchWorkload}, the workload of {@code mapscope bench}), for each
 * map beside {@code ConcurrentHashMap} and {@code Collections.synchronizedMap(HashMap)}, in one run so that the
 * ratios are side by side. Run with {@code -t 1} and {@code -t 2}, and {@code -prof gc} to see allocation per
 * operation (SyncMap's reads and overwrites of present keys allocate nothing).
 *
 * <p>How to run: {@code mvn -B -ntp -q -pl mapscope-bench -am package -DskipTests} then
 * {@code java -jar mapscope-bench/target/benchmarks.jar SafeMapBench -f 1 -wi 2 -w 1s -i 3 -r 1s -t 2 -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SafeMapBench {

    @Param({"ConcurrentHashMap", "synchronizedMap", "SyncMap", "RwLockMap", "ShardedMap", "SerialMap"})
    public String impl;

    /** Percent reads / percent writes. */
    @Param({"90/10", "50/50", "10/90"})
    public String mix;

    Map<Integer, Integer> map;
    BenchWorkload workload;

    /** Seeds each thread's sequences differently but reproducibly. */
    final AtomicLong threadSeeds = new AtomicLong(1);

    @Setup(Level.Trial)
    public void setUp() {
        workload = new BenchWorkload();
        map = create(impl);
        for (Integer k : workload.keys) {
            map.put(k, k);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (map instanceof SerialMap<?, ?> s) {
            s.close();
        }
    }

    static Map<Integer, Integer> create(String impl) {
        return switch (impl) {
            case "ConcurrentHashMap" -> new ConcurrentHashMap<>();
            case "synchronizedMap" -> Collections.synchronizedMap(new HashMap<>());
            case "SyncMap" -> new SyncMap<>();
            case "RwLockMap" -> new RwLockMap<>();
            case "ShardedMap" -> new ShardedMap<>();
            case "SerialMap" -> new SerialMap<>();
            default -> throw new IllegalArgumentException("unknown map " + impl);
        };
    }

    /** One thread's precomputed keys and read/write decisions, and its position in them. */
    @State(Scope.Thread)
    public static class Ops {
        Integer[] keys;
        boolean[] reads;
        int next;

        @Setup(Level.Trial)
        public void setUp(SafeMapBench bench) {
            long seed = bench.threadSeeds.getAndIncrement();
            keys = bench.workload.keySequence(seed);
            reads = BenchWorkload.readSequence(SafeMapBench.readPercent(bench.mix), seed);
        }
    }

    @Benchmark
    public Integer op(Ops ops) {
        int i = ops.next++ & (BenchWorkload.OPS - 1);
        Integer key = ops.keys[i];
        return ops.reads[i] ? map.get(key) : map.put(key, key);
    }

    /** "90/10" → 90. */
    static int readPercent(String mix) {
        return Integer.parseInt(mix.substring(0, mix.indexOf('/')));
    }
}
