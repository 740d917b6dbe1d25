package dev.mapscope.agent.boot.race;

import java.lang.ref.WeakReference;

/**
 * Tier 2's exact state of one kept map (see Sharing's essay): its last writer and epoch, what it recorded while the
 * map is suspected, its readers. Guarded by its stripe's monitor; the fast paths read some fields plainly.
 */
final class MapState {
    // Written under the stripe's monitor; the fast path reads them plainly (see the essay).
    int hash;
    Class<?> type;
    /** the map */
    WeakReference<Object> ref;
    /** written last when a state changes hands, read first on the fast path; null when the slot is free */
    volatile ThreadState writer;

    int epoch;
    String op;
    /** the writer's stack at its write, while recording */
    StackTraceElement[] writerStack;

    boolean recording;
    /** the sink's key of this map's last race, for counting repeats that are not examined */
    long lastKey;
    /** a race on this map whose earlier write's stack was not recorded, waiting for a repeat */
    Race held;
    /** the writer's clock when writerStack was taken */
    int stackEpoch;
    /** while recording (suspected): what the map is seen doing; null otherwise */
    Counts counts;
    /**
     * The last read race reported on this map: its reader, writer and write epoch. A read of the same
     * triple is the same race again and is not examined (plain; read on the fast path: a stale value
     * only sends a read to the slow path, which checks again under the monitor).
     */
    ThreadState raceReader;

    ThreadState raceWriter;
    int raceEpoch;
    /** the sink's key of this map's last read race */
    long readKey;
    /**
     * Bumped (under the stripe's monitor) after every change of writer or epoch, and when the slot is
     * claimed: what a reader's memo (ordered) was checked against.
     */
    volatile int version;
    /**
     * Readers found ordered after the current write: slot (thread id & 3) holds the reader's thread id
     * and the version it was checked at, so that a thread reading the map again in the same write epoch
     * skips its ThreadLocal and its clock (see read()). Plain stores by readers: a torn or stale memo
     * only sends a read to the full check, or (a thread id paired with another's version) skips the check
     * of one read: a miss, never a false report.
     */
    final long[] orderedReaders = new long[Sharing.MEMO_SLOTS];
    /*
     * FastTrack's read state, kept only while the map is suspected (recording): the reads since the last
     * write that did not come from the writer itself. One reader: `reader` at `readEpoch`; several
     * readers not ordered with each other: the read-shared vector `readVc` (component = thread index,
     * value = that reader's epoch at its last read). Guarded by the stripe's monitor; the fast path reads
     * them plainly to skip a read in an epoch already recorded.
     */
    ThreadState reader;

    int readEpoch;
    int[] readVc;
    /**
     * A write found a read it is not ordered after, whose stack was not known: later reads record their
     * stack (one per new read epoch, within the stack budget) until such a race is reported.
     */
    boolean wantReadStacks;
    /** the last read whose stack was recorded: its thread, epoch, operation and kind */
    StackTraceElement[] readStack;

    ThreadState readStackOwner;
    int readStackEpoch;
    String readOp;
    boolean readIteration;

    boolean holds(Object map, int h, Class<?> c) {
        if (writer == null) {
            return false;
        }
        return ref != null ? ref.get() == map : hash == h && type == c;
    }

    boolean current(ThreadState t, int h, Class<?> c) {
        return writer == t && epoch == t.clock && hash == h && type == c;
    }

    /**
     * Takes the slot for {@code map}, last written by {@code t} at {@code e}; under the stripe's monitor. The writer
     * is stored last (readers on the fast path read it first), then the version.
     */
    void claim(int h, Class<?> c, WeakReference<Object> r, ThreadState t, int e, String o) {
        hash = h;
        type = c;
        ref = r;
        epoch = e;
        op = o;
        writerStack = null;
        recording = false;
        lastKey = 0;
        held = null;
        stackEpoch = 0;
        counts = null;
        raceReader = null;
        raceWriter = null;
        readKey = 0;
        clearReads();
        readStack = null;
        readStackOwner = null;
        wantReadStacks = false;
        writer = t;
        version++;
    }

    void clearReads() {
        reader = null;
        readVc = null;
    }
}
