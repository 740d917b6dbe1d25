package dev.mapscope.cli.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The user's workload for {@code mapscope bench}: the share of reads, overwrites, inserts and deletes, the key
 * type and the key count. Everything random is seeded and precomputed here, so that the measured loop of
 * {@link BenchMixWorker} only indexes arrays.
 *
 * <p>{@code keys} keys are put before the measurement and stay present: reads ({@code get}) and overwrites
 * ({@code put} of a present key) draw them from a Zipf-like distribution (exponent {@link #ZIPF_S}; hot keys
 * scattered over the key space by a seeded permutation). Inserts put keys of a second set of {@code keys} keys
 * that starts absent, each thread cycling through its own slice of it; deletes remove keys of that slice in the
 * same order, so with as many deletes as inserts the map's size stays within {@code keys} of the start.
 *
 * @param name the mix as the user gave it, for the table
 */
record BenchMix(String name, int reads, int overwrites, int inserts, int deletes, String keyType, int keys) {
    static final double ZIPF_S = 0.99;
    static final long SEED = 42;
    /** Length of each thread's precomputed operation sequence (a power of two, for masking). */
    static final int OPS = 1 << 16;

    /** Operation kinds in a sequence. */
    static final byte READ = 0;

    static final byte OVERWRITE = 1;
    static final byte INSERT = 2;
    static final byte DELETE = 3;

    /** The largest --keys: two sets of keys of this size fit the worker's heap with String keys. */
    static final int MAX_KEYS = 1 << 22;

    int writes() {
        return overwrites + inserts + deletes;
    }

    /** "80% reads, 10% overwrites, 5% inserts, 5% deletes", leaving out kinds at 0% except reads. */
    String describe() {
        StringBuilder b = new StringBuilder().append(reads).append("% reads");
        if (inserts == 0 && deletes == 0) {
            return b.append(", ").append(overwrites).append("% writes").toString();
        }
        append(b, overwrites, "overwrites");
        append(b, inserts, "inserts");
        append(b, deletes, "deletes");
        return b.toString();
    }

    private static void append(StringBuilder b, int percent, String what) {
        if (percent > 0) {
            b.append(", ").append(percent).append("% ").append(what);
        }
    }

    /** Key number {@code id} of the given type: distinct ids give distinct keys with well spread bits. */
    static Object key(String keyType, int id) {
        return switch (keyType) {
            case "integer" -> id * 0x9E3779B1; // odd multiplier: a bijection on int
            case "long" -> id * 0x9E3779B97F4A7C15L;
            case "string" -> "key-" + Integer.toHexString(id * 0x9E3779B1);
            default -> throw new IllegalArgumentException("unknown key type " + keyType);
        };
    }

    /** The present keys (ids 0 .. keys-1), then the insert set (ids keys .. 2*keys-1). */
    Object[] allKeys() {
        Object[] all = new Object[2 * keys];
        for (int i = 0; i < all.length; i++) {
            all[i] = key(keyType, i);
        }
        return all;
    }

    /** Thread {@code thread}'s operation kinds. */
    byte[] kinds(int thread) {
        SplittableRandom random = new SplittableRandom(SEED + 1 + thread);
        byte[] kinds = new byte[OPS];
        for (int i = 0; i < OPS; i++) {
            int p = random.nextInt(100);
            kinds[i] = p < reads
                    ? READ
                    : p < reads + overwrites ? OVERWRITE : p < reads + overwrites + inserts ? INSERT : DELETE;
        }
        return kinds;
    }

    /** Thread {@code thread}'s keys, one per operation of {@code kinds}, taken from {@link #allKeys()}. */
    Object[] keySequence(int thread, int threads, byte[] kinds, Object[] all) {
        SplittableRandom random = new SplittableRandom(SEED + 1000 + thread);
        int[] idOfRank = new int[keys];
        for (int i = 0; i < keys; i++) {
            idOfRank[i] = i;
        }
        SplittableRandom shuffle = new SplittableRandom(SEED);
        for (int i = keys - 1; i > 0; i--) { // the same permutation for every thread: one set of hot keys
            int j = shuffle.nextInt(i + 1);
            int t = idOfRank[i];
            idOfRank[i] = idOfRank[j];
            idOfRank[j] = t;
        }
        double[] cdf = new double[keys];
        double sum = 0;
        for (int r = 0; r < keys; r++) {
            sum += 1 / Math.pow(r + 1, ZIPF_S);
            cdf[r] = sum;
        }
        int sliceLength = Math.max(1, keys / threads);
        int sliceStart = keys + Math.min(thread * sliceLength, keys - sliceLength);
        int inserted = 0;
        int deleted = 0;
        Object[] seq = new Object[OPS];
        for (int i = 0; i < OPS; i++) {
            switch (kinds[i]) {
                case INSERT -> seq[i] = all[sliceStart + inserted++ % sliceLength];
                case DELETE -> seq[i] = all[sliceStart + deleted++ % sliceLength];
                default -> {
                    int r = Arrays.binarySearch(cdf, random.nextDouble() * sum);
                    seq[i] = all[idOfRank[r < 0 ? Math.min(-r - 1, keys - 1) : r]];
                }
            }
        }
        return seq;
    }

    /** Parses --key-type. */
    static String parseKeyType(String value) throws BenchCommand.UsageError {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("integer") || v.equals("long") || v.equals("string")) {
            return v;
        }
        throw new BenchCommand.UsageError("--key-type must be integer, long or string, not '" + value + "'");
    }

    /** Parses --keys: a whole number, with an optional k or M suffix (65536, 64k, 1M). */
    static int parseKeys(String value) throws BenchCommand.UsageError {
        String v = value.trim();
        long factor = 1;
        if (v.endsWith("k") || v.endsWith("K")) {
            factor = 1 << 10;
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m") || v.endsWith("M")) {
            factor = 1 << 20;
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v) * factor;
            if (n >= 1 && n <= MAX_KEYS) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new BenchCommand.UsageError(
                "--keys must be a whole number from 1 to 4M such as 65536, 64k or 1M, not '" + value + "'");
    }
}
