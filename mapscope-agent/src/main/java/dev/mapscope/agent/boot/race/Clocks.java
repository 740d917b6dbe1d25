package dev.mapscope.agent.boot.race;

/**
 * Vector clocks of synchronisation objects, and the edges tier 2 observes: release/acquire on monitors,
 * volatile fields, atomics, locks, latches, queues and futures; class initialisation; Thread.start,
 * termination and join.
 */
final class Clocks {
    /*
     * A synchronisation object's clock lives in a striped table indexed by its identity hash, not beside the
     * object (no field can be added to a loaded JDK class). Two objects that share a stripe share a clock:
     * that only adds happens-before edges, so a collision can hide a race but never invent one. The same
     * holds for the start and end tables, indexed by thread id: a child joins the clock of every start that
     * hashed to its stripe, ever (the stripe only grows), which again can only add edges. Two clocks stand
     * alone: CLASS_INITS, which every static initializer releases into, and STATICS, shared by static
     * volatile fields and the VarHandle/Unsafe accesses whose target object is not known.
     *
     * Each stripe is guarded by its own monitor (never an AQS lock: the agent would observe itself). A full
     * release or acquire joins two int arrays, O(number of threads seen). FastTrack's observation is that
     * most synchronisation is thread-local in practice (an uncontended monitor, a flag read again and
     * again), so two cases skip the join:
     *   - acquire: the stripe's coveredBy names this thread, so no release happened since this thread last
     *     joined (or wrote) the stripe's clock: there is nothing new to learn. One volatile read, no monitor.
     *   - release: this thread was also the last to release here, it has joined nothing since (ThreadState
     *     .joins unchanged) and still covers the stripe: the stripe's clock equals this thread's except for
     *     its own component, which is the only one to update.
     * The hooks that call release run before the program's release action (monitorexit, volatile store) and
     * the ones that call acquire after its acquire action, so a thread that sees another's release in the
     * program has also seen its hook's effect on coveredBy.
     */
    static final int SYNC_STRIPES = 4096;
    static final int THREAD_STRIPES = 1024;

    static final class Stripe {
        /** guarded by this stripe's monitor */
        int[] vc = EMPTY;
        /**
         * A thread whose vector clock is at least vc, or null when none is known. Written under the monitor;
         * read without it by acquire's fast path (volatile: a release's null is seen by any later acquirer).
         */
        volatile ThreadState coveredBy;
        /** the last thread to release into this stripe, and its join count then; guarded by the monitor */
        ThreadState releaser;

        int releaserJoins;
    }

    static final int[] EMPTY = new int[0];
    private static final Stripe[] SYNC = stripes(SYNC_STRIPES);
    /**
     * The read unlocks of read/write locks (ThreadSanitizer's "read clock"): every read unlock releases
     * here, a write lock acquires here and in SYNC, a read lock only in SYNC. So a reader sees the last write
     * unlock, a writer sees every reader before it, and two readers are not ordered with each other.
     */
    private static final Stripe[] READ_UNLOCKS = stripes(SYNC_STRIPES);

    private static final Stripe[] STARTS = stripes(THREAD_STRIPES);
    private static final Stripe[] ENDS = stripes(THREAD_STRIPES);
    /** every static initializer's end (JLS 12.4.2: initialisation happens before any use by another thread) */
    private static final Stripe CLASS_INITS = new Stripe();
    /** static volatile fields, and VarHandle/Unsafe accesses whose target object is not known */
    private static final Stripe STATICS = new Stripe();

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

