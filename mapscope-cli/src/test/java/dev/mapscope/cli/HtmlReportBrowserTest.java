package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report as a browser shows it: rendered by headless Chromium, screenshotted, its DOM read back. */
class HtmlReportBrowserTest {

    @TempDir
    Path dir;

    @Test
    void theReportRendersWithBothStacksSideBySide() throws Exception {
        Chromium chromium = Chromium.require();
        Path findings = dir.resolve("findings.jsonl");
        Files.writeString(findings, ReportCommandTest.sample());
        Path html = dir.resolve("report.html");
        assertThat(Cli.run("report", findings.toString(), "--html", html.toString())
                        .exit())
                .isZero();

        // Kept in target/ so that a person can look at it after the build.
        Path png = Files.createDirectories(Path.of(System.getProperty("mapscope.test.output", "target"), "screenshots"))
                .resolve("report.png");
        chromium.screenshot(html, png);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).as("screenshot size").isGreaterThan(20_000);
        assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("PNG");
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(image.getHeight()).isEqualTo(900);
        // The dark header band was styled (CSS applied), and the page is not blank: many distinct colours.
        int header = image.getRGB(5, 5) & 0xffffff;
        assertThat(brightness(header)).as("header colour %06x", header).isLessThan(60);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours in the screenshot").isGreaterThan(50);

        String dom = chromium.dumpDom(html);
        assertThat(dom)
                .contains(
                        "2 map races, 7 occurrences",
                        "id=\"finding-1\"",
                        "id=\"finding-2\"",
                        "concurrent-write",
                        "unsynchronized-write",
                        "seen 5 times",
                        "\"request-21\"",
                        "\"request-22\"",
                        "com.example.quotes.QuoteCache.put(QuoteCache.java:50)",
                        "com.example.sessions.Sweeper.expire(Sweeper.java:19)");
        // The field and the fix, in the box above each finding's details.
        assertThat(dom)
                .contains(
                        "<p class=\"field\"><span class=\"label\">field</span> <code>"
                                + "com.example.quotes.QuoteCache.quotes</code>",
                        "<p class=\"fix\"><span class=\"label\">fix</span> use a ConcurrentHashMap and"
                                + " computeIfAbsent",
                        "297 of 300 writes followed a miss of the same key",
                        "<code>mapscope bench --mix 93/7 --threads 8</code>",
                        "unknown <span class=\"how\">(a parameter of Sweeper.expire (the caller passed it in))");
        assertThat(dom.indexOf("class=\"answer\""))
                .as("the field and the fix come before the stacks")
                .isPositive()
                .isLessThan(dom.indexOf("class=\"threads\""));
    }

    @Test
    void anEmptyReportSaysSo() throws Exception {
        Chromium chromium = Chromium.require();
        Path findings = Files.writeString(dir.resolve("findings.jsonl"), "");
        Path html = dir.resolve("empty.html");
        assertThat(Cli.run("report", findings.toString(), "--html", html.toString())
                        .exit())
                .isZero();
        assertThat(chromium.dumpDom(html)).contains("No map races were recorded.");
    }

    private static int brightness(int rgb) {
        return (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3;
    }
}
