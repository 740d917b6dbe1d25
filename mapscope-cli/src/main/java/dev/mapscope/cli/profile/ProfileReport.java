package dev.mapscope.cli.profile;

import dev.mapscope.cli.render.HtmlReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a profile found, as terminal text ({@code summary.txt}) and as {@code report.html}: the widest towers of
 * the flame graph, the top maps and buckets, resizes, same-bucket examples with both stacks, the bucket heat map
 * of the hottest map and the collections beside the resizes (a timeline in HTML).
 */
public final class ProfileReport {
    /** The converter's frame-type suffix (_[j] compiled, _[i] inlined, _[0] interpreted...), dropped for reading. */
    private static final Pattern FRAME_TYPE = Pattern.compile("_\\[[0-9a-z]\\]$");

    private final String title;
    private final Collapsed stacks;
    /** null for an async-profiler (cpu, wall, lock) profile */
    private final MapProfile map;
    /** null when there was no JFR recording */
    private final GcLines gc;

    private final int top;
    private final List<String> notes;

    ProfileReport(String title, Collapsed stacks, MapProfile map, GcLines gc, int top, List<String> notes) {
        this.title = title;
        this.stacks = stacks;
        this.map = map;
        this.gc = gc;
        this.top = top;
        this.notes = notes;
    }

    /** The terminal summary: at most {@link #TERMINAL_GC_LINES} GC lines, the heat map coloured when {@code color}. */
    String terminal(boolean color) {
        return text(color, TERMINAL_GC_LINES);
    }

    /** Every line, no colour: summary.txt. */
    String text() {
        return text(false, Integer.MAX_VALUE);
    }

    /** GC lines on the terminal: a busy JVM collects several times a second; summary.txt keeps them all. */
    static final int TERMINAL_GC_LINES = 20;

    private String text(boolean color, int gcLines) {
        StringBuilder b = new StringBuilder();
        b.append(title)
                .append(", ")
                .append(stacks.total())
                .append(map != null ? " map operations in the flame graph" : " samples")
                .append('\n');
        for (String n : notes) {
            b.append("note: ").append(n).append('\n');
        }
        if (map != null) {
            b.append(String.format(
                    Locale.ROOT,
                    "%d operations%s, %d sampled (1 in %d), same-bucket window %s%n",
                    map.operations(),
                    map.estimated() ? " (estimated from the samples)" : "",
                    map.samples(),
                    map.sample(),
                    micros(map.windowMicros() * 1000)));
            if (map.droppedTotal() > 0) {
                List<String> parts = new ArrayList<>();
                map.dropped().forEach((what, n) -> {
                    if (n != null && n > 0) {
                        parts.add(n + " " + what);
                    }
                });
                b.append("the agent dropped ").append(String.join(", ", parts)).append(" at its memory bounds\n");
            }
        }
        b.append('\n')
                .append(map != null ? "widest towers (map and bucket):" : "top frames (self):")
                .append('\n');
        long total = Math.max(1, stacks.total());
        if (map != null) {
            for (Map.Entry<List<String>, Long> e : first(stacks.byLastTwo())) {
                b.append(String.format(
                        Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / total, String.join(" ; ", e.getKey())));
            }
        } else {
            for (Map.Entry<String, Long> e : first(stacks.byLeaf())) {
                b.append(String.format(
                        Locale.ROOT,
                        "  %5.1f%%  %s%n",
                        100.0 * e.getValue() / total,
                        FRAME_TYPE.matcher(e.getKey()).replaceFirst("")));
            }
        }
        if (stacks.stacks().isEmpty()) {
            b.append("  (no samples)\n");
        }
        if (map != null) {
            appendMaps(b);
            appendSameBucket(b);
            MapProfile.MapEntry hottest =
                    map.maps().isEmpty() ? null : map.maps().get(0);
            if (hottest != null && hottest.heat() != null && hottest.heat().length > 0) {
                b.append('\n')
                        .append(hottest.label())
                        .append(":\n")
                        .append(hottest.heatMap().terminal(color));
            }
        }
        if (gc != null) {
            b.append("\ngarbage collections and map resizes:\n");
            List<String> lines = gc.lines();
            for (String l : lines.subList(0, Math.min(gcLines, lines.size()))) {
                b.append("  ").append(l).append('\n');
            }
            if (lines.size() > gcLines) {
                b.append("  ... ")
                        .append(lines.size() - gcLines)
                        .append(" more lines in ")
                        .append(ProfileFiles.SUMMARY)
                        .append(" and ")
                        .append(ProfileFiles.REPORT)
                        .append('\n');
            }
            if (lines.isEmpty()) {
                b.append("  no collections and no resizes during the profile\n");
            }
        }
        return b.toString();
    }

