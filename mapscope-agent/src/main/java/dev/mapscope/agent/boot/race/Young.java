package dev.mapscope.agent.boot.race;

import java.lang.invoke.VarHandle;

/**
 * Tier 2's young states (see Sharing's essay), packed into one array of longs: the state of the map most recently
 * claimed in each stripe, and the identity hashes of the stripe's kept maps.
 */
final class Young {
    /*
     * Why packed: every new map's first write reads its stripe's young state, at a random place. As fields of an
     * object per stripe (16,384 objects of a few lines each, spread over the old generation) that read was a cache
     * and TLB miss per new map, the largest single cost of mode=full on a JSON parser (a sixth of its time). Here a
     * stripe is 32 bytes of one 512 KB array, and a claim (a new map) stores two longs without a monitor: the
     * stripe's object, its monitor and its kept states are touched only by the maps that need them.
     *
     * Per stripe, four longs from base = stripe * STRIDE:
     *   W (base):     the map's identity hash above the stripe's bits (17 bits, 45..61), the writer's tier-2 index
     *                 (13 bits, 32..44) and the writer's epoch (0..31); 0 when free (epochs start at 1).
     *   X (base + 1): the identity hash of the map's table after its writer's last write (fp, 32..63), the index
     *                 + 1 of the thread that stored it (16..29; 0: none), the epochs the writer wrote the map in
     *                 (8..15) and the last write's operation (an id into OPS, 0..7).
     *   K (base + 2): the identity hashes of the stripe's two kept maps (low and high half; 0: none), written
     *                 under the stripe's monitor, read plainly: a stale value only sends an access to the slow
     *                 path or makes it look at a kept state that is not the map's.
     *   base + 3:     unused (a stripe is half a cache line).
     *
     * W is one word: the writer, its epoch and the map's hash can never be torn apart (a plain long access is atomic
     * on every 64-bit JVM, as JLS 17.7 recommends and HotSpot does), so what a state says is always one thread's
     * write (FastTrack's write epoch) of a map with that identity hash. X is written before W and read after it
     * (fences between), but two threads claiming one stripe at once can leave one's W with the other's X. That is
     * why X names the thread that stored its fp: the fp is evidence only when that thread is W's writer (the stores
     * of one thread are in order). A wrong epochs count or operation name costs at most a map kept earlier or
     * later, or a wrong name in a held race's earlier write. Every decision that can end in a report is taken
     * under the stripe's monitor from a kept state (compared by reference); the young state only orders
     * hand-overs and arms suspicion, as before it was packed.
     *
     * No compare-and-set: a store that overwrites a concurrent claim loses that claim (a missed write, never a
     * false report). And no VarHandle access: its call sites link on first use, which loads classes, and a class
     * loaded inside the agent's class-file hook fails with ClassCircularityError in the application (seen on the
     * corpus with a first version of this class).
     */
    static final int STRIDE = 4;

    private static final long[] SLOTS = new long[Sharing.STRIPES * STRIDE];

    private static final int HASH_SHIFT = 45;
    private static final int WRITER_SHIFT = 32;
    private static final long WRITER_MASK = (1L << 13) - 1;
    private static final long EPOCH_MASK = 0xffff_ffffL;
    private static final int STRIPE_BITS = Integer.numberOfTrailingZeros(Sharing.STRIPES);

    /** Operation names by id; id 0 is "unknown". Guarded by OPS for additions; read plainly (ids only grow). */
    private static final String[] OPS = new String[256];

    private static volatile int opCount = 1;

    static {
        if (ThreadState.MAX_THREADS > WRITER_MASK + 1 || Sharing.STRIPES != 1 << 14) {
            throw new AssertionError("W holds a 13-bit writer index and the 17 hash bits above 14 stripe bits");
        }
        OPS[0] = "write";
    }

    private Young() {}

    static int base(int h) {
        return (h & (Sharing.STRIPES - 1)) * STRIDE;
    }

