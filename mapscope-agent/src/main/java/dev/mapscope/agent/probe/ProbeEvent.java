package dev.mapscope.agent.probe;

import dev.mapscope.agent.boot.MapWatch;
import java.util.Map;

/**
 * One map operation as a probe saw it, reused by its thread for every operation (nothing allocated until a
 * condition holds). Raw values are stored as the advice passed them; the derived ones (key hash, bucket,
 * map size, strings) are computed only when asked.
 */
final class ProbeEvent {
    static final int KEY_CHARS = 200;

    int code;
    Object map;
    Object key;
    Object value;
    /** the spread hash the advice had, or MapWatch.NO_HASH */
    int hash;
    Object[] table;
    long seed;
    int b;
    Thread thread;

    void set(int code, Object map, Object key, Object value, int hash, Object[] table, long seed, int b) {
        this.code = code;
        this.map = map;
        this.key = key;
        this.value = value;
        this.hash = hash;
        this.table = table;
        this.seed = seed;
        this.b = b;
    }

    /** Drops the references, so that a thread-local event keeps no map or key alive. */
    void clear() {
        map = null;
        key = null;
        value = null;
        table = null;
    }

    int op() {
        return code & 7;
    }

    int family() {
        return code >>> 3;
    }

    String opName() {
        return ProbeRequest.OPS[op()];
    }

    boolean hasKey() {
        int op = op();
        return op == 0 || op == 1 || op == 2;
    }

    /**
     * The key's hash as the map spreads it: HashMap (h ^ h >>> 16), ConcurrentHashMap the same masked to 31
     * bits, TreeMap the plain hashCode, GoMap the low 32 bits of its 64-bit hash. -1 when there is no key
     * (resize, clear) or its hashCode throws.
     */
    int keyHash() {
        if (!hasKey()) {
            return -1;
        }
        if (hash != MapWatch.NO_HASH) {
            return hash;
        }
        int h;
        try {
            h = key == null ? 0 : key.hashCode();
        } catch (Throwable e) {
            return -1;
        }
        switch (family()) {
            case ProbeAdvice.HASH:
                return key == null ? 0 : h ^ (h >>> 16);
            case ProbeAdvice.CONCURRENT:
                return (h ^ (h >>> 16)) & 0x7fffffff;
            case ProbeAdvice.GO:
                return (int) goHash(h);
            default:
                return h;
        }
    }

    /** GoMap.hash(key, seed): the mixer of mapscope-maps, repeated here (the class is not visible). */
    long goHash(int keyHashCode) {
        long x = (keyHashCode ^ seed) * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 32);
    }

    /** The bucket the operation uses, -1 when the map has no table yet, no buckets (TreeMap) or no key. */
    int bucket() {
        if (!hasKey()) {
            return -1;
        }
        if (family() == ProbeAdvice.GO) {
            int h;
            try {
                h = key == null ? 0 : key.hashCode();
            } catch (Throwable e) {
                return -1;
            }
            return (int) goHash(h) & ((1 << b) - 1);
        }
        if (table == null || table.length == 0) {
            return -1;
        }
        int kh = keyHash();
        return kh == -1 && hash == MapWatch.NO_HASH ? -1 : (table.length - 1) & kh;
    }

    /** key.toString(), at most KEY_CHARS characters; null for no key. */
    String keyString() {
        if (!hasKey()) {
            return null;
        }
        try {
            String s = String.valueOf(key);
            return s.length() <= KEY_CHARS ? s : s.substring(0, KEY_CHARS);
        } catch (Throwable e) {
            return "(toString threw " + e.getClass().getName() + ")";
        }
    }

    String valueClass() {
        return value == null ? null : value.getClass().getName();
    }

    int mapSize() {
        try {
            return map instanceof Map ? ((Map<?, ?>) map).size() : -1;
        } catch (Throwable e) {
            return -1;
        }
    }

    /** The table's length (buckets), for map.capacity: 2^B for GoMap, 0 before the first write, -1 TreeMap. */
    int capacity() {
        if (family() == ProbeAdvice.GO) {
            return 1 << b;
        }
        if (family() == ProbeAdvice.TREE) {
            return -1;
        }
        return table == null ? 0 : table.length;
    }
}
