package dev.mapscope.maps;

/**
 * Thrown when a {@link GoMap} sees that it is being used by more than one thread at once without
 * synchronization: Go's {@code fatal error: concurrent map writes} and its two siblings, brought to Java.
 *
 * <p>The message starts with Go's text verbatim ({@link #CONCURRENT_MAP_WRITES},
 * {@link #CONCURRENT_MAP_READ_AND_MAP_WRITE} or {@link #CONCURRENT_MAP_ITERATION_AND_MAP_WRITE}), followed by the
 * names of the thread that noticed and, when it is known, of the thread that was writing.
 *
 * <p>This is an {@link Error}, not an exception: in Go the condition is fatal and cannot be recovered from,
 * and the map's contents are undefined after it. An {@code Error} passes through the {@code catch (Exception e)}
 * blocks that would otherwise log and swallow it. Discard the map and fix the synchronization.
 *
 * <p>The check is best-effort, exactly like Go's: it only fires when two operations overlap in time and one of
 * them notices, so its absence proves nothing.
 */
public final class ConcurrentMapError extends Error {
    private static final long serialVersionUID = 1L;

    /** Go's message when two writers overlap ({@code runtime.mapassign}, {@code mapdelete}, {@code mapclear}). */
    public static final String CONCURRENT_MAP_WRITES = "concurrent map writes";
    /** Go's message when a lookup runs while a write is in progress ({@code runtime.mapaccess1/2}). */
    public static final String CONCURRENT_MAP_READ_AND_MAP_WRITE = "concurrent map read and map write";
    /** Go's message when an iterator steps while a write is in progress ({@code runtime.mapiternext}). */
    public static final String CONCURRENT_MAP_ITERATION_AND_MAP_WRITE = "concurrent map iteration and map write";

    private final String goMessage;
    private final String detectingThread;
    private final String otherThread;

    ConcurrentMapError(String goMessage, String detectingThread, String otherThread, String detail) {
        super(detail, null, false, true);
        this.goMessage = goMessage;
        this.detectingThread = detectingThread;
        this.otherThread = otherThread;
    }

    /** Go's text for this error, one of the three constants of this class. */
    public String goMessage() {
        return goMessage;
    }

    /** Name of the thread that detected the conflict (the thread this error is thrown in). */
    public String detectingThread() {
        return detectingThread;
    }

    /** Name of the other thread, the one recorded as writing the map, or {@code null} when unknown. */
    public String otherThread() {
        return otherThread;
    }
}
