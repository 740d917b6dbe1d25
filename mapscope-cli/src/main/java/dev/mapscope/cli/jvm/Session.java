package dev.mapscope.cli.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mapscope.agent.protocol.AtomicFiles;
import dev.mapscope.cli.console.UserError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * An attach session directory (docs/AGENT-PROTOCOL.md): {@code ${java.io.tmpdir}/mapscope-${user.name}/<pid>/},
 * mode 0700, holding the agent's {@code findings.jsonl} and {@code status.json} and the CLI's {@code control}.
 */
public final class Session {
    /*
     * Only the user may read the directory: findings carry stack traces, and whoever can write `control`
     * can detach the agent. An existing directory that is a symbolic link, belongs to someone else or is
     * open to others is refused rather than repaired: in a shared /tmp it may have been planted.
     */

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Senders of this process queue here before they take control.lock; see {@link #send}. */
    private static final Object SENDERS = new Object();

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final long pid;
    private final Path dir;

    /** The agent's status.json. */
    public record Status(
            long pid,
            String state,
            String mode,
            String since,
            long findings,
            long dropped,
            List<String> instrumented,
            Instant written,
            String build) {
        /** A status of an agent that does not say its build (one built before the handshake, or a test's). */
        public Status(
                long pid,
                String state,
                String mode,
                String since,
                long findings,
                long dropped,
                List<String> instrumented,
                Instant written) {
            this(pid, state, mode, since, findings, dropped, instrumented, written, null);
        }

        public boolean attached() {
            return "attached".equals(state);
        }

        /** The watched map classes, short ({@code HashMap, TreeMap}), for messages. */
        public String watchedMaps() {
            List<String> maps = new ArrayList<>();
            for (String c : instrumented) {
                if (c.endsWith("Map")) {
                    maps.add(c.startsWith("java.util.") ? c.substring("java.util.".length()) : c);
                }
            }
            return maps.isEmpty() ? "the JDK maps" : String.join(", ", maps);
        }
    }

    public Session(long pid) {
        this(
                pid,
                Path.of(
                        System.getProperty("java.io.tmpdir"),
                        "mapscope-" + System.getProperty("user.name"),
                        Long.toString(pid)));
    }

    public Session(long pid, Path dir) {
        this.pid = pid;
        this.dir = dir.toAbsolutePath();
    }

    public Path dir() {
        return dir;
    }

    public Path findingsFile() {
        return dir.resolve("findings.jsonl");
    }

    public Path statusFile() {
        return dir.resolve("status.json");
    }

    /**
     * Creates the directory and its parent with mode 0700, or checks that existing ones are private; removes the
     * session directories of processes that have ended on the way ({@link #removeEnded}).
     */
    public void createPrivate() {
        createPrivateDirectory(dir.getParent());
        removeEnded(dir.getParent(), dir);
        createPrivateDirectory(dir);
    }

    /**
     * Removes the session directories (named by a pid) of processes that are no longer running: a target killed
     * while attached, or while the agent was starting, leaves its directory behind, and nothing else would remove it.
     * Only this user's private directories are removed (any other is left for createPrivate to refuse), and only their
     * plain files; {@code keep} (the session being opened) is left to createPrivate's checks.
     */
    static void removeEnded(Path parent, Path keep) {
        try (java.nio.file.DirectoryStream<Path> sessions = Files.newDirectoryStream(parent)) {
            for (Path d : sessions) {
                String name = d.getFileName().toString();
                if (!name.matches("[0-9]{1,19}")
                        || d.equals(keep)
                        || !Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)
                        || !Files.getPosixFilePermissions(d, LinkOption.NOFOLLOW_LINKS)
                                .equals(OWNER_ONLY)
                        || !Files.getOwner(d, LinkOption.NOFOLLOW_LINKS)
                                .getName()
                                .equals(System.getProperty("user.name"))) {
                    continue;
                }
                boolean running;
                try {
                    running = ProcessHandle.of(Long.parseLong(name))
                            .map(ProcessHandle::isAlive)
                            .orElse(false);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (!running) {
                    try (java.nio.file.DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
                        for (Path f : files) {
                            if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                                Files.deleteIfExists(f);
                            }
                        }
                    }
                    Files.deleteIfExists(d);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a directory left here is stale, never in the way (pids are checked against start times)
        }
    }

    /**
     * The session's owner lock: held by the one mapscope command that loads the agent into this pid and by
     * {@code mapscope attach} while it watches (an OS lock on {@code session.lock}, released by the OS when that
     * command ends, however it ends). Waits up to {@code wait} for it; null when another command still holds it.
     */
    public Owner own(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Path file = dir.resolve("session.lock");
        while (true) {
            FileChannel ch = null;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (java.nio.channels.OverlappingFileLockException e) {
                    lock = null; // held by another command in this very process (the tests run several)
                }
                if (lock != null) {
                    ch.truncate(0);
                    ch.write(java.nio.ByteBuffer.wrap(
                            (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
                    return new Owner(ch, lock);
                }
                ch.close();
            } catch (IOException e) {
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // the sentence below says what failed
                    }
                }
                throw new UserError("cannot lock the session " + file + ": " + e.getMessage());
            }
            if (System.nanoTime() - deadline >= 0) {
                return null;
            }
            Thread.sleep(50);
        }
    }

    /** The pid of the mapscope command that holds the owner lock, as it wrote it, or "another process". */
    public String ownerPid() {
        try {
            String s = Files.readString(dir.resolve("session.lock"), StandardCharsets.UTF_8)
                    .strip();
            return s.matches("[0-9]+") ? "pid " + s : "another process";
        } catch (IOException e) {
            return "another process";
        }
    }

    /** A held owner lock; closing it releases the session to the next command. */
    public static final class Owner implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Owner(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // the OS releases it when this process ends anyway
            }
        }
    }

