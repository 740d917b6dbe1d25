package dev.mapscope.cli.probe;

import static dev.mapscope.cli.render.HtmlReport.escape;

import dev.mapscope.cli.console.Outputs;
import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.render.HeatMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * An inspected table as one self-contained HTML page (inline CSS, no script), styled like the race report: the
 * reading, the heat map ({@link HeatMap#html()}), the fullest buckets as a table (each row {@code id="bucket-N"},
 * the collided one marked {@code hot}), and for GoMap the tophash bytes and the growth state.
 */
public final class InspectHtml {
    private InspectHtml() {}

    /** Buckets listed in the table of the fullest. */
    private static final int ROWS = 16;

    public static void write(MapTable t, String source, Path target) {
        Outputs.checkWritable(target);
        try {
            Files.writeString(target, render(t, source), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot write the HTML page " + target + ": " + e.getMessage());
        }
    }

    public static String render(MapTable t, String source) {
        StringBuilder b = new StringBuilder();
        long[] v = t.perBucket();
        long entries = 0;
        for (long x : v) {
            entries += Math.max(0, x);
        }
        List<Integer> fullest = t.fullest(ROWS);
        int hot = t.collidedBucket();

        b.append("<section class=\"card\" id=\"reading\"><h2>What the table says</h2>\n<p class=\"reading\">");
        for (String sentence : InspectText.reading(t)) {
            boolean isHot = hot >= 0 && sentence.startsWith("Bucket " + hot + " holds");
            b.append(isHot ? "<span class=\"hot\">" : "")
                    .append(escape(sentence))
                    .append(isHot ? "</span>" : "")
                    .append(' ');
        }
        b.append("</p></section>\n");

        b.append("<section class=\"card\" id=\"heatmap\"><h2>Buckets</h2>\n")
                .append(HeatMap.of(v, t.go() == null ? "entries" : "occupied slots", true)
                        .html())
                .append("<p class=\"note\">One square per bucket (or per group of buckets in a large table),"
                        + " coloured by the entries it holds; hover for the numbers. The outlined square is the"
                        + " fullest.</p>\n</section>\n");

        if (!fullest.isEmpty()) {
            b.append("<section class=\"card\" id=\"fullest\"><h2>Fullest buckets</h2>\n<table class=\"buckets\">\n")
                    .append("<tr><th>bucket</th><th>")
                    .append(t.go() == null ? "entries" : "occupied slots")
                    .append("</th><th>share</th><th></th>")
                    .append(t.go() == null ? "" : "<th>tophash</th>")
                    .append("</tr>\n");
            long max = v[fullest.get(0)];
            for (int k : fullest) {
                b.append("<tr id=\"bucket-")
                        .append(k)
                        .append('"')
                        .append(k == hot ? " class=\"hot\"" : "")
                        .append("><td>")
                        .append(k)
                        .append("</td><td>")
                        .append(v[k])
                        .append(t.trees().contains(k) ? " <span class=\"tag\">tree bin</span>" : "")
                        .append("</td><td>")
                        .append(entries == 0 ? "" : Math.round(100.0 * v[k] / entries) + "%")
                        .append("</td><td><span class=\"bar\" style=\"width:")
                        .append(Math.max(2, 240 * v[k] / max))
                        .append("px\"></span></td>");
                if (t.go() != null) {
                    b.append("<td><code>")
                            .append(escape(
                                    t.go().tophash() != null && k < t.go().tophash().length
                                            ? InspectText.tophash(t.go().tophash()[k])
                                            : ""))
                            .append("</code></td>");
                }
                b.append("</tr>\n");
            }
            b.append("</table>\n</section>\n");
        }

        b.append("<section class=\"card\" id=\"map\"><h2>The map</h2>\n<table class=\"meta\">\n");
        row(b, "map", t.map());
        row(b, "class", t.mapClass() + " (" + t.kind() + ")");
        row(b, "named by", source);
        row(b, "size", Long.toString(t.go() != null ? t.go().count() : t.size()));
        row(b, "buckets", Integer.toString(v.length));
        if (t.threshold() > 0) {
            row(b, "resize threshold", Long.toString(t.threshold()));
        }
        if (!t.trees().isEmpty()) {
            List<String> trees = new ArrayList<>();
            t.trees().forEach(x -> trees.add(Integer.toString(x)));
            row(b, "tree bins", String.join(", ", trees));
        }
        if (t.go() != null) {
            MapTable.Go go = t.go();
            row(b, "B", go.b() + " (" + (1L << go.b()) + " buckets)");
            row(b, "overflow buckets", Long.toString(go.noverflow()));
            row(
                    b,
                    "growth",
                    go.growing() ? "from 2^" + go.oldB() + ", nevacuate " + go.nevacuate() : "none in progress");
        }
        row(
                b,
                "read",
                (t.readNanos() >= 0 ? "in " + ProbeText.nanos(t.readNanos()) + ", " : "")
                        + (t.consistent() ? "consistent" : "changed while read") + ", " + t.retries() + " retries");
        b.append("</table>\n</section>\n");
        return template()
                .replace("{{title}}", "mapscope inspect: " + escape(t.simpleClass()))
                .replace(
                        "{{subtitle}}",
                        escape(t.map() + " \u00b7 " + source + " \u00b7 generated "
                                + Instant.now().truncatedTo(ChronoUnit.SECONDS)))
                .replace("{{body}}", b);
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append("<tr><th>")
                .append(escape(name))
                .append("</th><td><code>")
                .append(escape(value))
                .append("</code></td></tr>\n");
    }

    private static String template() {
        try (InputStream in = InspectHtml.class.getResourceAsStream("inspect.html")) {
            if (in == null) {
                throw new IllegalStateException("inspect.html is missing from the mapscope jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
