package dev.mapscope.agent.probe;

import dev.mapscope.agent.boot.race.MapWatch;
import dev.mapscope.agent.condition.Subject;

/**
 * One map operation as a probe saw it, reused by its thread for every operation (nothing allocated until a
 * condition holds). Raw values are stored as the advice passed them; the key hash and the bucket, which
 * depend on the map's family, are computed here only when the condition, the capture or the same-bucket
 * detector reads them; the other derived values are the {@link Subject}'s business.
 */
final class ProbeEvent {
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

    /**
     * The bucket the operation uses, given its {@link #keyHash()}: {@code (n - 1) & keyHash} for the hash
     * tables, {@code hash & (2^B - 1)} for GoMap (the low bits of its hash are those of keyHash); -1 when the
     * map has no table yet, no buckets (TreeMap) or the operation no key.
     */
    int bucket(int keyHash) {
        if (!hasKey()) {
            return -1;
        }
        int f = family();
        if (f == ProbeAdvice.GO) {
            return keyHash & ((1 << b) - 1);
        }
        if (f == ProbeAdvice.TREE || table == null || table.length == 0) {
            return -1;
        }
        return (table.length - 1) & keyHash;
    }
}
