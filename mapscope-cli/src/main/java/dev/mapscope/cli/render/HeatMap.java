package dev.mapscope.cli.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One number per bucket of a hash table (operations per bucket from a profile, entries per chain from an
 * inspection), drawn as a heat map: rows of cells on a terminal (ANSI colours, or plain characters for logs and
 * pipes) and as an HTML fragment with inline styles (no script, no stylesheet needed).
 *
 * <pre>{@code
 * HeatMap h = HeatMap.of(opsPerBucket, "ops");                // one cell per bucket, folded to 256 cells at most
 * HeatMap h = new HeatMap(cells, 4, "ops");                    // already folded: cell i covers buckets 4i..4i+3
 * out.print(h.terminal(Terminal.colorWanted(colorFlag)));       // the title line, the rows and the scale
 * html.append(h.html());                                       // a <figure> for a report page
 * }</pre>
 *
 * A negative value means "unknown" (a chain that could not be read) and is drawn as {@code ?}.
 */
public final class HeatMap {
    /*
     * The scale is logarithmic between the smallest non-zero value and the largest: a hot bucket is usually tens
     * or thousands of times hotter than the rest, and a linear scale would draw every other bucket as zero, while
     * a scale from zero would put all the ordinary buckets on one middle level (a profile of the demo: 2,000 ops
     * per ordinary cell and 5.4 million in the hot one all read as level 5). Zero always has its own level, so an
     * empty bucket is never confused with a cool one; levels 1..9 divide log(min)..log(max) evenly.
     */

    /** Cells per terminal row and per HTML row. */
    public static final int ROW = 64;
    /** {@link #of} folds larger tables to this many cells (the profile's JSON uses the same bound). */
    public static final int MAX_CELLS = 256;

    /** Plain-text glyphs by level: index 0 is zero, 1..9 rise with the value (ASCII only, for logs). */
    private static final String GLYPHS = ".:-=+*o#%@";
    /** ANSI 256-colour foreground per level 1..9: blue through green and yellow to red. */
    private static final int[] ANSI = {25, 31, 37, 71, 107, 143, 179, 173, 167, 160};
    /** HTML background per level 0..9 (0: the empty cell). */
    private static final String[] CSS = {
        "#f3f4f6", "#dbeafe", "#bfdbfe", "#a7f3d0", "#d9f99d", "#fde68a", "#fdba74", "#fb923c", "#f87171", "#dc2626"
    };

    private static final int LEVELS = 9;

    private final long[] cells;
    private final int bucketsPerCell;
    private final String unit;
    private final long max;
    /** the smallest value above zero (0 when there is none) */
    private final long min;

    private final int hottest;

