package dev.mapscope.agent.boot.race;

/**
 * One stripe of tier 2's table (see Sharing's essay): its kept states and its monitor. Its young state is packed in
 * {@link Young}, so that a new map's first write touches neither this object nor its monitor.
 */
final class MapStripe {
    final MapState[] kept = new MapState[Sharing.KEPT];
    /** guarded by this: the kept slot to take next when all hold live maps */
    int victim;
    /**
     * Readers found ordered after the young state's current write: slot (thread id & 3) holds the reader's thread id
     * and the young state's W (folded to 32 bits) it was checked against, so that a thread reading the young map
     * again in the same write epoch skips its ThreadLocal and its clock. Plain stores by readers: a torn or stale
     * memo only sends a read to the full check, or skips the check of one read: a miss, never a false report.
     */
    final long[] youngReaders = new long[Sharing.MEMO_SLOTS];

    MapStripe() {
        for (int i = 0; i < Sharing.KEPT; i++) {
            kept[i] = new MapState();
        }
    }
}
