package dev.mapscope.cli.console;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks made before any long work, so that an unwritable output fails at once and not after the run. */
public final class Outputs {
    private Outputs() {}

    /** Throws a {@link UserError} naming {@code file} unless it can be created or replaced. */
    public static void checkWritable(Path file) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new UserError("cannot write " + file + ": it is a directory; name a file");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserError("cannot write " + file + ": the directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir) || (Files.exists(abs) && !Files.isWritable(abs))) {
            throw new UserError("cannot write " + file + ": permission denied in " + dir);
        }
    }

    /** Creates {@code dir} (and its parents) or throws a {@link UserError} naming it. */
    public static Path ensureDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new UserError("cannot create the output directory " + dir + ": " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw new UserError("cannot write into the output directory " + dir + ": permission denied");
        }
        return dir;
    }
}
