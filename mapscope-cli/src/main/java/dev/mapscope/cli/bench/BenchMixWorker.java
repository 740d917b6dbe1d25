package dev.mapscope.cli.bench;

import dev.mapscope.maps.GoMap;
import dev.mapscope.maps.RwLockMap;
import dev.mapscope.maps.SerialMap;
import dev.mapscope.maps.ShardedMap;
import dev.mapscope.maps.SyncMap;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One measurement of {@code mapscope bench} for a {@link BenchMix}, run in a JVM of its own so that each map's
 * code is compiled with a profile of that map alone (as JMH forks): in one JVM the measuring loop's call sites
 * would turn megamorphic after the first map and penalize the later ones. Not a user command.
 *
 * <p>Arguments: map, reads, overwrites, inserts, deletes (percentages), key type, key count, threads, warm-up
 * ms, measurement ms. Prints one line: {@code RESULT reads writes nanos}.
 */
public final class BenchMixWorker {
    static final String RESULT = "mapscope-bench-result";

    /** 0 = warming up, 1 = measuring, 2 = stop. Written by the main thread, polled by the workers. */
    private static volatile int phase;

    private BenchMixWorker() {}

    public static void main(String[] args) throws Exception {
        String impl = args[0];
        BenchMix mix = new BenchMix(
                "",
                Integer.parseInt(args[1]),
                Integer.parseInt(args[2]),
                Integer.parseInt(args[3]),
                Integer.parseInt(args[4]),
                args[5],
                Integer.parseInt(args[6]));
        int threads = Integer.parseInt(args[7]);
        long warmupMs = Long.parseLong(args[8]);
        long measureMs = Long.parseLong(args[9]);

        Object[] all = mix.allKeys();
        Map<Object, Object> map = create(impl);
        for (int i = 0; i < mix.keys(); i++) {
            map.put(all[i], all[i]);
        }
        long[][] counts = new long[threads][3];
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            byte[] kinds = mix.kinds(t);
            Object[] keys = mix.keySequence(t, threads, kinds, all);
            long[] out = counts[t];
            ts[t] = new Thread(() -> run(map, keys, kinds, out), "bench-" + t);
        }
        for (Thread t : ts) {
            t.start();
        }
        TimeUnit.MILLISECONDS.sleep(warmupMs);
        long start = System.nanoTime();
        phase = 1;
        TimeUnit.MILLISECONDS.sleep(measureMs);
        phase = 2;
        long nanos = System.nanoTime() - start;
        long reads = 0;
        long writes = 0;
        for (int t = 0; t < threads; t++) {
            ts[t].join();
            reads += counts[t][0];
            writes += counts[t][1];
        }
        if (map instanceof SerialMap<?, ?> s) {
            s.close();
        }
        System.out.println(RESULT + " " + reads + " " + writes + " " + nanos);
    }

    /** The measured loop: array indexing and one map call per operation; checks the phase every 64 ops. */
    private static void run(Map<Object, Object> map, Object[] keys, byte[] kinds, long[] out) {
        long reads = 0;
        long writes = 0;
        int seen = 0;
        int acc = 0; // every answer is folded in and published, so the JIT cannot drop a call
        for (int i = 0; ; i++) {
            if ((i & 63) == 0) {
                int p = phase;
                if (p != seen) {
                    if (p == 2) {
                        break;
                    }
                    seen = p;
                    reads = 0; // the measurement starts now: forget the warm-up's counts
                    writes = 0;
                }
            }
            int j = i & (BenchMix.OPS - 1);
            Object key = keys[j];
            Object v;
            switch (kinds[j]) {
                case BenchMix.READ -> {
                    v = map.get(key);
                    reads++;
                }
                case BenchMix.DELETE -> {
                    v = map.remove(key);
                    writes++;
                }
                default -> { // an overwrite or an insert: both are a put
                    v = map.put(key, key);
                    writes++;
                }
            }
            acc += v == null ? 1 : v == key ? 2 : 3; // compares references only: the value is not read
        }
        out[0] = reads;
        out[1] = writes;
        out[2] = acc;
    }

    static Map<Object, Object> create(String impl) {
        return switch (impl) {
            case "ConcurrentHashMap" -> new ConcurrentHashMap<>();
            case "synchronizedMap" -> Collections.synchronizedMap(new HashMap<>());
            case "SyncMap" -> new SyncMap<>();
            case "RwLockMap" -> new RwLockMap<>();
            case "ShardedMap" -> new ShardedMap<>();
            case "SerialMap" -> new SerialMap<>();
            case "HashMap" -> new HashMap<>();
            case "GoMap" -> new GoMap<>();
            default -> throw new IllegalArgumentException("unknown map " + impl);
        };
    }
}
