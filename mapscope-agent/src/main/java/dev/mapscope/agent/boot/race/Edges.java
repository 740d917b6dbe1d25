package dev.mapscope.agent.boot.race;

/**
 * What bytecode rewritten by the agent calls at each synchronisation action of the Java Memory Model (JLS
 * 17.4.4): monitor enter and exit, {@code Object.wait}, volatile reads and writes, VarHandle and Unsafe
 * accesses, the end of a static initializer. Only installed in mode=full. None of these throws, blocks
 * (but wait, which waits as the program asked) or allocates on its fast path.
 */
public final class Edges {
    /*
     * Where the calls go (see SyncRewriter in the agent):
     *   monitorenter      DUP; monitorKey; SWAP; MONITORENTER; monitorEntered(key)
     *                     (the identity hash is taken before the lock: taken on a stack-locked object that
     *                     has none yet, HotSpot would inflate the monitor)
     *   monitorexit       DUP; release; MONITOREXIT
     *   synchronized m()  acquire(this or the class) first; release before each return and in a catch-all
     *   o.wait(...)       waitOn(o, ...): release, wait, acquire (wait gives up the monitor and takes it back)
     *   volatile read     GETFIELD then acquire(object) / GETSTATIC then acquireStatic()
     *   volatile write    release(object) then PUTFIELD / releaseStatic() then PUTSTATIC
     *   VarHandle, Unsafe releaseAccess(first reference argument) before a write or read-modify-write,
     *                     acquireAccess(it) after a read or read-modify-write
     *   <clinit> returns  classInitialized()
     * Release calls run before the program's release action and acquire calls after its acquire action,
     * which is what makes the clocks' lock-free acquire fast path sound (see Clocks).
     *
     * Keys: a monitor, and an object's volatile fields, share the object's clock (an object is its own
     * monitor and its fields' holder: coarser than the JMM, which can hide a race, never invent one).
     * Static volatile fields share the one STATICS clock with the VarHandle and Unsafe accesses of
     * application code (a static field's VarHandle names no object at its call site, so both sides must
     * meet there); application VarHandle/Unsafe accesses also use their first reference argument's clock,
     * which is the object whose field they access when it has one, so that a CAS through a VarHandle pairs
     * with a plain volatile read of the same field.
     *
     * Re-entrancy: a hook may run inside ThreadState's creation (its counters are atomics, and atomics are
     * rewritten): firstState() refuses to create a state from inside that creation, once per thread.
     */
    private static volatile boolean enabled;
    /** threads currently inside firstState(), guarded by CREATING */
    private static final Object CREATING = new Object();

    private static Thread[] creating = new Thread[8];
    private static final String THREAD_STATE = ThreadState.class.getName();

    private Edges() {}

    public static void start() {
        enabled = true;
    }

    public static void stop() {
        enabled = false;
    }

    public static boolean enabled() {
        return enabled;
    }

    /** The current thread's state when it takes part, or null (disabled, agent code, untracked, re-entered). */
    private static ThreadState state() {
        if (!enabled) {
            return null;
        }
        ThreadState t = ThreadState.peek();
        if (t == null || t.idx == ThreadState.NO_INDEX) {
            return firstState(); // apart, so that state() stays small enough to inline into every hook
        }
        return t.busy || t.idx < 0 ? null : t;
    }

    private static ThreadState firstState() {
        Thread me = Thread.currentThread();
        synchronized (CREATING) {
            for (Thread c : creating) {
                if (c == me) {
                    return null;
                }
            }
            put(me, null);
        }
        try {
            for (StackTraceElement e : new Throwable().getStackTrace()) { // once per thread
                if (e.getClassName().equals(THREAD_STATE)) {
                    return null; // inside ThreadState's own creation: it will exist when we return
                }
            }
            ThreadState t = ThreadState.tracked(); // a thread takes part in tier 2 from its first edge on
            return t.busy || t.idx < 0 ? null : t;
        } finally {
            synchronized (CREATING) {
                put(null, me);
            }
        }
    }

