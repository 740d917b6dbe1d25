package dev.mapscope.agent.boot.race;

/** Test access to the current thread's clock, to see releases (each starts a new epoch) and acquires. */
public final class ClockProbe {
    private ClockProbe() {}

    /** The current thread's epoch: one more after each release it made. */
    public static int epoch() {
        return ThreadState.tracked().clock;
    }

    /** The current thread's knowledge of thread {@code other}'s epoch. */
    public static int knows(int otherIndex) {
        int[] vc = ThreadState.tracked().vc;
        return otherIndex < vc.length ? vc[otherIndex] : 0;
    }

    public static int index() {
        return ThreadState.tracked().idx;
    }
}
