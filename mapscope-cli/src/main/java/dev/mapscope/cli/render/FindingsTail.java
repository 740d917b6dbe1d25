package dev.mapscope.cli.render;

import dev.mapscope.cli.console.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows a findings file while another process appends to it, like {@code tail -f}: each {@link #poll()}
 * returns the complete lines added since the last one. A partial last line waits for its newline.
 */
public final class FindingsTail {
    private final Path file;
    private long offset;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    public FindingsTail(Path file) {
        this.file = file;
    }

    /** New complete lines; empty when nothing was added, or when the file does not exist yet. */
    public List<String> poll() {
        List<String> lines = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < offset) {
                // Truncated or replaced: start again from the top.
                offset = 0;
                partial.reset();
            }
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (offset < size) {
                buf.clear();
                int n = ch.read(buf, offset);
                if (n <= 0) {
                    break;
                }
                offset += n;
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b == '\n') {
                        String line = partial.toString(StandardCharsets.UTF_8).strip();
                        partial.reset();
                        if (!line.isEmpty()) {
                            lines.add(line);
                        }
                    } else {
                        partial.write(b);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return lines;
        } catch (IOException e) {
            throw new UserError("cannot read " + file + " while following it: " + e.getMessage());
        }
        return lines;
    }
}