    /** Replaces the first slot holding {@code old} by {@code value}, growing the table; under CREATING. */
    private static void put(Thread value, Thread old) {
        for (int i = 0; i < creating.length; i++) {
            if (creating[i] == old) {
                creating[i] = value;
                return;
            }
        }
        if (old == null) {
            Thread[] g = java.util.Arrays.copyOf(creating, creating.length * 2);
            g[creating.length] = value;
            creating = g;
        }
    }

    // ---- monitors ----

    /** Before monitorenter: the identity hash, taken while the object is not yet locked by this thread. */
    public static int monitorKey(Object monitor) {
        return System.identityHashCode(monitor);
    }

    /** After monitorenter of the object whose identity hash is {@code key}. */
    public static void monitorEntered(int key) {
        ThreadState t = state();
        if (t != null) {
            Clocks.acquireHash(t, key);
        }
    }

    /** An acquire on {@code sync}'s clock: after monitorenter, a synchronized method's entry, a volatile read. */
    public static void acquire(Object sync) {
        ThreadState t = state();
        if (t != null && sync != null) {
            Clocks.acquireHash(t, System.identityHashCode(sync));
        }
    }

    /** A release on {@code sync}'s clock: before monitorexit, a synchronized method's return, a volatile write. */
    public static void release(Object sync) {
        ThreadState t = state();
        if (t != null && sync != null) {
            Clocks.releaseHash(t, System.identityHashCode(sync));
        }
    }

    /** A read unlock of a read/write lock (StampedLock): ordered before its next write lock, not other readers. */
    public static void releaseRead(Object lock) {
        ThreadState t = state();
        if (t != null && lock != null) {
            Clocks.releaseReadHash(t, System.identityHashCode(lock));
        }
    }

    /** A write lock of a read/write lock (StampedLock): after its write unlocks and read unlocks. */
    public static void acquireWrite(Object lock) {
        ThreadState t = state();
        if (t != null && lock != null) {
            Clocks.acquireWriteHash(t, System.identityHashCode(lock));
        }
    }

    /** Object.wait(): the monitor is released for the wait and taken back before it returns or throws. */
    public static void waitOn(Object monitor) throws InterruptedException {
        release(monitor);
        try {
            monitor.wait();
        } finally {
            acquire(monitor);
        }
    }

    public static void waitOn(Object monitor, long millis) throws InterruptedException {
        release(monitor);
        try {
            monitor.wait(millis);
        } finally {
            acquire(monitor);
        }
    }

    public static void waitOn(Object monitor, long millis, int nanos) throws InterruptedException {
        release(monitor);
        try {
            monitor.wait(millis, nanos);
        } finally {
            acquire(monitor);
        }
    }

    // ---- volatile fields, VarHandles, Unsafe ----

    /** After a read of a static volatile field. */
    public static void acquireStatic() {
        ThreadState t = state();
        if (t != null) {
            Clocks.acquireStatics(t);
        }
    }

    /** Before a write of a static volatile field. */
    public static void releaseStatic() {
        ThreadState t = state();
        if (t != null) {
            Clocks.releaseStatics(t);
        }
    }

    /** After an application's VarHandle/Unsafe read or read-modify-write whose first reference argument is {@code target}. */
    public static void acquireAccess(Object target) {
        ThreadState t = state();
        if (t != null) {
            if (target != null) {
                Clocks.acquireHash(t, System.identityHashCode(target));
            }
            Clocks.acquireStatics(t);
        }
    }

    /** Before an application's VarHandle/Unsafe write or read-modify-write. */
    public static void releaseAccess(Object target) {
        ThreadState t = state();
        if (t != null) {
            if (target != null) {
                Clocks.releaseHash(t, System.identityHashCode(target));
            }
            Clocks.releaseStatics(t);
        }
    }

    // ---- class initialisation ----

    /** A static initializer returns: what it wrote happens before any use of its class by another thread. */
    public static void classInitialized() {
        ThreadState t = state();
        if (t != null) {
            Clocks.classInitialized(t);
        }
    }
}
