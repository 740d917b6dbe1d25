package dev.mapscope.agent.boot.race;

/**
 * One stripe of tier 2's table (see Sharing's essay): its young state, the map most recently claimed here, and its
 * kept states. The stripe is its own young state, so that the fast path and a claim read and write the stripe's
 * lines only, not a second object's, for each new map.
 */
final class MapStripe extends Sharing.MapState {
    final Sharing.MapState young = this;
    final Sharing.MapState[] kept = new Sharing.MapState[Sharing.KEPT];
    /** guarded by this: the kept slot to take next when all hold live maps */
    int victim;
    /**
     * The identity hash each kept slot was last given (0: never; HotSpot never hands out 0), written under the
     * monitor when a map moves in (keep). The fast paths read them plainly, in the line they read anyway, before
     * touching the kept states: a map whose hash is neither (nearly every map) costs no load of them. A stale
     * value only sends an access to the slow path or makes it look at a state that is not this map's.
     */
    int keptHash0;

    int keptHash1;

    MapStripe() {
        if (Sharing.KEPT != 2) {
            throw new AssertionError("keptHash0 and keptHash1 mirror the kept slots");
        }
        for (int i = 0; i < Sharing.KEPT; i++) {
            kept[i] = new Sharing.MapState();
        }
    }

    /** False when no kept slot can hold a map of identity hash {@code h}. */
    boolean mayKeep(int h) {
        return keptHash0 == h || keptHash1 == h;
    }
}
