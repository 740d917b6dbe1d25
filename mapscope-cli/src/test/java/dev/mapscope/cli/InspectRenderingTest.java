package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.probe.InspectHtml;
import dev.mapscope.cli.probe.InspectText;
import dev.mapscope.cli.probe.MapTable;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The inspection pictures drawn from answers in the contract's format (written by hand, as the agent would):
 * DelveTarget's account map (40 of 100 keys in bucket 17, a tree bin) and a GoMap caught mid-growth.
 */
class InspectRenderingTest {

    static Path resource(String name) throws Exception {
        return Path.of(Objects.requireNonNull(InspectRenderingTest.class.getResource(name))
                .toURI());
    }

    @Test
    void theCollidedBucketIsTheHottestCellAndTheReadingNamesIt() throws Exception {
        MapTable t = MapTable.read(resource("inspect-hashmap.json"));
        String text = InspectText.render(t, "field dev.mapscope.demo.DelveTarget.BALANCES", false);
        String[] lines = text.split("\n");
        assertThat(lines[0])
                .isEqualTo("HashMap java.util.HashMap@1b6d3586 (field"
                        + " dev.mapscope.demo.DelveTarget.BALANCES), read in 41.0 \u00b5s");
        assertThat(lines[1]).isEqualTo("bucket heat map: 256 buckets, hottest bucket 17 with 40 entries");
        // Row 0 covers buckets 0..63: the even buckets 2..62 hold one entry, bucket 17 the top of the scale.
        assertThat(lines[2]).startsWith("    0 ");
        String row = lines[2].substring(6);
        assertThat(row.charAt(17)).isEqualTo('@');
        assertThat(row.charAt(0)).isEqualTo('.');
        assertThat(row.charAt(2)).isNotEqualTo('.').isNotEqualTo(row.charAt(17));
        assertThat(lines[3]).isEqualTo(" ".repeat(6 + 17) + "T");
        assertThat(lines[4]).startsWith("   64 ");
        assertThat(text)
                .contains(
                        "  tree bins (T): bucket 17 (40)\n",
                        "  fullest:   bucket 17 (40, tree), bucket 2 (1), bucket 4 (1), bucket 6 (1), bucket 8 (1),"
                                + " bucket 10 (1) and 55 more\n");
        String reading = String.join(" ", InspectText.reading(t));
        assertThat(reading)
                .contains(
                        "100 entries in 256 buckets, load factor 0.39 (the table doubles beyond 192" + " entries).",
                        "195 buckets (76%) are empty; well-spread hashes would leave about 68%.",
                        "The longest chain has 40 entries, in bucket 17 (a tree bin).",
                        "Bucket 17 holds 40% of the entries: its keys collide (their hashes agree in the 8 low bits",
                        "Bucket 17 is a tree bin");
        assertThat(text).doesNotContain("\u001b[");
        assertThat(InspectText.render(t, "x", true)).contains("\u001b[38;5;");
    }

    @Test
    void anEvenTableHasNoCollisionSentence() {
        int[] chains = new int[64];
        for (int i = 0; i < 40; i++) {
            chains[i] = 1;
        }
        MapTable t = new MapTable(
                "java.util.HashMap@1",
                "java.util.HashMap",
                "hash",
                40,
                64,
                48,
                chains,
                java.util.Set.of(),
                24,
                1,
                null,
                true,
                0,
                100);
        assertThat(t.collidedBucket()).isEqualTo(-1);
        assertThat(String.join(" ", InspectText.reading(t)))
                .doesNotContain("collide", "tree bin")
                .contains("40 buckets");
    }

    @Test
    void goMapShowsTophashOverflowAndTheGrowth() throws Exception {
        MapTable t = MapTable.read(resource("inspect-gomap.json"));
        String text = InspectText.render(t, "id dev.mapscope.maps.GoMap@5e2de80c", false);
        assertThat(text)
                .contains(
                        "bucket heat map: 8 buckets, hottest bucket 1 with 10 occupied slots",
                        "tophash of the fullest buckets",
                        "old array (2^2 buckets, evacuated ones drawn empty):");
        assertThat(text)
                .containsPattern("bucket    1  ([0-9a-f]{2} ){7}[0-9a-f]{2} \\| [0-9a-f]{2} [0-9a-f]{2} \\.\\.");
        String reading = String.join(" ", InspectText.reading(t));
        assertThat(reading)
                .contains(
                        "37 entries in 2^3 = 8 buckets of 8 slots, 4.6 per bucket",
                        "1 overflow bucket in all; the longest overflow chain is 1, at bucket 1.",
                        "The map is growing from 2^2 to 2^3 buckets: 2 of 4 old buckets are evacuated (nevacuate = 2)");
        assertThat(InspectText.tophash(new int[] {0, 1, 2, 3, 4, 5, 255, -1})).isEqualTo(".. .. ev ev ev 05 ff ??");
        String html = InspectHtml.render(t, "id dev.mapscope.maps.GoMap@5e2de80c");
        assertThat(html)
                .contains(
                        "<th>tophash</th>",
                        "<tr id=\"bucket-1\" class=\"hot\"><td>1</td><td>10</td>",
                        "from 2^2, nevacuate 2");
    }

    @Test
    void theHtmlPageMarksTheHotBucket() throws Exception {
        MapTable t = MapTable.read(resource("inspect-hashmap.json"));
        String html = InspectHtml.render(t, "field dev.mapscope.demo.DelveTarget.BALANCES");
        assertThat(html)
                .contains(
                        "<tr id=\"bucket-17\" class=\"hot\"><td>17</td><td>40 <span class=\"tag\">tree"
                                + " bin</span></td><td>40%</td>",
                        "<span class=\"hot\">Bucket 17 holds 40% of the entries",
                        "title=\"bucket 17: 40 entries\"",
                        "mapscope inspect: HashMap")
                .doesNotContain("{{");
        assertThat(html).contains("<tr id=\"bucket-2\"><td>2</td>");
    }

    @Test
    void anAnswerThatIsNotAnInspectionIsOneSentence(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = java.nio.file.Files.writeString(dir.resolve("x.json"), "{\"hits\":3}");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MapTable.read(f))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("is not an inspection");
    }
}
