package dev.mapscope.agent.transform;

import dev.mapscope.agent.protocol.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Class files woven by {@link Weaver}, kept on disk so that the next JVM with the same JDK, agent build and advice
 * table loads them instead of Byte Buddy: {@code ${java.io.tmpdir}/mapscope-${user.name}/woven/KEY/}, mode 0700
 * like the attach sessions beside it. Weaving is a pure function of the class file, the table, the advice classes
 * and the JDK, so a file is named by what it was woven from and is never invalid, only unused.
 */
public final class WovenCache {
    /*
     * Measured on a program that puts one key in a HashMap (docs/PERFORMANCE.md): weaving loads Byte Buddy's Advice
     * machinery and costs most of a second of CPU on a 2-core machine; reading the woven files back costs a few
     * milliseconds. Trust: the directory is refused (and nothing cached) unless it is a plain directory of this user
     * with mode 0700, as the CLI requires of its session directories, since its files become JDK bytecode. A file
     * is named by the class, the ClassDigest of the class file it was woven from (independent of the order in which
     * the JVM lists the members) and its length: a class changed by another agent before this one is a miss. Files
     * appear by a rename (AtomicFiles), so a reader never sees half of one. When a new directory is made (a new
     * build, JDK or table), the others not made for PRUNE_AFTER, and all but the KEEP newest, are removed.
     */
    static final Duration PRUNE_AFTER = Duration.ofDays(7);
    /**
     * Directories kept besides this one: one build run on two JDKs in both modes uses six (the overlap and the full
     * table, and the happens-before rewrite, per JDK), so two builds fit.
     */
    static final int KEEP = 16;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    /** null: no caching (no build id, or no private directory) */
    private final Path dir;

    private WovenCache(Path dir) {
        this.dir = dir;
    }

    /** A cache for this build and table, or one that caches nothing when there is no private place for it. */
    public static WovenCache open(String build, String fingerprint) {
        if (build == null) {
            return new WovenCache(null); // run from a classes directory (the module's own tests): nothing to key by
        }
        try {
            Path user = Path.of(System.getProperty("java.io.tmpdir"), "mapscope-" + System.getProperty("user.name"));
            Path woven = user.resolve("woven");
            String key = build
                    + '|'
                    + System.getProperty("java.home")
                    + '|'
                    + System.getProperty("java.runtime.version")
                    + '|'
                    + fingerprint;
            Path dir = woven.resolve(Long.toHexString(checksum(key.getBytes(StandardCharsets.UTF_8))));
            boolean fresh = !Files.isDirectory(dir);
            for (Path d : new Path[] {user, woven, dir}) {
                if (!privateDirectory(d)) {
                    return new WovenCache(null);
                }
            }
            WovenCache c = new WovenCache(dir);
            if (fresh) {
                c.prune(); // a new build, JDK or table: the time to drop old ones
            }
            c.warmUp();
            return c;
        } catch (IOException | RuntimeException e) {
            return new WovenCache(null);
        }
    }

    /**
     * Runs get and put once on a file of no class, here, outside any transformer: every class they use is then
     * loaded. A JDK class first loaded from inside a transformer that is transforming that very class fails with
     * ClassCircularityError (seen: the sort that pruning once did loaded Collections$ReverseComparator2 while the
     * happens-before rewrite cached that class).
     */
    private void warmUp() {
        byte[] none = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 0, 0, 1};
        ClassDigest.of(none);
        get("-", none);
        String probe = "-." + AtomicFiles.pid() + ".probe";
        try {
            Path tmp = dir.resolve(probe + ".part");
            Files.write(tmp, none);
            AtomicFiles.move(tmp, dir.resolve(probe));
            Files.readAllBytes(dir.resolve(probe));
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(dir.resolve(probe));
        } catch (IOException | RuntimeException e) {
            // put and get fail quietly on their own too
        }
    }

    /** The woven class file for {@code original}, or null when it is not cached. */
    public byte[] get(String name, byte[] original) {
        if (dir == null) {
            return null;
        }
        String file = file(name, original);
        if (file == null) {
            return null;
        }
        try {
            byte[] b = Files.readAllBytes(dir.resolve(file));
            return b.length > 4 && (b[0] & 0xFF) == 0xCA && (b[1] & 0xFF) == 0xFE ? b : null;
        } catch (IOException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    public void put(String name, byte[] original, byte[] woven) {
        String file = dir == null ? null : file(name, original);
        if (file == null) {
            return;
        }
        try {
            Path tmp = dir.resolve(file + "." + AtomicFiles.pid() + "."
                    + Thread.currentThread().getId() + ".part");
            Files.write(tmp, woven);
            AtomicFiles.move(tmp, dir.resolve(file));
            Files.deleteIfExists(tmp);
        } catch (IOException | RuntimeException | LinkageError e) {
            // not cached: the next JVM weaves again
        }
    }

    public boolean enabled() {
        return dir != null;
    }

    /** A small text file of this cache's own (one entry a line), or an empty list. */
    public java.util.List<String> readLines(String file) {
        try {
            return dir == null ? java.util.List.of() : Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return java.util.List.of();
        }
    }

    /** Replaces that file, whole, by a rename. */
    public void writeLines(String file, Iterable<String> lines) {
        if (dir != null) {
            AtomicFiles.write(dir.resolve(file), String.join("\n", lines) + "\n");
        }
    }

    /** The file of the class woven from {@code original}, or null when that is not a class file ClassDigest reads. */
    private static String file(String name, byte[] original) {
        long digest = ClassDigest.of(original);
        return digest == 0 ? null : name + '-' + Long.toHexString(digest) + '-' + original.length + ".class";
    }

    private static long checksum(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return c.getValue();
    }

    /**
     * Removes the directories of other builds and JDKs made more than PRUNE_AFTER ago, and all but the KEEP newest (a
     * developer who rebuilds the agent all day gets a new build id each time). At open, never from a transformer.
     */
    private void prune() throws IOException {
        Instant old = Instant.now().minus(PRUNE_AFTER);
        java.util.List<Path> others = new java.util.ArrayList<>();
        java.util.List<Instant> written = new java.util.ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir.getParent())) {
            for (Path d : all) {
                if (!d.equals(dir) && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    Instant t = Files.getLastModifiedTime(d, LinkOption.NOFOLLOW_LINKS)
                            .toInstant();
                    int i = 0; // newest first, by insertion: a handful of directories
                    while (i < written.size() && written.get(i).isAfter(t)) {
                        i++;
                    }
                    others.add(i, d);
                    written.add(i, t);
                }
            }
        }
        for (int i = 0; i < others.size(); i++) {
            if (i >= KEEP || written.get(i).isBefore(old)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(others.get(i))) {
                    for (Path f : files) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(others.get(i));
            }
        }
    }

    /** Creates {@code d} with mode 0700, or checks that the existing one is a plain directory of this user, 0700. */
    private static boolean privateDirectory(Path d) {
        try {
            Files.createDirectory(d, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            return true;
        } catch (FileAlreadyExistsException e) {
            // checked below
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
        try {
            return !Files.isSymbolicLink(d)
                    && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)
                    && Files.getOwner(d, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))
                    && Files.getPosixFilePermissions(d, LinkOption.NOFOLLOW_LINKS)
                            .equals(OWNER_ONLY);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
