package dev.mapscope.agent.boot;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One thread's vector clock and re-entrancy flag. Bootstrap-visible: the inlined advice in java.util and
 * java.util.concurrent reaches it through {@link MapWatch}.
 */
public final class ThreadState {
    /*
     * Every thread that takes part in tier 2 (writes a map, releases or acquires something we track) gets a
     * small index, its component in every vector clock. Indices are never reused, so a vector clock is a
     * dense int array as long as the highest index it has heard of. MAX_THREADS bounds the memory: a thread
     * created after that many gets index -1 and is not tracked by tier 2 (tier 1 still covers it), counted
     * in untracked().
     *
     * Ownership: vc, clock and busy are read and written only by the owning thread. Other threads read this
     * object's vc only through a SyncClock (a copy joined under that clock's monitor), never directly.
     */
    static final int MAX_THREADS = 8192;
    private static final AtomicInteger NEXT_INDEX = new AtomicInteger();
    private static final AtomicInteger UNTRACKED = new AtomicInteger();

    /** initialValue stays null so that peek() can tell "never took part" from "took part". */
    private static final ThreadLocal<ThreadState> LOCAL = new ThreadLocal<>();

    final Thread thread;
    /** this thread's component in vector clocks, or -1 when MAX_THREADS was reached. */
    final int idx;
    /** vc[idx] == clock; other components: the latest clock of each thread this one has synchronised with. */
    int[] vc;
    /** this thread's current epoch: advanced after each release, so later writes are not covered by it. */
    int clock;
    /**
     * How many joins raised a component of vc other than this thread's own; written by Clocks, by the owning
     * thread only. A release with the same count as this thread's last release into a clock knows that vc
     * only changed in its own component since (FastTrack's same-epoch release, see Clocks).
     */
    int joins;
    /**
     * True while the agent itself runs on this thread (a slow path, a report). Map writes and
     * synchronisation done by the agent's own code are then ignored: this is the re-entrancy guard, and it
     * costs the fast path one load from an object tier 2 has fetched anyway.
     */
    boolean busy;

    private ThreadState(Thread thread, int idx) {
        this.thread = thread;
        this.idx = idx;
        this.clock = 1;
        if (idx >= 0) {
            vc = new int[idx + 1];
            vc[idx] = 1;
        } else {
            vc = new int[0];
        }
    }

    /** The current thread's state, created on first use (with the clock inherited from Thread.start). */
    static ThreadState current() {
        ThreadState t = LOCAL.get();
        if (t == null) {
            t = create(Thread.currentThread());
            LOCAL.set(t);
        }
        return t;
    }

    /** The current thread's state, or null if it never took part. */
    static ThreadState peek() {
        return LOCAL.get();
    }

    private static ThreadState create(Thread thread) {
        int idx = NEXT_INDEX.getAndIncrement();
        if (idx >= MAX_THREADS) {
            NEXT_INDEX.set(MAX_THREADS); // keep it from wrapping
            UNTRACKED.incrementAndGet();
            return new ThreadState(thread, -1);
        }
        ThreadState t = new ThreadState(thread, idx);
        Clocks.inheritStart(t);
        return t;
    }

    static int untracked() {
        return UNTRACKED.get();
    }

    /** Starts a new epoch (after a release). */
    void tick() {
        clock++;
        vc[idx] = clock;
    }

    /** True if this thread has synchronised with thread index {@code other} at or after its epoch {@code epoch}. */
    boolean happensAfter(int other, int epoch) {
        return other >= 0 && other < vc.length && vc[other] >= epoch;
    }

    /** Joins {@code from} into this thread's clock; own component is never lowered. */
    void join(int[] from) {
        vc = Clocks.join(vc, from);
    }
}
