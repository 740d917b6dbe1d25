package dev.mapscope.bench;

import dev.mapscope.cli.bench.BenchWorkload;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Which lock should RwLockMap put around its HashMap? The same get/put workload as {@link SafeMapBench} over a
 * HashMap behind a {@code StampedLock} (pessimistic read lock), a {@code ReentrantReadWriteLock} (non-fair and
 * fair), and {@code synchronized} as the no-read-sharing baseline.
 *
 * <p>How to run: {@code java -jar mapscope-bench/target/benchmarks.jar SafeMapLockBench -f 1 -wi 2 -w 1s -i 3
 * -r 1s -t 2}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SafeMapLockBench {

    @Param({"StampedLock", "ReentrantReadWriteLock", "ReentrantReadWriteLock-fair", "synchronized"})
    public String lock;

    @Param({"90/10", "50/50"})
    public String mix;

    final HashMap<Integer, Integer> map = new HashMap<>();
    final StampedLock stamped = new StampedLock();
    ReentrantReadWriteLock rw;
    int kind; // 0 StampedLock, 1 synchronized, 2 ReentrantReadWriteLock (either fairness): resolved once
    BenchWorkload workload;
    final AtomicLong threadSeeds = new AtomicLong(1);

    @Setup(Level.Trial)
    public void setUp() {
        rw = new ReentrantReadWriteLock(lock.endsWith("-fair"));
        kind = lock.equals("StampedLock") ? 0 : lock.equals("synchronized") ? 1 : 2;
        workload = new BenchWorkload();
        for (Integer k : workload.keys) {
            map.put(k, k);
        }
    }

    @State(Scope.Thread)
    public static class Ops {
        Integer[] keys;
        boolean[] reads;
        int next;

        @Setup(Level.Trial)
        public void setUp(SafeMapLockBench bench) {
            long seed = bench.threadSeeds.getAndIncrement();
            keys = bench.workload.keySequence(seed);
            reads = BenchWorkload.readSequence(SafeMapBench.readPercent(bench.mix), seed);
        }
    }

    @Benchmark
    public Integer op(Ops ops) {
        int i = ops.next++ & (BenchWorkload.OPS - 1);
        Integer key = ops.keys[i];
        boolean read = ops.reads[i];
        switch (kind) {
            case 0: {
                if (read) {
                    long s = stamped.readLock();
                    try {
                        return map.get(key);
                    } finally {
                        stamped.unlockRead(s);
                    }
                }
                long s = stamped.writeLock();
                try {
                    return map.put(key, key);
                } finally {
                    stamped.unlockWrite(s);
                }
            }
            case 1: {
                synchronized (map) {
                    return read ? map.get(key) : map.put(key, key);
                }
            }
            default: {
                if (read) {
                    rw.readLock().lock();
                    try {
                        return map.get(key);
                    } finally {
                        rw.readLock().unlock();
                    }
                }
                rw.writeLock().lock();
                try {
                    return map.put(key, key);
                } finally {
                    rw.writeLock().unlock();
                }
            }
        }
    }
}
