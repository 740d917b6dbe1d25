package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mapscope.cli.jvm.Jvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Reading what a profile wrote, with tools that are not mapscope's own where there are such tools. */
final class Profiles {
    private Profiles() {}

    /**
     * The frame names in async-profiler's flame.html: its {@code const cpool = [...]} array, each entry stored as
     * (32 + length of the prefix shared with the entry before) followed by the rest, as its page script unpacks it.
     */
    static List<String> flameFrames(Path html) throws IOException {
        List<String> frames = new ArrayList<>();
        boolean inPool = false;
        String previous = "";
        for (String line : Files.readAllLines(html, StandardCharsets.UTF_8)) {
            if (line.startsWith("const cpool = [")) {
                inPool = true;
                continue;
            }
            if (!inPool) {
                continue;
            }
            if (line.startsWith("]")) {
                break;
            }
            String s = line.strip();
            s = s.substring(1, s.endsWith(",") ? s.length() - 2 : s.length() - 1)
                    .replace("\\'", "'")
                    .replace("\\\\", "\\");
            String frame = frames.isEmpty() ? s : previous.substring(0, s.charAt(0) - 32) + s.substring(1);
            frames.add(frame);
            previous = frame;
        }
        assertThat(frames).as("frames of %s", html).isNotEmpty();
        return frames;
    }

    /**
     * The output of {@code go tool pprof -top FILE} (Debian's golang-go). Skipped when go is not installed, unless
     * CI is set: then it fails, because CI must check the pprof file with a client mapscope did not write.
     */
    static String pprofTop(Path file) throws IOException, InterruptedException {
        String go = Jvm.findOnPath("go");
        if (go == null) {
            if (System.getenv("CI") != null) {
                fail("go is not installed, and CI is set: install the Debian package golang-go");
            }
            Assumptions.abort("go is not installed (Debian package golang-go); skipping the pprof check");
        }
        Path home = Files.createTempDirectory("mapscope-go-");
        ProcessBuilder pb = new ProcessBuilder(
                        go, "tool", "pprof", "-top", file.toAbsolutePath().toString())
                .redirectErrorStream(true);
        // go wants a writable cache and home; keep them out of the user's.
        pb.environment().put("HOME", home.toString());
        pb.environment().put("GOCACHE", home.resolve("cache").toString());
        pb.environment().put("PPROF_TMPDIR", home.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("go tool pprof did not finish within 60 s");
        }
        assertThat(p.exitValue()).as("go tool pprof -top; its output:\n%s", out).isZero();
        return out;
    }

    /** The function name of the first row under pprof's "flat  flat%  sum%  cum  cum%" heading. */
    static String pprofFirst(String top) {
        List<String> lines = top.lines().toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).strip().startsWith("flat")) {
                String row = lines.get(i + 1).strip();
                String[] cols = row.split("\\s+", 6);
                return cols[5];
            }
        }
        return fail("no table in the pprof output:\n" + top);
    }
}
