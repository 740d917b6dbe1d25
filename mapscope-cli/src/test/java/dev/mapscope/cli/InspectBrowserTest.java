package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.cli.probe.InspectHtml;
import dev.mapscope.cli.probe.MapTable;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page of {@code inspect --html} as a browser shows it: DelveTarget's account map (bucket 17 holds 40 of 100
 * entries) rendered by headless Chromium, screenshotted into target/screenshots, its DOM read back.
 */
class InspectBrowserTest {

    @TempDir
    Path dir;

    @Test
    void theHotBucketIsOnThePage() throws Exception {
        Chromium chromium = Chromium.require();
        MapTable t = MapTable.read(InspectRenderingTest.resource("inspect-hashmap.json"));
        Path html = dir.resolve("inspect.html");
        InspectHtml.write(t, "field dev.mapscope.demo.DelveTarget.BALANCES", html);
        check(chromium, html, "inspect.png");
    }

    /** Screenshots {@code html} and checks that it was styled and shows bucket 17 as the collided one. */
    static void check(Chromium chromium, Path html, String png) throws Exception {
        Path shot = Files.createDirectories(
                        Path.of(System.getProperty("mapscope.test.output", "target"), "screenshots"))
                .resolve(png);
        chromium.screenshot(html, shot);
        BufferedImage image = ImageIO.read(shot.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        // The dark header band of the shared style, and the red of the hottest cell somewhere on the page.
        int header = image.getRGB(5, 5) & 0xffffff;
        assertThat(((header >> 16 & 0xff) + (header >> 8 & 0xff) + (header & 0xff)) / 3)
                .isLessThan(60);
        boolean red = false;
        for (int y = 0; y < image.getHeight() && !red; y++) {
            for (int x = 0; x < image.getWidth() && !red; x++) {
                red = (image.getRGB(x, y) & 0xffffff) == 0xdc2626;
            }
        }
        assertThat(red)
                .as("the hottest cell's colour #dc2626 in the screenshot")
                .isTrue();
        String dom = chromium.dumpDom(html);
        assertThat(dom)
                .contains(
                        "<tr id=\"bucket-17\" class=\"hot\">",
                        "Bucket 17 holds 40% of the entries",
                        "title=\"bucket 17: 40 entries\"",
                        "tree bin");
    }
}
