package dev.mapscope.cli;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The seeded workload of {@code mapscope bench}, the same as the JMH benchmark's: {@link #KEYS} keys drawn
 * Zipf-like (exponent {@link #ZIPF_S}), hot ranks mapped to a seeded permutation of key ids, and a read/write
 * decision per operation. Precomputed so the measured loop only indexes arrays.
 */
final class BenchWorkload {
    static final int KEYS = 1 << 16;
    static final double ZIPF_S = 0.99;
    static final long SEED = 42;

    /** Length of each thread's operation sequence (a power of two, for masking). */
    static final int OPS = 1 << 16;

    /** The key objects, boxed once. */
    final Integer[] keys = new Integer[KEYS];

    private final int[] idOfRank = new int[KEYS];
    private final double[] cdf = new double[KEYS];

    BenchWorkload() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < KEYS; i++) {
            keys[i] = i * 0x9E3779B1; // odd multiplier: a bijection, so distinct ints, with well spread bits
            idOfRank[i] = i;
        }
        for (int i = KEYS - 1; i > 0; i--) {
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

    Integer[] keySequence(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Integer[] seq = new Integer[OPS];
        for (int i = 0; i < OPS; i++) {
            int r = Arrays.binarySearch(cdf, random.nextDouble());
            seq[i] = keys[idOfRank[r < 0 ? Math.min(-r - 1, KEYS - 1) : r]];
        }
        return seq;
    }

    static boolean[] readSequence(int readPercent, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] seq = new boolean[OPS];
        for (int i = 0; i < OPS; i++) {
            seq[i] = random.nextInt(100) < readPercent;
        }
        return seq;
    }
}
