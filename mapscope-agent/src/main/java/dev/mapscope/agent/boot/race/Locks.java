package dev.mapscope.agent.boot.race;

import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The java monitors ({@code synchronized}) the current thread holds, for tier 2's lockset. Only asked on an
 * unordered change of a map's writer, and sampled.
 */
final class Locks {
    /*
     * Monitor enter and exit are bytecodes, not methods: there is nothing to instrument cheaply, so tier 2
     * cannot see them as happens-before edges. Instead it asks, on an unordered change of writer, which
     * monitors the new writer holds. ThreadMXBean reports them as identity hashes; its cost is a thread dump
     * of one thread (tens of microseconds, a safepoint on JDK 17). To keep a correctly synchronised map
     * that changes writer on every call from paying that each time:
     *   - if the candidate set contains the map itself and Thread.holdsLock(map) is true (synchronized(map),
     *     the common idiom), no dump is taken;
     *   - once a map's candidate set survived CHECKS_BEFORE_SAMPLING checks, only one change in SAMPLE_EVERY
     *     is checked; the others assume the set still holds (a race can be found later than it happens);
     *   - at most BUDGET_PER_SECOND dumps per second over the whole JVM; beyond it a change is not checked.
     * Identity hashes can collide: two monitors with equal hash count as one, which can only hide a race.
     */
    static final int CHECKS_BEFORE_SAMPLING = 8;
    static final int SAMPLE_EVERY = 16;
    static final int BUDGET_PER_SECOND = 1000;
    private static final int[] NONE = new int[0];

    /** guarded by Locks.class */
    private static long windowStart;
    /** guarded by Locks.class */
    private static int used;

    private static volatile ThreadMXBean bean;

    private Locks() {}

    /**
     * The sorted identity hashes of the monitors the current thread holds; or null when this change is not
     * checked (sampled out, or over budget).
     */
    static int[] held(Object map, Sharing.MapState s, Object guard) {
        int[] c = s.lockset;
        if (c != null && c.length > 0) {
            s.lockChecks++;
            int mh = System.identityHashCode(map);
            if (Arrays.binarySearch(c, mh) >= 0 && Thread.holdsLock(map)) {
                return new int[] {mh};
            }
            if (s.lockChecks > CHECKS_BEFORE_SAMPLING && s.lockChecks % SAMPLE_EVERY != 0) {
                return null;
            }
        }
        if (!takeBudget()) {
            return null;
        }
        return without(
                monitors(map), System.identityHashCode(guard)); // the caller holds guard: not the application's lock
    }

    private static int[] without(int[] set, int hash) {
        int i = Arrays.binarySearch(set, hash);
        if (i < 0) {
            return set;
        }
        int[] r = new int[set.length - 1];
        System.arraycopy(set, 0, r, 0, i);
        System.arraycopy(set, i + 1, r, i, set.length - i - 1);
        return r;
    }

    private static synchronized boolean takeBudget() {
        long now = System.nanoTime();
        if (now - windowStart > 1_000_000_000L) {
            windowStart = now;
            used = 0;
        }
        if (used >= BUDGET_PER_SECOND) {
            return false;
        }
        used++;
        return true;
    }

    static int[] monitors(Object map) {
        try {
            ThreadMXBean b = bean;
            if (b == null) {
                b = ManagementFactory.getThreadMXBean();
                bean = b;
            }
            @SuppressWarnings("deprecation")
            long id = Thread.currentThread().getId();
            ThreadInfo[] infos = b.getThreadInfo(new long[] {id}, true, false);
            if (infos.length == 0 || infos[0] == null) {
                return fallback(map);
            }
            MonitorInfo[] held = infos[0].getLockedMonitors();
            int[] r = new int[held.length];
            for (int i = 0; i < held.length; i++) {
                r[i] = held[i].getIdentityHashCode();
            }
            Arrays.sort(r);
            return r;
        } catch (Throwable e) {
            return fallback(map); // no java.management in this runtime: only synchronized(map) is seen
        }
    }

    private static int[] fallback(Object map) {
        return Thread.holdsLock(map) ? new int[] {System.identityHashCode(map)} : NONE;
    }

    /** Sorted intersection of two sorted sets. */
    static int[] intersect(int[] a, int[] b) {
        int[] r = new int[Math.min(a.length, b.length)];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                r[n++] = a[i];
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return n == r.length ? r : Arrays.copyOf(r, n);
    }
}
