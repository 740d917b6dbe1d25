package dev.mapscope.agent.race;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-process handlers (the JUnit integration) that fail the test that saw a race instead of letting
 * halt-on-race end the JVM. Shared by every install in this JVM, and loadable before the agent is installed:
 * it uses nothing from the bootstrap side.
 */
public final class HaltTakeover {
    /** how many handlers are open; read by the Reporter on the slow path only */
    private static final AtomicInteger OPEN = new AtomicInteger();

    private HaltTakeover() {}

    /** Until the returned action runs, halt-on-race does not halt. Running it twice is harmless. */
    public static Runnable open() {
        OPEN.incrementAndGet();
        AtomicBoolean open = new AtomicBoolean(true);
        return () -> {
            if (open.compareAndSet(true, false)) {
                OPEN.decrementAndGet();
            }
        };
    }

    static boolean active() {
        return OPEN.get() > 0;
    }
}
