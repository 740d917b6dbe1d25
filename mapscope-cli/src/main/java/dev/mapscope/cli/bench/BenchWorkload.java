package dev.mapscope.cli.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The seeded workload of {@code mapscope bench} and of the JMH benchmarks in {@code mapscope-bench}
 * ({@code SafeMapBench}, {@code SafeMapLockBench}), so that both measure exactly the same thing: {@link #KEYS}
 * keys drawn from a Zipf-like distribution (exponent {@link #ZIPF_S}: the hottest key is drawn about 9% of
 * the time, the top 1% of keys about 45%), and a read/write decision per operation. Hot ranks are mapped to a
 * seeded permutation of key ids, so hot keys are not neighbours in hash order. Everything is precomputed so
 * that the measured loop only indexes arrays. Public only for the benchmark module.
 */
public final class BenchWorkload {
    /** As in Go's reference measurement quoted in issue 5 (65,536 keys). */
    public static final int KEYS = 1 << 16;

    public static final double ZIPF_S = 0.99;
    public static final long SEED = 42;

    /** Length of each thread's operation sequence (a power of two, for masking). */
    public static final int OPS = 1 << 16;

    /** The key objects, boxed once: index = key id. */
    public final Integer[] keys = new Integer[KEYS];

    /** Key id of rank r (0 = hottest). */
    private final int[] idOfRank = new int[KEYS];

    /** Cumulative probability by rank, for inverse-CDF sampling. */
    private final double[] cdf = new double[KEYS];

    public BenchWorkload() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < KEYS; i++) {
            keys[i] = i * 0x9E3779B1; // odd multiplier: a bijection, so distinct ints, with well spread bits
            idOfRank[i] = i;
        }
        for (int i = KEYS - 1; i > 0; i--) { // Fisher-Yates: which key is hot is random but seeded
            int j = random.nextInt(i + 1);
            int t = idOfRank[i];
            idOfRank[i] = idOfRank[j];
            idOfRank[j] = t;
        }
        double sum = 0;
        for (int r = 0; r < KEYS; r++) {
            sum += 1 / Math.pow(r + 1, ZIPF_S);
            cdf[r] = sum;
        }
        for (int r = 0; r < KEYS; r++) {
            cdf[r] /= sum;
        }
    }

    /** A thread's key sequence: {@link #OPS} key objects drawn from the distribution. */
    public Integer[] keySequence(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Integer[] seq = new Integer[OPS];
        for (int i = 0; i < OPS; i++) {
            int r = Arrays.binarySearch(cdf, random.nextDouble());
            seq[i] = keys[idOfRank[r < 0 ? Math.min(-r - 1, KEYS - 1) : r]];
        }
        return seq;
    }

    /** A thread's read/write sequence: true = read, with {@code readPercent}% reads. */
    public static boolean[] readSequence(int readPercent, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] seq = new boolean[OPS];
        for (int i = 0; i < OPS; i++) {
            seq[i] = random.nextInt(100) < readPercent;
        }
        return seq;
    }
}