    /** W for a write of a map of identity hash {@code h} by the thread of index {@code idx} at {@code epoch}. */
    static long tag(int h, int idx, int epoch) {
        return (long) (h >>> STRIPE_BITS) << HASH_SHIFT | (long) idx << WRITER_SHIFT | (epoch & EPOCH_MASK);
    }

    static long w(int base) {
        return SLOTS[base];
    }

    /** X, read after W (the fence keeps the loads in that order). */
    static long x(int base) {
        VarHandle.loadLoadFence();
        return SLOTS[base + 1];
    }

    static long kept(int base) {
        return SLOTS[base + 2];
    }

    /** True if W is a state of a map whose identity hash is {@code h}. */
    static boolean names(long w, int h) {
        return w != 0 && (w >>> HASH_SHIFT) == h >>> STRIPE_BITS;
    }

    static int writer(long w) {
        return (int) (w >>> WRITER_SHIFT & WRITER_MASK);
    }

    static int epoch(long w) {
        return (int) w;
    }

    static int epochs(long x) {
        return (int) (x >>> 8) & 0xff;
    }

    static String op(long x) {
        String op = OPS[(int) x & 0xff];
        return op != null ? op : OPS[0];
    }

    /** The fp of X if the thread of index {@code idx} stored it (0 otherwise: unknown). */
    static int fpBy(long x, int idx) {
        return ((int) (x >>> 16) & 0x3fff) == idx + 1 ? (int) (x >>> 32) : 0;
    }

    /** True if a kept map of the stripe may have identity hash {@code h}. */
    static boolean mayKeep(long k, int h) {
        return k != 0 && ((int) k == h || (int) (k >>> 32) == h);
    }

    /** Stores a young state: X first, then W, so that a reader that sees W sees this X or a later one. */
    static void set(int base, long w, long x) {
        SLOTS[base + 1] = x;
        VarHandle.storeStoreFence();
        SLOTS[base] = w;
    }

    /** Claims the young state for the write {@code w} of {@code t} (a new map, or a hand-over): one epoch, no fp. */
    static void claim(int base, long w, String op, ThreadState t) {
        set(base, w, 1L << 8 | opId(op, t));
    }

    /** X of the same writer's state in a new epoch: its fp stays. */
    static long nextEpoch(long x, int epochs, int opId) {
        return x & ~0xffffL | (long) epochs << 8 | opId;
    }

    /** Remembers the fp of a write by the thread of index {@code idx} in X (read as {@code x}), if it changes. */
    static void fp(int base, long x, int fp, int idx) {
        long nx = (long) fp << 32 | (long) (idx + 1) << 16 | x & 0xffffL;
        if (nx != x) {
            SLOTS[base + 1] = nx;
        }
    }

    /** Frees the young state if it is still {@code w} (under the stripe's monitor). */
    static void free(int base, long w) {
        if (SLOTS[base] == w) {
            SLOTS[base] = 0;
        }
    }

    /** Under the stripe's monitor: the identity hashes of its kept maps. */
    static void setKept(int base, int h0, int h1) {
        SLOTS[base + 2] = (long) h1 << 32 | (h0 & 0xffff_ffffL);
    }

    /** The id of an operation name; the thread caches its last one (ids never change). */
    static int opId(String op, ThreadState t) {
        if (t.lastOp == op) {
            return t.lastOpId;
        }
        int id = lookup(op);
        t.lastOp = op;
        t.lastOpId = id;
        return id;
    }

    private static int lookup(String op) {
        int n = opCount;
        for (int i = 1; i < n; i++) {
            if (op.equals(OPS[i])) {
                return i;
            }
        }
        synchronized (OPS) {
            n = opCount;
            for (int i = 1; i < n; i++) {
                if (op.equals(OPS[i])) {
                    return i;
                }
            }
            if (n == OPS.length) {
                return 0; // more than 255 operation names: shown as "write"
            }
            OPS[n] = op;
            opCount = n + 1; // volatile: publishes OPS[n] to plain readers that read opCount first
            return n;
        }
    }
}
