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

/**
 * A real headless Chromium (Debian's {@code chromium}) for checking the HTML report. When it is not installed
 * the test is skipped, unless the environment variable CI is set: then it fails, because CI must render.
 */
final class Chromium {
    private final String executable;

    private Chromium(String executable) {
        this.executable = executable;
    }

    static Chromium require() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            String found = Jvm.findOnPath(name);
            if (found != null) {
                return new Chromium(found);
            }
        }
        if (System.getenv("CI") != null) {
            fail("chromium is not installed, and CI is set: install the Debian package chromium (.ci/run does)");
        }
        Assumptions.abort("chromium is not installed (Debian package chromium); skipping the browser check");
        return null;
    }

    /** Renders {@code page} at 1280x900 and saves a PNG screenshot to {@code png}. */
    void screenshot(Path page, Path png) throws IOException, InterruptedException {
        run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=1280,900");
        assertThat(png).exists();
    }

    /** The DOM after rendering, as Chromium serializes it. */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, "--dump-dom");
    }

    private String run(Path page, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("mapscope-chromium-");
        Path log = Files.createTempFile("mapscope-chromium-", ".log");
        try {
            List<String> cmd = new ArrayList<>(List.of(
                    executable,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--user-data-dir=" + profile));
            cmd.addAll(List.of(extra));
            cmd.add(page.toAbsolutePath().toUri().toString());
            Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("chromium did not finish within 90 s");
            }
            assertThat(p.exitValue())
                    .as("chromium exit status; its log:\n%s", Files.readString(log))
                    .isZero();
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(log);
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
