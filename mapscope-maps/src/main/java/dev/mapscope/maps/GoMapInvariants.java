package dev.mapscope.maps;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * The structural invariants of a {@link GoMap} or a {@link GoLongMap}, checked by their {@code checkInvariants()}
 * in tests, through the map's {@link GoHmap}.
 */
final class GoMapInvariants {
    private GoMapInvariants() {}

    /** Throws AssertionError("{@code mapName} invariant broken: ...") naming the first invariant broken. */
    static void check(GoHmap h, String mapName) {
        try {
            check(h);
        } catch (Broken e) {
            throw new AssertionError(mapName + " invariant broken: " + e.getMessage());
        }
    }

    private static void check(GoHmap h) {
        int flags = h.flags();
        int count = h.count();
        int mapB = h.B();
        require((flags & GoMap.hashWriting) == 0, "hashWriting is set outside a write");
        if (!h.growing()) {
            // nevacuate is not checked here: as in Go it keeps its final value after a growth until the next one.
            require((flags & GoMap.sameSizeGrow) == 0, "sameSizeGrow is set while not growing");
        }
        GoTable t = h.buckets();
        if (t == null) {
            require(count == 0 && mapB == 0, "no buckets but count " + count + ", B " + mapB);
            return;
        }
        require(t.B == mapB, "bucket array has B " + t.B + ", map has B " + mapB);
        Set<Object> keys = new HashSet<>();
        int live = 0;
        int overflowBuckets = walk(h, t, "bucket", keys, -1);
        live += keys.size();
        if (mapB < 16) {
            require(
                    h.noverflow() == overflowBuckets,
                    "noverflow is " + h.noverflow() + " but " + overflowBuckets + " overflow buckets are allocated");
        }
        if (h.growing()) {
            GoTable old = h.oldbuckets();
            int oldB = h.isSameSizeGrow() ? mapB : mapB - 1;
            require(old.B == oldB, "old bucket array has B " + old.B + ", expected " + oldB);
            int newbit = 1 << oldB;
            require(
                    h.nevacuate() >= 0 && h.nevacuate() < newbit,
                    "nevacuate " + h.nevacuate() + " out of [0, " + newbit + ")");
            int before = keys.size();
            walk(h, old, "old bucket", keys, h.nevacuate());
            live += keys.size() - before;
            for (int j = 0; j < newbit; j++) {
                if (!old.evacuated(j)) {
                    require(
                            liveIn(t, j) == 0,
                            "new bucket " + j + " has entries but old bucket " + j + " is not evacuated");
                    if (!h.isSameSizeGrow()) {
                        require(
                                liveIn(t, j + newbit) == 0,
                                "new bucket " + (j + newbit) + " has entries but old bucket " + j
                                        + " is not evacuated");
                    }
                }
            }
        }
        require(live == count, "count is " + count + " but " + live + " live entries were found");
    }

    /**
     * Walks every chain of {@code t}: links, emptyRest, tophash, bucket placement, uniqueness and findability
     * of keys. Returns the number of overflow buckets. For an old array, {@code nevacuate} >= 0 and evacuation
     * states are checked; for the current one it is -1.
     */
    private static int walk(GoHmap h, GoTable t, String what, Set<Object> keys, int nevacuate) {
        boolean old = nevacuate >= 0;
        int n = 1 << t.B;
        BitSet seen = new BitSet(t.capacity());
        int overflowBuckets = 0;
        for (int i = 0; i < n; i++) {
            boolean evac = t.evacuated(i);
            require(old || !evac, what + " " + i + " of the current array is marked evacuated");
            require(
                    !old || i >= nevacuate || evac,
                    what + " " + i + " is below nevacuate " + nevacuate + " but not evacuated");
            boolean restSeen = false;
            for (int b = i; ; ) {
                require(!seen.get(b), what + " " + i + ": chain reaches bucket " + b + " twice");
                seen.set(b);
                if (b != i) {
                    require(
                            b >= n && b < t.nextOverflow,
                            what + " " + i + ": overflow link " + b + " outside the spare region");
                    overflowBuckets++;
                }
                for (int s = 0; s < GoMap.bucketCnt; s++) {
                    int top = t.top(b, s);
                    boolean evacState = top >= GoMap.evacuatedX && top <= GoMap.evacuatedEmpty;
                    require(
                            evac == evacState,
                            what + " " + i + " (bucket " + b + " slot " + s + "): tophash " + top
                                    + (evac ? " in an evacuated chain" : " is an evacuation state in a live chain"));
                    if (top == GoMap.emptyRest) {
                        restSeen = true;
                    }
                    if (top >= GoMap.minTopHash) {
                        require(
                                !restSeen,
                                what + " " + i + ": live slot " + s + " of bucket " + b + " after an emptyRest slot");
                        Object key = t.boxedKey(b, s);
                        long hash = t.hashAt(b, s, h.hash0());
                        require(
                                GoMap.tophash(hash) == (byte) top,
                                what + " " + i + ": key " + key + " has tophash " + (GoMap.tophash(hash) & 0xFF)
                                        + " but slot holds " + top);
                        require(
                                t.storedHashAgrees(b, s, hash),
                                what + " " + i + ": key " + key + " in slot " + s + " of bucket " + b
                                        + " has a stored hash that is not its hash");
                        require(
                                ((int) hash & (n - 1)) == i,
                                what + " " + i + ": key " + key + " belongs in bucket " + ((int) hash & (n - 1)));
                        require(keys.add(new Wrapped(key)), "key " + key + " is stored twice");
                        require(h.lookup(t, b, s) == t.elem(b, s), "key " + key + " is not found by a lookup");
                    } else if (!evac || (h.flags() & GoMap.oldIterator) == 0) {
                        // Deleted slots, and evacuated ones when no iterator may need them, must not keep garbage
                        // alive.
                        require(
                                t.cleared(b, s),
                                what + " " + i + ": empty or evacuated slot " + s + " of bucket " + b
                                        + " still references a key or elem");
                    }
                }
                b = t.overflow[b];
                if (b == 0) {
                    break;
                }
            }
        }
        return overflowBuckets;
    }

    private static int liveIn(GoTable t, int i) {
        int live = 0;
        for (int b = i; ; ) {
            for (int s = 0; s < GoMap.bucketCnt; s++) {
                if (t.top(b, s) >= GoMap.minTopHash) {
                    live++;
                }
            }
            b = t.overflow[b];
            if (b == 0) {
                return live;
            }
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new Broken(message);
        }
    }

    /** A broken invariant, turned into an AssertionError that names the map by check(h, mapName). */
    private static final class Broken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Broken(String message) {
            super(message, null, false, false);
        }
    }

    /** A key in a set, compared with equals() but tolerating null. */
    private static final class Wrapped {
        final Object key;

        Wrapped(Object key) {
            this.key = key;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Wrapped && java.util.Objects.equals(key, ((Wrapped) o).key);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hashCode(key);
        }
    }
}
