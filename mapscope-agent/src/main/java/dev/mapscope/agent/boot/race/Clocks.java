package dev.mapscope.agent.boot.race;

/**
 * Vector clocks of synchronisation objects, and the edges tier 2 observes: release/acquire on locks,
 * latches, queues and futures; Thread.start, termination and join.
 */
final class Clocks {
    /*
     * A synchronisation object's clock lives in a striped table indexed by its identity hash, not beside the
     * object (no field can be added to a loaded JDK class). Two objects that share a stripe share a clock:
     * that only adds happens-before edges, so a collision can hide a race but never invent one. The same
     * holds for the start and end tables, indexed by thread id: a child joins the clock of every start that
     * hashed to its stripe, ever (the stripe only grows), which again can only add edges.
     *
     * Each stripe is guarded by its own monitor (never an AQS lock: the agent would observe itself). The
     * critical sections are a join of two int arrays, O(number of threads seen).
     */
    static final int SYNC_STRIPES = 4096;
    static final int THREAD_STRIPES = 1024;

    static final class Stripe {
        /** guarded by this stripe's monitor */
        int[] vc = EMPTY;
    }

    static final int[] EMPTY = new int[0];
    private static final Stripe[] SYNC = stripes(SYNC_STRIPES);
    private static final Stripe[] STARTS = stripes(THREAD_STRIPES);
    private static final Stripe[] ENDS = stripes(THREAD_STRIPES);

    private Clocks() {}

    private static Stripe[] stripes(int n) {
        Stripe[] s = new Stripe[n];
        for (int i = 0; i < n; i++) {
            s[i] = new Stripe();
        }
        return s;
    }

    /** Element-wise max; returns {@code into} when it was long enough, else a grown copy. */
    static int[] join(int[] into, int[] from) {
        int[] r = into;
        if (from.length > into.length) {
            r = new int[from.length];
            System.arraycopy(into, 0, r, 0, into.length);
        }
        for (int i = 0; i < from.length; i++) {
            if (from[i] > r[i]) {
                r[i] = from[i];
            }
        }
        return r;
    }

    private static void releaseInto(Stripe s, ThreadState t) {
        synchronized (s) {
            s.vc = join(s.vc, t.vc);
        }
        t.tick();
    }

    private static void acquireFrom(Stripe s, ThreadState t) {
        int[] copy;
        synchronized (s) {
            copy = s.vc;
            if (copy.length == 0) {
                return;
            }
            t.join(copy);
        }
    }

    private static int syncStripe(Object sync) {
        return System.identityHashCode(sync) & (SYNC_STRIPES - 1);
    }

    private static int threadStripe(Thread thread) {
        @SuppressWarnings("deprecation") // threadId() is JDK 19+; getId() is the same value on 17.
        long id = thread.getId();
        return (int) id & (THREAD_STRIPES - 1);
    }

    static void release(Object sync) {
        ThreadState t = ThreadState.tracked();
        if (t.busy || t.idx < 0) {
            return;
        }
        releaseInto(SYNC[syncStripe(sync)], t);
    }

    static void acquire(Object sync) {
        ThreadState t = ThreadState.tracked();
        if (t.busy || t.idx < 0) {
            return;
        }
        acquireFrom(SYNC[syncStripe(sync)], t);
    }

    /** Parent side of Thread.start: everything the parent did so far happens before the child's first action. */
    static void start(Thread child) {
        ThreadState t = ThreadState.tracked();
        if (t.busy || t.idx < 0) {
            return;
        }
        releaseInto(STARTS[threadStripe(child)], t);
    }

    /** Child side of Thread.start, run once when the child's state is created. */
    static void inheritStart(ThreadState child) {
        acquireFrom(STARTS[threadStripe(child.thread)], child);
    }

    /** The current thread is terminating (Thread.exit). Only threads that took part publish a clock. */
    static void exit() {
        ThreadState t = ThreadState.peek();
        if (t == null || t.busy || t.idx < 0) {
            return;
        }
        releaseInto(ENDS[threadStripe(t.thread)], t);
    }

    /** The current thread saw {@code ended} terminated (join returned, isAlive was false). */
    static void ended(Thread ended) {
        ThreadState t = ThreadState.tracked();
        if (t.busy || t.idx < 0) {
            return;
        }
        acquireFrom(ENDS[threadStripe(ended)], t);
    }
}
