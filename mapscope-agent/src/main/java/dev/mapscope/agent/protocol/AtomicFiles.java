package dev.mapscope.agent.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every file the agent hands to the CLI appears whole or not at all (docs/AGENT-PROTOCOL.md): it is written
 * to a uniquely named temporary file in the same directory, then renamed into place with ATOMIC_MOVE. The
 * CLI writes the control file with the same code.
 */
public final class AtomicFiles {
    /*
     * The temporary name is unique: NAME.PID.N.tmp, the writing process and a counter of this process, created with
     * CREATE_NEW. Two writers of one file therefore never share a half-written temporary, and the last rename wins,
     * whole. Not Files.createTempFile: its random names would initialise a SecureRandom inside the target JVM.
     * In the agent, failures are returned, never thrown: the application must not notice, and the CLI, which waits
     * for the file, times out with its own sentence.
     */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private static volatile long pid; // 0 until read: a race only reads /proc/self twice

    private AtomicFiles() {}

    /** Writes {@code text} (UTF-8) to {@code file} by a rename; false if that failed. */
    public static boolean write(Path file, String text) {
        try {
            writeOrThrow(file, text);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * This JVM's process id. On Linux it is read from the /proc/self link: ProcessHandle.current() initialises the
     * JDK's process reaper on its first call (a thread pool and its lambdas, about 10 ms of the agent's start-up).
     */
    public static long pid() {
        long p = pid;
        if (p == 0) {
            try {
                p = Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
            } catch (IOException | RuntimeException e) {
                p = ProcessHandle.current().pid();
            }
            pid = p;
        }
        return p;
    }

    /** Writes {@code text} (UTF-8) to {@code file} by a rename, for a caller that reports the failure itself. */
    public static void writeOrThrow(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + "." + pid() + "." + SEQUENCE.incrementAndGet() + ".tmp");
        try {
            Files.write(tmp, text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteQuietly(tmp); // gone after the rename; left only by a failure
        }
    }

    /** Renames the finished file {@code from} to {@code to} atomically, replacing {@code to}; false if that failed. */
    public static boolean move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException | RuntimeException e) {
            // the directory belongs to the session; the CLI removes it at the end
        }
    }
}
