package dev.mapscope.cli.console;

/** Shutdown hooks that print what was found when the user presses Ctrl-C. */
public final class Shutdown {
    private Shutdown() {}

    /** Removes {@code hook}, unless the JVM is already shutting down (then the hook runs, and must). */
    public static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C arrived just as the work ended: the hook finishes the job.
        }
    }
}
