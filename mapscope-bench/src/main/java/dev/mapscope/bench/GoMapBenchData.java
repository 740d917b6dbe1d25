package dev.mapscope.bench;

import dev.mapscope.maps.GoMap;
import it.unimi.dsi.fastutil.objects.Object2ObjectOpenHashMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Seeded keys and the three map implementations compared by the GoMap benchmarks. */
final class GoMapBenchData {
    /** Operations per benchmark invocation for the per-operation benchmarks. */
    static final int BATCH = 1024;

    static final long SEED = 20_260_526L;

    private GoMapBenchData() {}

    /** An empty map of the named implementation; {@code expected >= 0} presizes it for that many entries. */
    static Map<Object, Object> create(String impl, int expected) {
        switch (impl) {
            case "GoMap":
                return expected < 0 ? new GoMap<>() : new GoMap<>(expected);
            case "HashMap":
                // HashMap takes a table capacity, not an entry count: divide by its load factor 0.75.
                return expected < 0 ? new HashMap<>() : new HashMap<>((int) (expected / 0.75f) + 1);
            case "fastutil":
                return expected < 0 ? new Object2ObjectOpenHashMap<>() : new Object2ObjectOpenHashMap<>(expected);
            default:
                throw new IllegalArgumentException("unknown map implementation: " + impl);
        }
    }

    /**
     * {@code n} distinct random keys of the named type, from {@code random}. Integer and Long keys are spread
     * over their whole range; String keys look like identifiers ("user-" and 12 hex digits).
     */
    static Object[] keys(String keyType, int n, Random random, Set<Object> exclude) {
        Set<Object> seen = new HashSet<>(exclude);
        Object[] out = new Object[n];
        for (int i = 0; i < n; ) {
            Object k = key(keyType, random);
            if (seen.add(k)) {
                out[i++] = k;
            }
        }
        return out;
    }

    private static Object key(String keyType, Random random) {
        switch (keyType) {
            case "Integer":
                return random.nextInt();
            case "Long":
                return random.nextLong();
            case "String":
                return "user-" + Long.toHexString(random.nextLong() & 0xFFFF_FFFF_FFFFL);
            default:
                throw new IllegalArgumentException("unknown key type: " + keyType);
        }
    }

    /**
     * An equal but distinct copy of a key, as a lookup built from other data would be; String copies get their
     * hash code cached, so that the benchmarks time the maps rather than String.hashCode().
     */
    static Object copy(Object key) {
        if (key instanceof Integer) {
            return Integer.valueOf(((Integer) key).intValue() + 0); // outside the small-value cache: a new object
        }
        if (key instanceof Long) {
            return Long.valueOf(((Long) key).longValue());
        }
        String s = new String(((String) key).toCharArray());
        s.hashCode();
        return s;
    }

    /** {@code length} keys picked at random from {@code keys}, each an equal copy. */
    static Object[] lookups(Object[] keys, int length, Random random) {
        Object[] out = new Object[length];
        for (int i = 0; i < length; i++) {
            out[i] = copy(keys[random.nextInt(keys.length)]);
        }
        return out;
    }

    /** Fisher-Yates shuffle with the given generator. */
    static void shuffle(Object[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Object t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Smallest power of two at least {@code n}, and at least BATCH. */
    static int pow2AtLeast(int n) {
        int p = BATCH;
        while (p < n) {
            p <<= 1;
        }
        return p;
    }
}
