package dev.mapscope.agent.boot.race;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the agent knows of one thread: the map it is inside a write of (tier 1), its vector clock (tier 2)
 * and its re-entrancy flag. Bootstrap-visible: the inlined advice reaches it through {@link MapWatch}.
 */
public final class ThreadState {
    /*
     * Tier 1 needs only `writing`; a thread gets a tier-2 index (its component in every vector clock) the
     * first time it takes part in tier 2, so mode=overlap never assigns one.
     *
     * Indices are recycled: at most MAX_THREADS threads hold one at a time. A reclaimed index continues its
     * clock past where the ended thread stopped (the new owner starts at the old owner's last clock +
     * STALE_TICKS), so what any thread knows of the old owner (vc[idx] <= its last clock) never covers a write
     * of the new one, even if the old owner still released a few times after its end hook (a virtual thread
     * counts its termination latch down after it is no longer alive). The converse is a loss: whoever knows
     * the new owner (the new owner itself first) "covers" every write of the old one, which can hide a race
     * between the two (never invent one). So an index is not reused at once: freed indices wait in a queue,
     * oldest first, and one is taken only when QUARANTINE others have ended after it (or when every index
     * has been handed out once). Ten threads started one after another, each racing with the one before, never share an
     * index; a JVM that runs a million short virtual threads uses about QUARANTINE + (threads alive at once)
     * indices, so its vector clocks stay that short instead of MAX_THREADS entries (each start copies its
     * parent's clock, each release and acquire joins two). A thread that ends holding an index retires it
     * (its end hook, after its last release), and it is freed once the thread is no longer alive; when no
     * index is left, the owners of all indices are scanned for ended threads (one that never ran its end
     * hook). A JVM that has run a million threads is therefore tracked as well as a fresh one, as long as
     * fewer than MAX_THREADS take part in tier 2 at once; beyond that, a thread is untracked by tier 2 (tier 1
     * still covers it) and counted, and the agent says so once.
     *
     * Ownership: vc, clock, idx and busy are written only by the owning thread; the reclaimer reads clock
     * after the owner terminated. `writing` is written only by the owner and read
     * by other threads' tier-1 checks (plain: see MapWatch for why a stale read can only miss). `seen` is
     * set by another thread with a CAS and taken back by the owner with a CAS.
     */
    static final int MAX_THREADS = 8192;
    static final int NO_INDEX = -1;
    static final int REFUSED = -2;
    /** a thread tier 2 never tracks (see schedulesVirtualThreads) */
    static final int IGNORED = -3;
    /** how far past the old owner's last clock a reclaimed index starts (see the overview) */
    static final int STALE_TICKS = 64;
    /** where a clock stops (see tick); an index whose clock came this close is not reused */
    static final int MAX_CLOCK = Integer.MAX_VALUE - STALE_TICKS;

    static final int REUSE_BELOW = MAX_CLOCK - (1 << 24);
    /** freed indices that must wait behind a freed index before it is reused (see the overview) */
    static final int QUARANTINE = 256;
    /** a refused thread asks again after this many tier-2 operations (an ask takes a global monitor) */
    static final int ASK_AGAIN_EVERY = 4096;

    /**
     * The states of recent threads by their identity hash, in front of LOCAL: every map write and synchronisation
     * hook asks for the current thread's state, and a ThreadLocal lookup (the thread's map, a probe, a weak
     * reference) was a twentieth of a JSON parser's time under the agent. Plain: an entry is only used when its
     * final `thread` is the current thread, so a stale or overwritten one only sends a lookup to LOCAL. Bounded:
     * holds at most this many states of ended threads.
     */
    private static final ThreadState[] RECENT = new ThreadState[1024];
    /** initialValue stays null so that peek() can tell "never took part" from "took part". */
    private static final ThreadLocal<ThreadState> LOCAL = new ThreadLocal<>();
    /** guarded by ThreadState.class: the owner of each index, for reclaiming the indices of ended threads */
    private static final ThreadState[] OWNERS = new ThreadState[MAX_THREADS];
    /**
     * guarded by ThreadState.class: the last thread given each index, kept after it ended (unlike OWNERS) until the
     * index is given again, so that a young state's writer (an index and an epoch, see Young) can be named
     */
    private static final ThreadState[] LAST_OWNERS = new ThreadState[MAX_THREADS];
    /** guarded by ThreadState.class: indices never handed out start here */
    private static int fresh;
    /** guarded by ThreadState.class: free indices and the clock each continues from, a ring, oldest at head */
    private static final int[] FREE = new int[MAX_THREADS];

    private static final int[] FREE_CLOCK = new int[MAX_THREADS];
    private static int freeHead;
    private static int freeCount;
    /** guarded by ThreadState.class: owners that ran their end hook, reclaimed once no longer alive */
    private static final ThreadState[] RETIRING = new ThreadState[MAX_THREADS];

    private static int retiringCount;
    /** guarded by ThreadState.class: refused assignments since the last reclaim pass */
    private static int refusedSinceScan;
    /** guarded by ThreadState.class */
    private static long untracked;