    private void appendMaps(StringBuilder b) {
        b.append("\ntop maps (by operations):\n");
        for (MapProfile.MapEntry m : first(map.maps())) {
            b.append(String.format(
                    Locale.ROOT,
                    "  %-40s %9d ops %s, %d writer thread%s, %d same-bucket writes," + " %d resize%s (%s)%n",
                    m.label(),
                    m.totalOps(),
                    ops(m.ops()),
                    m.writerThreads(),
                    m.writerThreads() == 1 ? "" : "s",
                    m.sameBucketWrites(),
                    m.resizes(),
                    m.resizes() == 1 ? "" : "s",
                    m.resizes() == 0 ? "-" : micros(m.resizeNanos())));
        }
        if (map.maps().isEmpty()) {
            b.append("  (no map operations were seen)\n");
        }
        b.append("\ntop buckets:\n");
        List<String[]> buckets = new ArrayList<>();
        List<long[]> order = new ArrayList<>();
        for (MapProfile.MapEntry m : map.maps()) {
            for (MapProfile.Bucket k : m.buckets() == null ? List.<MapProfile.Bucket>of() : m.buckets()) {
                buckets.add(new String[] {
                    m.label(),
                    Long.toString(k.bucket()),
                    Long.toString(k.ops()),
                    Long.toString(k.writes()),
                    Long.toString(k.sameBucketWrites())
                });
                order.add(new long[] {k.ops(), buckets.size() - 1});
            }
        }
        order.sort(Comparator.comparingLong((long[] o) -> o[0]).reversed());
        for (long[] o : first(order)) {
            String[] k = buckets.get((int) o[1]);
            b.append(String.format(
                    Locale.ROOT,
                    "  %-40s bucket %-6s %9s ops %9s writes %6s same-bucket%n",
                    k[0],
                    k[1],
                    k[2],
                    k[3],
                    k[4]));
        }
        List<MapProfile.Resize> resizes = gc != null ? gc.resizes() : map.resizes();
        long nanos =
                resizes.stream().mapToLong(MapProfile.Resize::durationNanos).sum();
        long bytes = resizes.stream().mapToLong(MapProfile.Resize::bytes).sum();
        b.append(String.format(
                Locale.ROOT,
                "%nresizes: %d, %s in all, %s allocated for new tables%n",
                resizes.size(),
                micros(nanos),
                GcLines.bytes(bytes)));
    }

    private void appendSameBucket(StringBuilder b) {
        if (map.sameBucket().isEmpty()) {
            b.append("\nno same-bucket writes by different threads within ")
                    .append(micros(map.windowMicros() * 1000))
                    .append('\n');
            return;
        }
        b.append("\nsame-bucket writes by different threads within ")
                .append(micros(map.windowMicros() * 1000))
                .append(" (")
                .append(map.sameBucket().size())
                .append(map.sameBucket().size() == 1 ? " example" : " examples")
                .append(", the first ")
                .append(Math.min(3, map.sameBucket().size()))
                .append(" here):\n");
        for (MapProfile.SameBucket s :
                map.sameBucket().subList(0, Math.min(3, map.sameBucket().size()))) {
            b.append("  ")
                    .append(s.label())
                    .append(" bucket ")
                    .append(s.bucket())
                    .append(", ")
                    .append(micros(s.gapNanos()))
                    .append(" apart\n");
            for (MapProfile.Side side : new MapProfile.Side[] {s.first(), s.second()}) {
                if (side != null) {
                    b.append("    ")
                            .append(side.thread())
                            .append(": ")
                            .append(shortStack(side.stack()))
                            .append('\n');
                }
            }
        }
    }