    /**
     * A heat map of {@code cells}, each covering {@code bucketsPerCell} consecutive buckets (1 when unfolded);
     * {@code unit} names the value in titles ("ops", "entries").
     */
    public HeatMap(long[] cells, int bucketsPerCell, String unit) {
        if (bucketsPerCell < 1) {
            throw new IllegalArgumentException("bucketsPerCell must be at least 1, not " + bucketsPerCell);
        }
        this.cells = cells.clone();
        this.bucketsPerCell = bucketsPerCell;
        this.unit = unit;
        long m = 0;
        long low = 0;
        int h = -1;
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] > m) {
                m = cells[i];
                h = i;
            }
            if (cells[i] > 0 && (low == 0 || cells[i] < low)) {
                low = cells[i];
            }
        }
        this.max = m;
        this.min = low;
        this.hottest = h;
    }

    /** One value per bucket, summed into at most {@link #MAX_CELLS} cells of equal width when there are more. */
    public static HeatMap of(long[] perBucket, String unit) {
        return of(perBucket, unit, false);
    }

    /**
     * Like {@link #of(long[], String)}, folding by the largest value of a cell instead of the sum when
     * {@code foldByMax} (for chain lengths: the longest chain of a cell is what matters). A cell with an unknown
     * bucket and no known value is unknown.
     */
    public static HeatMap of(long[] perBucket, String unit, boolean foldByMax) {
        int k = 1;
        while ((perBucket.length + k - 1) / k > MAX_CELLS) {
            k *= 2;
        }
        if (k == 1) {
            return new HeatMap(perBucket, 1, unit);
        }
        long[] folded = new long[(perBucket.length + k - 1) / k];
        for (int c = 0; c < folded.length; c++) {
            long v = -1;
            for (int b = c * k; b < Math.min(perBucket.length, c * k + k); b++) {
                long x = perBucket[b];
                if (x < 0) {
                    continue;
                }
                v = v < 0 ? x : foldByMax ? Math.max(v, x) : v + x;
            }
            folded[c] = v;
        }
        return new HeatMap(folded, k, unit);
    }

    /** Number of cells. */
    public int cells() {
        return cells.length;
    }

    /** The largest value (0 when all are zero or unknown). */
    public long max() {
        return max;
    }

    /** The first bucket of the hottest cell, or -1 when every cell is zero or unknown. */
    public int hottestBucket() {
        return hottest < 0 ? -1 : hottest * bucketsPerCell;
    }

    /** The level 0..9 of a value: 0 only for zero, 1 for the smallest non-zero value, 9 for the largest; -1 unknown. */
    public int level(long value) {
        if (value < 0) {
            return -1;
        }
        if (value == 0 || max == 0) {
            return 0;
        }
        if (max == min) {
            return LEVELS;
        }
        double scaled = (Math.log(value) - Math.log(min)) / (Math.log(max) - Math.log(min));
        return Math.max(1, Math.min(LEVELS, 1 + (int) Math.round(scaled * (LEVELS - 1))));
    }

    /**
     * The title line, rows of {@link #ROW} cells each starting with its first bucket number, and a line with the
     * scale (the values each glyph stands for, as they occur here); every line ends with a newline. ANSI colours
     * when {@code color}, otherwise plain characters only.
     */
    public String terminal(boolean color) {
        StringBuilder b = new StringBuilder();
        b.append(title()).append('\n');
        int labelWidth = Integer.toString(Math.max(0, (cells.length - 1) * bucketsPerCell))
                .length();
        for (int row = 0; row < cells.length; row += ROW) {
            b.append(String.format(Locale.ROOT, "  %" + labelWidth + "d ", row * bucketsPerCell));
            for (int i = row; i < Math.min(cells.length, row + ROW); i++) {
                appendCell(b, level(cells[i]), color);
            }
            b.append('\n');
        }
        b.append("  scale:");
        for (long[] range : ranges()) {
            b.append(' ');
            appendCell(b, (int) range[0], color);
            b.append(' ').append(range[1] == range[2] ? Long.toString(range[1]) : range[1] + "-" + range[2]);
        }
        if (hasUnknown()) {
            b.append("  ? unknown");
        }
        return b.append('\n').toString();
    }

    /** An HTML {@code <figure>} with a caption, one square per cell (a tooltip gives its buckets and value) and the scale. */
    public String html() {
        StringBuilder b = new StringBuilder();
        b.append("<figure class=\"heatmap\" style=\"margin:0.5em 0\"><figcaption style=\"font:0.9em sans-serif;"
                        + "margin-bottom:0.3em\">")
                .append(HtmlReport.escape(title()))
                .append("</figcaption>\n");
        b.append("<div style=\"display:grid;grid-template-columns:repeat(")
                .append(Math.min(ROW, Math.max(1, cells.length)))
                .append(",12px);gap:1px\">");
        for (int i = 0; i < cells.length; i++) {
            int level = level(cells[i]);
            String bg = level < 0 ? "#ffffff" : CSS[level];
            b.append("<span title=\"")
                    .append(HtmlReport.escape(cellName(i) + ": " + (cells[i] < 0 ? "unknown" : cells[i] + " " + unit)))
                    .append("\" style=\"width:12px;height:12px;background:")
                    .append(bg)
                    .append(level < 0 ? ";outline:1px dashed #9ca3af" : "")
                    .append(i == hottest ? ";outline:2px solid #111" : "")
                    .append("\"></span>");
        }
        b.append("</div>\n<div style=\"font:0.8em sans-serif;margin-top:0.3em\">");
        for (long[] range : ranges()) {
            b.append("<span style=\"display:inline-block;width:10px;height:10px;background:")
                    .append(CSS[(int) range[0]])
                    .append("\"></span> ")
                    .append(range[1] == range[2] ? range[1] : range[1] + "\u2013" + range[2])
                    .append(" &nbsp;");
        }
        return b.append("</div></figure>\n").toString();
    }

    private String title() {
        int buckets = cells.length * bucketsPerCell;
        StringBuilder t = new StringBuilder("bucket heat map: ")
                .append(buckets)
                .append(" bucket")
                .append(buckets == 1 ? "" : "s");
        if (bucketsPerCell > 1) {
            t.append(", ").append(bucketsPerCell).append(" per cell");
        }
        if (hottest >= 0) {
            t.append(", hottest ")
                    .append(cellName(hottest))
                    .append(" with ")
                    .append(max)
                    .append(' ')
                    .append(unit);
        } else {
            t.append(", all zero");
        }
        return t.toString();
    }

    private String cellName(int cell) {
        return bucketsPerCell == 1
                ? "bucket " + cell
                : "buckets " + (cell * bucketsPerCell) + "-" + (cell * bucketsPerCell + bucketsPerCell - 1);
    }

    /** {level, lowest value, highest value} for each level that occurs, in level order. */
    private List<long[]> ranges() {
        long[] lo = new long[LEVELS + 1];
        long[] hi = new long[LEVELS + 1];
        java.util.Arrays.fill(lo, Long.MAX_VALUE);
        java.util.Arrays.fill(hi, -1);
        for (long v : cells) {
            int l = level(v);
            if (l >= 0) {
                lo[l] = Math.min(lo[l], v);
                hi[l] = Math.max(hi[l], v);
            }
        }
        List<long[]> out = new ArrayList<>();
        for (int l = 0; l <= LEVELS; l++) {
            if (hi[l] >= 0) {
                out.add(new long[] {l, lo[l], hi[l]});
            }
        }
        return out;
    }

    private boolean hasUnknown() {
        for (long v : cells) {
            if (v < 0) {
                return true;
            }
        }
        return false;
    }

    private static void appendCell(StringBuilder b, int level, boolean color) {
        if (level < 0) {
            b.append('?');
        } else if (!color) {
            b.append(GLYPHS.charAt(level));
        } else if (level == 0) {
            b.append("\u001b[38;5;240m\u00b7\u001b[0m");
        } else {
            b.append("\u001b[38;5;").append(ANSI[level]).append("m\u2588\u001b[0m");
        }
    }
}
