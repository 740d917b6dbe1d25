package dev.mapscope.cli.profile;

import dev.mapscope.cli.render.HtmlReport;
import java.util.List;
import java.util.Locale;

/**
 * The timeline of report.html as inline SVG: garbage-collection pauses on the upper lane, map resizes per time
 * slice (bar height: how many; tooltip: how many bytes) on the lower one, on one time axis.
 */
final class Timeline {
    private static final int WIDTH = 1100;
    private static final int LEFT = 70;
    private static final int SLICES = 200;

    private Timeline() {}

    static String svg(GcLines gc) {
        List<MapProfile.Resize> resizes = gc.resizes();
        long origin = gc.origin();
        long end = origin + 1;
        for (GcLines.Gc g : gc.gcs()) {
            end = Math.max(end, g.startEpochNanos() + g.pauseNanos());
        }
        for (MapProfile.Resize r : resizes) {
            end = Math.max(end, r.startEpochNanos() + r.durationNanos());
        }
        double span = end - origin;
        int plot = WIDTH - LEFT - 10;
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"timeline\" width=\"")
                .append(WIDTH)
                .append("\" height=\"150\" viewBox=\"0 0 ")
                .append(WIDTH)
                .append(" 150\" xmlns=\"http://www.w3.org/2000/svg\">\n")
                .append("<text x=\"4\" y=\"28\">GC pauses</text><text x=\"4\" y=\"92\">resizes</text>\n")
                .append("<line x1=\"")
                .append(LEFT)
                .append("\" y1=\"120\" x2=\"")
                .append(WIDTH - 10)
                .append("\" y2=\"120\" stroke=\"#9ca3af\"/>\n");
        for (GcLines.Gc g : gc.gcs()) {
            double x = LEFT + plot * (g.startEpochNanos() - origin) / span;
            double w = Math.max(2, plot * g.pauseNanos() / span);
            b.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"gc\" x=\"%.1f\" y=\"12\" width=\"%.1f\" height=\"28\""
                            + " fill=\"#dc2626\"><title>gc %d @%s %s (%s) pause %s; %d resizes, %s before it</title></rect>%n",
                    x,
                    w,
                    g.id(),
                    GcLines.seconds(g.startEpochNanos() - origin),
                    HtmlReport.escape(g.name()),
                    HtmlReport.escape(g.cause()),
                    GcLines.millis(g.pauseNanos()),
                    g.resizesBefore().size(),
                    GcLines.bytes(g.resizeBytes())));
        }
        int[] count = new int[SLICES];
        long[] bytes = new long[SLICES];
        int max = 1;
        for (MapProfile.Resize r : resizes) {
            int s = (int) Math.min(SLICES - 1, Math.max(0, (r.startEpochNanos() - origin) * SLICES / (long) span));
            count[s]++;
            bytes[s] += r.bytes();
            max = Math.max(max, count[s]);
        }
        double sliceWidth = (double) plot / SLICES;
        for (int s = 0; s < SLICES; s++) {
            if (count[s] == 0) {
                continue;
            }
            double h = Math.max(1, 60.0 * count[s] / max);
            b.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"resize\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                            + " height=\"%.1f\" fill=\"#2563eb\"><title>%s-%s: %d resizes, %s</title></rect>%n",
                    LEFT + s * sliceWidth,
                    120 - h,
                    Math.max(1, sliceWidth - 0.5),
                    h,
                    GcLines.seconds((long) (span * s / SLICES)),
                    GcLines.seconds((long) (span * (s + 1) / SLICES)),
                    count[s],
                    GcLines.bytes(bytes[s])));
        }
        for (int t = 0; t <= 4; t++) {
            double x = LEFT + plot * t / 4.0;
            b.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"138\" text-anchor=\"middle\">%s</text>%n",
                    x,
                    GcLines.seconds((long) (span * t / 4))));
        }
        return b.append("</svg>\n").toString();
    }
}
