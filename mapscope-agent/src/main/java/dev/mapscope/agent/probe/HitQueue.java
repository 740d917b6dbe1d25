package dev.mapscope.agent.probe;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded multi-producer, single-consumer queue of hit lines: application threads offer, the probe's
 * writer thread polls. Lock-free on purpose: a j.u.c queue or lock here would be followed by the race
 * detector, and the edges it adds between application threads could hide a real race.
 */
final class HitQueue {
    /*
     * A producer claims sequence number s with a CAS on tail (only while s - head < capacity), then publishes
     * its line with a release store into cell s & mask. The consumer reads cell head & mask with an acquire
     * load; null means "claimed, not yet published" and it stops there. It clears the cell (plain, ordered by
     * the release store of head) and advances head with a release store, which frees the cell for the
     * producer that claims s + capacity.
     */
    private final String[] cells;
    private final int mask;
    private final AtomicLong tail = new AtomicLong();
    /** written only by the consumer (release); read by producers (acquire) */
    private volatile long head;

    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(String[].class);

    HitQueue(int capacityPowerOfTwo) {
        cells = new String[capacityPowerOfTwo];
        mask = capacityPowerOfTwo - 1;
    }

    /** False when the queue is full (the caller counts a drop). */
    boolean offer(String line) {
        for (; ; ) {
            long t = tail.get();
            if (t - head >= cells.length) {
                return false;
            }
            if (tail.compareAndSet(t, t + 1)) {
                CELL.setRelease(cells, (int) (t & mask), line);
                return true;
            }
        }
    }

    /** The next published line, or null. Consumer only. */
    String poll() {
        long h = head;
        if (h == tail.get()) {
            return null;
        }
        int i = (int) (h & mask);
        String line = (String) CELL.getAcquire(cells, i);
        if (line == null) {
            return null; // claimed but not yet published
        }
        cells[i] = null;
        head = h + 1; // volatile store: releases the cell to producers
        return line;
    }
}