    /** True if {@code a} has a component greater than {@code b}'s (b knows less than a). */
    private static boolean exceeds(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] > (i < b.length ? b[i] : 0)) {
                return true;
            }
        }
        return false;
    }

    /** Joins {@code from} into t's clock; counts the join in t.joins when it raised a component. */
    private static void joinInto(ThreadState t, int[] from) {
        int[] vc = t.vc;
        boolean raised = false;
        if (from.length > vc.length) {
            int[] r = new int[from.length];
            System.arraycopy(vc, 0, r, 0, vc.length);
            vc = r;
            t.vc = r;
        }
        for (int i = 0; i < from.length; i++) {
            if (from[i] > vc[i]) {
                vc[i] = from[i];
                raised = true;
            }
        }
        if (raised) {
            t.joins++;
        }
    }

    private static void releaseInto(Stripe s, ThreadState t) {
        synchronized (s) {
            if (s.releaser == t && s.releaserJoins == t.joins && s.coveredBy == t) {
                s.vc[t.idx] = t.clock; // equal to t.vc but for this component (see the overview)
            } else {
                boolean covered = s.coveredBy == t || !exceeds(s.vc, t.vc);
                s.vc = join(s.vc, t.vc);
                s.releaser = t;
                s.releaserJoins = t.joins;
                s.coveredBy = covered ? t : null; // covered: vc is now exactly t.vc
            }
        }
        t.tick();
    }

    private static void acquireFrom(Stripe s, ThreadState t) {
        if (s.coveredBy
                != t) { // else no release since t last covered this clock (volatile read, pairs with releaseInto)
            acquireJoin(s, t);
        }
    }

    /** acquireFrom's slow path, apart so that the fast path inlines into every hook. */
    private static void acquireJoin(Stripe s, ThreadState t) {
        synchronized (s) {
            if (s.vc.length != 0) {
                joinInto(t, s.vc);
            }
            s.coveredBy = t;
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

    /** A read unlock of the read/write lock {@code lock}: ordered before its next write lock only. */
    static void releaseRead(Object lock) {
        ThreadState t = ThreadState.tracked();
        if (t.busy || t.idx < 0) {
            return;
        }
        releaseReadHash(t, System.identityHashCode(lock));
    }

    /** A write lock of the read/write lock {@code lock}: after its last write unlock and every read unlock. */
    static void acquireWrite(Object lock) {
        ThreadState t = ThreadState.tracked();
        if (t.busy || t.idx < 0) {
            return;
        }
        acquireWriteHash(t, System.identityHashCode(lock));
    }

    static void releaseReadHash(ThreadState t, int hash) {
        releaseInto(READ_UNLOCKS[hash & (SYNC_STRIPES - 1)], t);
    }

    static void acquireWriteHash(ThreadState t, int hash) {
        acquireFrom(SYNC[hash & (SYNC_STRIPES - 1)], t);
        acquireFrom(READ_UNLOCKS[hash & (SYNC_STRIPES - 1)], t);
    }

    /** Release on the object whose identity hash is {@code hash}, by a thread that takes part. */
    static void releaseHash(ThreadState t, int hash) {
        releaseInto(SYNC[hash & (SYNC_STRIPES - 1)], t);
    }

    static void acquireHash(ThreadState t, int hash) {
        acquireFrom(SYNC[hash & (SYNC_STRIPES - 1)], t);
    }

    static void releaseStatics(ThreadState t) {
        releaseInto(STATICS, t);
    }

    static void acquireStatics(ThreadState t) {
        acquireFrom(STATICS, t);
    }

    /** The end of a static initializer run by t. */
    static void classInitialized(ThreadState t) {
        releaseInto(CLASS_INITS, t);
    }

    /**
     * Joins the end of every static initializer run so far into t's clock. Tier 2 calls it before it
     * concludes that two writes are unordered (with t.busy set): a map filled by a static initializer and
     * written later by another thread is ordered by the class's initialisation, which that thread waited for
     * (JLS 12.4.2) when it first used the class. Coarser than the JMM (t may never have used that class):
     * it can hide a race, never invent one.
     */
    static void joinClassInits(ThreadState t) {
        if (t.idx >= 0) {
            acquireFrom(CLASS_INITS, t);
        }
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
        ThreadState.retire(t);
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
