package dev.mapscope.agent.profile;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Stacks for the map profile: captured with StackWalker on the sampled operation only, depth-capped,
 * without the agent's own frames, and written the two ways the profile needs (collapsed frames, and
 * {@code class.method(File.java:line)} lines for the same-bucket examples).
 */
final class ProfileStacks {
    /** frames kept per stack, innermost first; deeper stacks lose their outermost frames */
    static final int DEPTH = 64;
    /** sized for DEPTH frames and the agent's own on top: the walker's buffer then never grows (measured: its
     *  growth was a third of a sample's cost) */
    private static final StackWalker WALKER = StackWalker.getInstance(java.util.Set.of(), DEPTH + 8);
    /** a named class, not a lambda: no invokedynamic is linked from inside instrumented map code */
    private static final Function<Stream<StackWalker.StackFrame>, StackWalker.StackFrame[]> TAKE = new Take();

    private ProfileStacks() {}

    /** The current thread's stack, innermost frame first, the agent's frames dropped. */
    static StackWalker.StackFrame[] capture() {
        return WALKER.walk(TAKE);
    }

    private static final class Take implements Function<Stream<StackWalker.StackFrame>, StackWalker.StackFrame[]> {
        @Override
        public StackWalker.StackFrame[] apply(Stream<StackWalker.StackFrame> frames) {
            List<StackWalker.StackFrame> kept = new ArrayList<>(DEPTH);
            boolean top = true;
            for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext() && kept.size() < DEPTH; ) {
                StackWalker.StackFrame f = it.next();
                if (top && agent(f.getClassName())) {
                    continue; // the profile's own call chain sits on top of the map method
                }
                top = false;
                kept.add(f);
            }
            return kept.toArray(new StackWalker.StackFrame[0]);
        }
    }

    /**
     * The agent's own classes: the boot part, and the profile's tooling classes that the sampled path runs
     * through. Matched by package, because the tests' target programs live in the agent's root package.
     */
    static boolean agent(String className) {
        return className.startsWith("dev.mapscope.agent.boot.") || className.startsWith("dev.mapscope.agent.profile.");
    }

    /** Collapsed frames, root first, each {@code java/util/HashMap.putVal}, joined by ';' (no trailing ';'). */
    static StringBuilder collapsed(StackWalker.StackFrame[] stack) {
        StringBuilder b = new StringBuilder(stack.length * 40 + 64);
        for (int i = stack.length - 1; i >= 0; i--) {
            b.append(stack[i].getClassName().replace('.', '/')).append('.').append(stack[i].getMethodName());
            if (i > 0) {
                b.append(';');
            }
        }
        return b;
    }

    /** {@code class.method(File.java:line)} per frame, innermost first, at most {@code max}. */
    static List<String> lines(StackWalker.StackFrame[] stack, int max) {
        List<String> r = new ArrayList<>(Math.min(stack.length, max));
        for (int i = 0; i < stack.length && i < max; i++) {
            r.add(stack[i].toStackTraceElement().toString());
        }
        return r;
    }

    /**
     * The same for another thread's stack as {@link Thread#getStackTrace} gives it: when that thread is
     * inside the agent (its own sampled operation), everything above the agent's outermost frame goes.
     */
    static List<String> lines(StackTraceElement[] stack, int max) {
        int from = 0;
        for (int i = 0; i < stack.length; i++) {
            if (agent(stack[i].getClassName())) {
                from = i + 1;
            }
        }
        List<String> r = new ArrayList<>();
        for (int i = from; i < stack.length && r.size() < max; i++) {
            r.add(stack[i].toString());
        }
        return r;
    }

    /**
     * The map's site from a stack that touched it: the first frame, from the innermost, that is neither the
     * JDK's nor the map's own class (nor one nested in it), as {@code File.java:line}; null when none is.
     */
    static String site(StackWalker.StackFrame[] stack, String mapClass) {
        for (StackWalker.StackFrame f : stack) {
            String c = f.getClassName();
            if (c.equals(mapClass) || c.startsWith(mapClass + "$") || jdk(c)) {
                continue;
            }
            String file = f.getFileName();
            int line = f.getLineNumber();
            String simple = c.substring(c.lastIndexOf('.') + 1);
            int dollar = simple.indexOf('$');
            return (file != null ? file : (dollar > 0 ? simple.substring(0, dollar) : simple) + ".java")
                    + (line > 0 ? ":" + line : "");
        }
        return null;
    }

    static boolean jdk(String c) {
        return c.startsWith("java.")
                || c.startsWith("javax.")
                || c.startsWith("jdk.")
                || c.startsWith("sun.")
                || c.startsWith("com.sun.");
    }
}