    private static long reclaimed;
    /** guarded by ThreadState.class: threads whose clock reached MAX_CLOCK */
    private static long saturated;

    private static final VarHandle SEEN;

    static {
        try {
            SEEN = MethodHandles.lookup().findVarHandle(ThreadState.class, "seen", Race.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread thread;
    /** tier 1: the map this thread is inside a write of, or null. Written only by this thread. */
    Object writing;
    /** tier 1: a race found by another thread that waits for this thread's stack at the end of its write */
    volatile Race seen;
    /** tier 2: this thread's component in vector clocks; NO_INDEX before it asked, REFUSED when none was free */
    int idx = NO_INDEX;
    /** tier 2: this thread's clock reached MAX_CLOCK and was counted; owner only */
    private boolean saturatedCounted;
    /** tier 2: calls since a refused thread last asked for an index */
    private int sinceRefused;
    /** tier 2: vc[idx] == clock; other components: the latest clock of each thread this one synchronised with */
    int[] vc = Clocks.EMPTY;
    /** tier 2: this thread's current epoch: advanced after each release, so later writes are not covered by it */
    int clock;
    /**
     * How many joins raised a component of vc other than this thread's own; written by Clocks, by the owning
     * thread only. A release with the same count as this thread's last release into a clock knows that vc
     * only changed in its own component since (FastTrack's same-epoch release, see Clocks).
     */
    int joins;
    /**
     * Usage counting of a suspected map: the identity hash of the map and the key hash of this thread's last
     * lookup that missed, 0 and -1 when none. A write of that key by this thread to that map is check-then-act
     * (a get or containsKey that missed, then a put). Owner only; hashes, never references: nothing retained.
     */
    int missMap;

    int missKey = -1;
    /** tier 2: the clock this thread's index started at (guarded by ThreadState.class; see owner) */
    private int firstClock;
    /** tier 2: the last operation name this thread wrote a young map with, and its id (see Young.opId) */
    String lastOp;

    int lastOpId;
    /**
     * True while the agent itself runs on this thread (a slow path, a report). Map writes and
     * synchronisation done by the agent's own code are then ignored: this is the re-entrancy guard, and it
     * costs the fast path one load from an object the fast path holds anyway.
     */
    public boolean busy;

    private ThreadState(Thread thread) {
        this.thread = thread;
    }

    /** The current thread's state, created on first use; without a tier-2 index (see {@link #tracked}). */
    public static ThreadState current() {
        Thread me = Thread.currentThread();
        int i = System.identityHashCode(me) & (RECENT.length - 1);
        ThreadState t = RECENT[i];
        if (t != null && t.thread == me) {
            return t;
        }
        t = LOCAL.get();
        if (t == null) {
            t = new ThreadState(me);
            if (schedulesVirtualThreads(me)) {
                t.idx = IGNORED;
            }
            LOCAL.set(t);
        }
        RECENT[i] = t;
        return t;
    }

    /**
     * A thread of the JDK's virtual-thread scheduling: a carrier (when it runs the scheduler's code, not a
     * virtual thread) or the thread that hands unblocked virtual threads back to the scheduler. Tier 2 ignores
     * it: what it does is the JDK's scheduling, not a hand-off of the program (a virtual thread's start and end
     * are edges of their own), and it must never wait for one of the agent's monitors: on JDK 24+ a virtual
     * thread blocked on a monitor is unmounted and waits for the unblocker to resubmit it, so an unblocker
     * waiting for a stripe that such a thread is about to take deadlocks the scheduler (seen on JDK 25 under a
     * million virtual threads: every carrier idled out, the unblocker blocked in a release hook).
     */
    private static boolean schedulesVirtualThreads(Thread thread) {
        String type = thread.getClass().getName();
        return type.equals("jdk.internal.misc.CarrierThread")
                || type.equals("jdk.internal.misc.InnocuousThread")
                        && thread.getName().equals("VirtualThread-unblocker");
    }

    /** The current thread's state with a tier-2 index if one can be had ({@code idx < 0} otherwise). */
    static ThreadState tracked() {
        return tracked(current());
    }

    /** {@code t}, the current thread's state, with a tier-2 index if one can be had: see {@link #tracked()}. */
    static ThreadState tracked(ThreadState t) {
        if (t.idx < 0
                && !t.busy
                && (t.idx == NO_INDEX || t.idx == REFUSED && ++t.sinceRefused % ASK_AGAIN_EVERY == 0)) {
            t.busy = true; // Clocks.inheritStart takes the agent's own monitors only, but stay outside the watch
            try {
                index(t);
            } finally {
                t.busy = false;
            }
        }
        return t;
    }

    /** The current thread's state, or null if it never took part. */
    public static ThreadState peek() {
        return LOCAL.get();
    }

    private static void index(ThreadState t) {
        int idx;
        int start;
        synchronized (ThreadState.class) {
            if (retiringCount > 0) {
                reclaimRetired();
            }
            if (freeCount == 0 && fresh == MAX_THREADS && refusedSinceScan % 256 == 0) {
                reclaim();
            }
            if (freeCount > QUARANTINE || fresh == MAX_THREADS && freeCount > 0) {
                idx = FREE[freeHead];
                start = FREE_CLOCK[freeHead] + STALE_TICKS;
                freeHead = (freeHead + 1) & (MAX_THREADS - 1);
                freeCount--;
            } else if (fresh < MAX_THREADS) {
                idx = fresh++;
                start = 1;
            } else {
                refusedSinceScan++;
                if (t.idx == NO_INDEX) {
                    untracked++;
                }
                t.idx = REFUSED;
                return;
            }
            OWNERS[idx] = t;
            LAST_OWNERS[idx] = t;
            t.firstClock = start;
        }
        int[] vc = new int[idx + 1];
        vc[idx] = start;
        t.vc = vc;
        t.clock = start;
        t.idx = idx;
        Clocks.inheritStart(t);
    }

    /**
     * The thread whose write at {@code epoch} a state with index {@code idx} records, or null when the index was
     * given to another thread since (an ended thread the agent no longer knows).
     */
    static ThreadState owner(int idx, int epoch) {
        synchronized (ThreadState.class) {
            ThreadState o = LAST_OWNERS[idx];
            return o != null && epoch >= o.firstClock ? o : null;
        }
    }

    /** Frees the indices of terminated threads; guarded by ThreadState.class. */
    private static void reclaim() {
        for (int i = 0; i < MAX_THREADS; i++) {
            ThreadState o = OWNERS[i];
            // isAlive() == false is a synchronisation with the thread's end (JLS 17.4.4): its clock is final
            if (o != null && !o.thread.isAlive()) {
                free(i, o);
            }
        }
        for (int i = 0; i < retiringCount; i++) {
            RETIRING[i] = null; // an ended one was freed above; one still alive is found by the next scan
        }
        retiringCount = 0;
        refusedSinceScan = 0;
    }

    /** Frees the indices of retired owners that are no longer alive; keeps the others; guarded by ThreadState.class. */
    private static void reclaimRetired() {
        int kept = 0;
        for (int i = 0; i < retiringCount; i++) {
            ThreadState o = RETIRING[i];
            RETIRING[i] = null;
            if (OWNERS[o.idx] != o) {
                continue; // freed by a full scan already
            }
            if (o.thread.isAlive()) {
                RETIRING[kept++] = o;
            } else {
                free(o.idx, o);
            }
        }
        retiringCount = kept;
    }

    private static void free(int i, ThreadState o) {
        OWNERS[i] = null;
        if (o.clock >= REUSE_BELOW) {
            return; // a new owner would start too close to where clocks stop: this index is not used again
        }
        int tail = (freeHead + freeCount) & (MAX_THREADS - 1);
        FREE[tail] = i;
        FREE_CLOCK[tail] = o.clock;
        freeCount++;
        reclaimed++;
    }

    /**
     * The current thread, which holds index {@code t.idx}, has ended (its end hook, after its last release):
     * its index can go to the next thread that needs one once this one is no longer alive.
     */
    static void retire(ThreadState t) {
        synchronized (ThreadState.class) {
            if (t.idx >= 0 && OWNERS[t.idx] == t && retiringCount < MAX_THREADS) {
                RETIRING[retiringCount++] = t;
            }
        }
    }

    /** Threads that wanted a tier-2 index while every index belonged to a live thread. */
    static synchronized long untracked() {
        return untracked;
    }

    /** Indices taken back from terminated threads and handed out again. */
    static synchronized long reclaimed() {
        return reclaimed;
    }

    /**
     * Starts a new epoch (after a release). A clock that reached MAX_CLOCK stays there (a 32-bit clock that
     * wrapped would make every later write look ordered, silently): later epochs of this thread are then one,
     * which can hide its races but never invent one, and the thread is counted (saturated()) and said once.
     */
    void tick() {
        if (clock < MAX_CLOCK) {
            clock++;
            vc[idx] = clock;
        } else if (!saturatedCounted) {
            saturatedCounted = true;
            countSaturated();
        }
    }

    private static synchronized void countSaturated() {
        saturated++;
    }

    /** Threads whose clock reached MAX_CLOCK (more than two billion releases). */
    static synchronized long saturated() {
        return saturated;
    }

    /** True if this thread has synchronised with thread index {@code other} at or after its epoch {@code epoch}. */
    boolean happensAfter(int other, int epoch) {
        return other >= 0 && other < vc.length && vc[other] >= epoch;
    }

    /** Joins {@code from} into this thread's clock; own component is never lowered. */
    void join(int[] from) {
        vc = Clocks.join(vc, from);
    }

    /** Hands {@code race} to this thread, to be completed with its stack when its write ends. */
    boolean offer(Race race) {
        return SEEN.compareAndSet(this, null, race);
    }

    /** Takes back {@code race} if this thread has not taken it yet. */
    boolean withdraw(Race race) {
        return SEEN.compareAndSet(this, race, null);
    }
}