    private static void createPrivateDirectory(Path d) {
        try {
            FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            Files.createDirectory(d, mode);
            return;
        } catch (FileAlreadyExistsException e) {
            // checked below
        } catch (UnsupportedOperationException e) {
            throw new UserError("this file system has no POSIX permissions, so mapscope cannot make the private"
                    + " session directory " + d);
        } catch (IOException e) {
            throw new UserError("cannot create the session directory " + d + ": " + e.getMessage());
        }
        try {
            if (Files.isSymbolicLink(d) || !Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                throw new UserError("the session directory " + d + " is not a plain directory; remove it and retry");
            }
            String owner = Files.getOwner(d, LinkOption.NOFOLLOW_LINKS).getName();
            if (!owner.equals(System.getProperty("user.name"))) {
                throw new UserError("the session directory " + d + " belongs to " + owner + "; remove it and retry");
            }
            if (!Files.getPosixFilePermissions(d, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
                throw new UserError("the session directory " + d + " is open to other users (it must be mode 0700);"
                        + " remove it and retry");
            }
        } catch (IOException e) {
            throw new UserError("cannot check the session directory " + d + ": " + e.getMessage());
        }
    }

    /** Removes what a previous, finished session left: its findings, status and any unread command. */
    public void clearPrevious() {
        for (String name : List.of("findings.jsonl", "status.json", "control")) {
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                throw new UserError("cannot clear the old session file " + dir.resolve(name) + ": " + e.getMessage());
            }
        }
    }

    /**
     * The status of the session the agent in {@code target} keeps, or {@code null} when there is none or when it was
     * left by an earlier process with the same pid (pids are reused).
     */
    public Status currentStatus(Target target) {
        Status s = readStatus();
        return s == null || Attachment.stale(s, target) ? null : s;
    }

    /** The agent's last status, or {@code null} when there is none (no session, or the agent has not started). */
    public Status readStatus() {
        Path f = statusFile();
        try {
            if (!Files.isRegularFile(f)) {
                return null;
            }
            Instant written = Files.getLastModifiedTime(f).toInstant();
            JsonNode n = JSON.readTree(Files.readString(f, StandardCharsets.UTF_8));
            if (n == null || !n.isObject()) {
                return null;
            }
            List<String> instrumented = new ArrayList<>();
            for (JsonNode c : n.path("instrumented")) {
                instrumented.add(c.asText());
            }
            return new Status(
                    n.path("pid").asLong(pid),
                    n.path("state").asText("unknown"),
                    n.path("mode").asText("?"),
                    n.path("since").asText(null),
                    n.path("findings").asLong(),
                    n.path("dropped").asLong(),
                    List.copyOf(instrumented),
                    written,
                    n.path("build").asText(null));
        } catch (IOException e) {
            // Read while the agent rewrites it: the caller polls again.
            return null;
        }
    }

    /**
     * Writes {@code command} to the control file once the agent has taken the previous one, and returns true; false
     * when the previous one is still there after {@code timeout} or {@code stillWaiting} says to give up.
     */
    boolean send(String command, Duration timeout, BooleanSupplier stillWaiting) throws InterruptedException {
        /*
         * The control file holds one request. Two mapscope commands addressing one pid at once (a probe while a
         * profile runs, a status during a detach) must queue, or the second rename would replace the first request
         * before the agent read it. They queue on control.lock: an OS file lock between processes, and a monitor
         * between threads of this process (a JVM may not hold two locks on one file). Under both, a sender waits
         * until the agent has deleted the previous control file, then renames its own into place (AtomicFiles, the agent's own code).
         */
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (SENDERS) {
            try (FileChannel lock = FileChannel.open(
                            dir.resolve("control.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = lock.lock()) {
                while (!commandTaken()) {
                    if (System.nanoTime() - deadline >= 0 || !stillWaiting.getAsBoolean()) {
                        return false;
                    }
                    Thread.sleep(20);
                }
                AtomicFiles.writeOrThrow(dir.resolve("control"), command + "\n");
                return true;
            } catch (IOException e) {
                throw new UserError("cannot write the command '" + command + "' to " + dir + ": " + e.getMessage());
            }
        }
    }

    /** Whether the agent has taken the last command (it deletes {@code control} once it has acted). */
    boolean commandTaken() {
        return !Files.exists(dir.resolve("control"));
    }

    /**
     * Sends {@code command} and waits until the agent has acted and written a status that {@code done} accepts.
     * Returns that status, or {@code null} after {@code timeout}.
     */
    public Status command(String command, java.util.function.Predicate<Status> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!send(command, timeout, () -> true)) {
            return null;
        }
        while (System.nanoTime() - deadline < 0) {
            if (commandTaken()) {
                Status s = readStatus();
                if (s != null && done.test(s)) {
                    return s;
                }
            }
            Thread.sleep(5); // a small file read: polled finely, so that a detach is not reported 50 ms late
        }
        return null;
    }
}
