package dev.mapscope.agent.boot.race;

import java.lang.StackWalker.StackFrame;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Where threads were started (the {@code Thread.start} call site), for a finding's "started at" line, as
 * Go's race detector prints where each goroutine was created.
 */
final class Starts {
    /*
     * One slot per thread id modulo SLOTS, overwritten by later threads: a lookup checks the id, so a thread
     * whose slot was taken shows "not recorded", never another thread's site. A slot is (id, frames), read
     * and written under its own monitor. Recording walks at most FRAMES frames above Thread.start with a
     * StackWalker: about a microsecond, paid once per thread start.
     */
    static final int SLOTS = 4096;
    static final int FRAMES = 10;

    private static final class Slot {
        long id = -1;
        StackTraceElement[] site;
    }

    private static final Slot[] TABLE = new Slot[SLOTS];
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final Walk WALK = new Walk();

    static {
        for (int i = 0; i < SLOTS; i++) {
            TABLE[i] = new Slot();
        }
    }

    private Starts() {}

    /** Frames above {@code Thread.start}, without the agent's and Thread's own. */
    private static final class Walk implements Function<Stream<StackFrame>, StackTraceElement[]> {
        @Override
        public StackTraceElement[] apply(Stream<StackFrame> frames) {
            // no lambdas here: this runs inside Thread.start, possibly before any lambda was ever linked
            StackTraceElement[] out = new StackTraceElement[FRAMES];
            int n = 0;
            for (Iterator<StackFrame> it = frames.iterator(); it.hasNext() && n < FRAMES; ) {
                StackFrame f = it.next();
                String c = f.getClassName();
                if (!c.startsWith("dev.mapscope.agent.boot.") && !c.equals("java.lang.Thread")) {
                    out[n++] = f.toStackTraceElement();
                }
            }
            return n == FRAMES ? out : Arrays.copyOf(out, n);
        }
    }

    /** Links the walk (StackWalker and its stream) without recording a site for any thread. */
    static int warmUp() {
        return WALKER.walk(WALK).length;
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+; the same value on 17
    static void record(Thread child) {
        StackTraceElement[] site = WALKER.walk(WALK);
        long id = child.getId();
        Slot s = TABLE[(int) (id & (SLOTS - 1))];
        synchronized (s) {
            s.id = id;
            s.site = site;
        }
    }

    @SuppressWarnings("deprecation")
    static StackTraceElement[] site(Thread thread) {
        long id = thread.getId();
        Slot s = TABLE[(int) (id & (SLOTS - 1))];
        synchronized (s) {
            return s.id == id ? s.site : null;
        }
    }
}