    /** The first three frames of a stack, joined by " < ". */
    static String shortStack(List<String> stack) {
        if (stack == null || stack.isEmpty()) {
            return "(no stack)";
        }
        List<String> frames = new ArrayList<>();
        for (String f : stack.subList(0, Math.min(3, stack.size()))) {
            frames.add(withoutModule(f));
        }
        return String.join(" < ", frames) + (stack.size() > 3 ? " < ..." : "");
    }

    /**
     * A frame without StackTraceElement's class-loader and module prefixes ({@code app//}, {@code java.base/},
     * {@code java.base@17.0.15/}). Loader and module names have no '$', so a hidden class's
     * {@code Foo$$Lambda$14/0x00007f84.run} keeps its slash.
     */
    public static String withoutModule(String frame) {
        String f = frame;
        for (int i = 0; i < 2; i++) {
            Matcher m = MODULE_PREFIX.matcher(f);
            if (!m.lookingAt()) {
                break;
            }
            f = f.substring(m.end());
        }
        return f;
    }

    private static final Pattern MODULE_PREFIX = Pattern.compile("(?:[A-Za-z_][\\w.]*)?(?:@[\\w.+-]*)?/");

    private <T> List<T> first(List<T> list) {
        return list.subList(0, Math.min(top, list.size()));
    }

    private static String ops(Map<String, Long> ops) {
        if (ops == null || ops.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("(");
        ops.entrySet().stream()
                .filter(e -> e.getValue() != null && e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> b.append(b.length() > 1 ? " " : "")
                        .append(e.getKey())
                        .append(' ')
                        .append(e.getValue()));
        return b.append(')').toString();
    }

    static String micros(long nanos) {
        if (nanos >= 1_000_000 && nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + "ms";
        }
        if (nanos >= 1_000_000) {
            return GcLines.millis(nanos);
        }
        return String.format(Locale.ROOT, "%.1fµs", nanos / 1e3);
    }

    /** report.html: this summary, the heat map, the timeline of collections and resizes, and the files. */
    String html(List<String> files) {
        StringBuilder body = new StringBuilder();
        body.append("<nav class=\"files\">");
        for (String f : files) {
            body.append("<a href=\"")
                    .append(HtmlReport.escape(f))
                    .append("\">")
                    .append(HtmlReport.escape(f))
                    .append("</a> ");
        }
        body.append("</nav>\n");
        if (map != null && !map.maps().isEmpty() && map.maps().get(0).heat() != null) {
            MapProfile.MapEntry hottest = map.maps().get(0);
            body.append("<section><h2>Buckets of ")
                    .append(HtmlReport.escape(hottest.label()))
                    .append("</h2>\n")
                    .append(hottest.heatMap().html())
                    .append("</section>\n");
        }
        if (gc != null) {
            body.append("<section><h2>Garbage collections and map resizes</h2>\n")
                    .append(Timeline.svg(gc))
                    .append("<pre class=\"gc\">");
            for (String l : gc.lines()) {
                body.append(HtmlReport.escape(l)).append('\n');
            }
            body.append("</pre></section>\n");
        }
        body.append("<section><h2>Summary</h2><pre class=\"summary\">")
                .append(HtmlReport.escape(text()))
                .append("</pre></section>\n");
        return template().replace("{{title}}", HtmlReport.escape(title)).replace("{{body}}", body);
    }

    private static String template() {
        try (InputStream in = ProfileReport.class.getResourceAsStream("profile-report.html")) {
            if (in == null) {
                throw new IllegalStateException("profile-report.html is missing from the mapscope jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
