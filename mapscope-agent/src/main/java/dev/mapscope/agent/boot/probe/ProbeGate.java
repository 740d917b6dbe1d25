package dev.mapscope.agent.boot.probe;

import dev.mapscope.agent.boot.race.ThreadState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the probe advice calls ({@code mapscope probe}). Each armed probe owns a slot; its advice
 * is installed by a transformer of its own, with the slot number inlined as a constant, and calls
 * {@link #on} with it. Nothing here allocates or blocks.
 */
public final class ProbeGate {
    /*
     * A probe's lifecycle: claim a slot (the hook is stored), install the advice, ... disarm: clear the slot
     * (advice still in place now finds null and returns), remove the advice, free the slot. A slot is reused
     * only after its advice was removed, so an old probe's advice never calls a new probe's hook.
     *
     * The slot is read with an opaque load: a plain load could be hoisted out of an application's hot loop
     * by the JIT, and a disarmed probe would keep being called until the advice is gone. Opaque costs a
     * plain load on x86 and AArch64.
     */
    public static final int SLOTS = 8;
    private static final ProbeHook[] HOOKS = new ProbeHook[SLOTS];
    private static final VarHandle HOOK = MethodHandles.arrayElementVarHandle(ProbeHook[].class);
    /** guarded by ProbeGate.class: slots whose advice may still be installed */
    private static final boolean[] TAKEN = new boolean[SLOTS];
    /**
     * Calls of advice whose slot was empty: advice still installed after its probe disarmed. Plain
     * increments (lost updates are fine): tests read it to prove the advice is gone after a reset.
     */
    private static long stale;

    private ProbeGate() {}

    /** Called by the inlined probe advice. */
    public static void on(
            int slot, int code, Object map, Object key, Object value, int hash, Object[] table, long seed, int b) {
        ProbeHook h = (ProbeHook) HOOK.getOpaque(HOOKS, slot);
        if (h == null) {
            stale++;
            return;
        }
        if (h.wants(code & 7, map)) {
            h.hit(code, map, key, value, hash, table, seed, b);
        }
    }

    /** Takes a free slot for {@code hook} and publishes it; returns the slot, or -1 when all are taken. */
    public static synchronized int claim(ProbeHook hook) {
        for (int i = 0; i < SLOTS; i++) {
            if (!TAKEN[i]) {
                TAKEN[i] = true;
                HOOK.setRelease(HOOKS, i, hook);
                return i;
            }
        }
        return -1;
    }

    /** Links the VarHandle call sites here before any advice runs (see MapWatch.warmUp); no slot is taken yet. */
    public static synchronized void warmUp() {
        ProbeHook h = (ProbeHook) HOOK.getOpaque(HOOKS, 0);
        if (h == null && !TAKEN[0]) {
            clear(0);
            free(0);
            HOOK.setRelease(HOOKS, 0, h);
        }
    }

    /** Disarms: advice still installed for the slot returns at once from now on. */
    public static void clear(int slot) {
        HOOK.setRelease(HOOKS, slot, null);
    }

    /** The slot's advice has been removed: the slot may be claimed again. */
    public static synchronized void free(int slot) {
        HOOK.setRelease(HOOKS, slot, null);
        TAKEN[slot] = false;
    }

    /** See {@link #stale}. */
    public static long staleCalls() {
        return stale;
    }

    /** True if the current thread is running agent code (a report, an agent thread): probes ignore it. */
    public static boolean agentThread() {
        ThreadState t = ThreadState.peek();
        return t != null && t.busy;
    }

    /** Marks the current thread as running agent code; returns the previous mark for {@link #leaveAgent}. */
    public static boolean enterAgent() {
        ThreadState t = ThreadState.current();
        boolean was = t.busy;
        t.busy = true;
        return was;
    }

    public static void leaveAgent(boolean was) {
        ThreadState.current().busy = was;
    }
}
