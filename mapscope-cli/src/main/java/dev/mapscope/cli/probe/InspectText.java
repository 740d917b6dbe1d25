package dev.mapscope.cli.probe;

import dev.mapscope.cli.render.HeatMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An inspected table for the terminal: a heat map of entries per bucket ({@link HeatMap}), the tree bins, for
 * GoMap the tophash bytes of the fullest buckets and the old array of a growth in progress, and a paragraph
 * that reads the picture for the user ({@link #reading}, shared with the HTML page).
 */
public final class InspectText {
    private InspectText() {}

    /** Buckets whose tophash bytes are printed for a GoMap. */
    static final int TOPHASH_ROWS = 6;

    /** The whole picture; {@code source} says how the map was named ("field X" or "id Y"). */
    public static String render(MapTable t, String source, boolean color) {
        StringBuilder b = new StringBuilder();
        b.append(t.simpleClass())
                .append(' ')
                .append(t.map())
                .append(" (")
                .append(source)
                .append(')');
        if (t.readNanos() >= 0) {
            b.append(", read in ").append(ProbeText.nanos(t.readNanos()));
        }
        b.append('\n');
        String map = HeatMap.of(t.perBucket(), t.go() == null ? "entries" : "occupied slots", true)
                .terminal(color);
        b.append(t.trees().isEmpty() ? map : markTrees(map, t.perBucket().length, t.trees()));
        if (!t.trees().isEmpty()) {
            b.append("  tree bins (T): ")
                    .append(bucketList(t, new ArrayList<>(t.trees()), 12))
                    .append('\n');
        }
        List<Integer> fullest = t.fullest(Integer.MAX_VALUE);
        if (!fullest.isEmpty()) {
            b.append("  fullest:   ").append(bucketList(t, fullest, 6)).append('\n');
        }
        if (t.go() != null) {
            appendGo(b, t, color);
        }
        b.append('\n');
        for (String line : wrap(String.join(" ", reading(t)), 98)) {
            b.append("  ").append(line).append('\n');
        }
        return b.toString();
    }

    /**
     * Adds under each row of {@code map} ({@link HeatMap#terminal}: a title line, then rows of {@link HeatMap#ROW}
     * cells after a label) a line with a T under every cell that holds a tree bin.
     */
    static String markTrees(String map, int buckets, java.util.Set<Integer> trees) {
        int k = 1;
        while ((buckets + k - 1) / k > HeatMap.MAX_CELLS) {
            k *= 2;
        }
        int cells = (buckets + k - 1) / k;
        int label = 2 + Integer.toString(Math.max(0, (cells - 1) * k)).length() + 1;
        String[] lines = map.split("\n", -1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            b.append(lines[i]).append(i < lines.length - 1 ? "\n" : "");
            int row = i - 1;
            if (row < 0 || row * HeatMap.ROW >= cells) {
                continue;
            }
            StringBuilder marks = new StringBuilder(" ".repeat(label));
            boolean any = false;
            for (int c = row * HeatMap.ROW; c < Math.min(cells, (row + 1) * HeatMap.ROW); c++) {
                boolean tree = false;
                for (int bucket = c * k; bucket < Math.min(buckets, c * k + k) && !tree; bucket++) {
                    tree = trees.contains(bucket);
                }
                marks.append(tree ? 'T' : ' ');
                any |= tree;
            }
            if (any) {
                b.append(marks.toString().stripTrailing()).append('\n');
            }
        }
        return b.toString();
    }

    private static String bucketList(MapTable t, List<Integer> buckets, int max) {
        long[] v = t.perBucket();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(max, buckets.size()); i++) {
            int k = buckets.get(i);
            b.append(i == 0 ? "" : ", ")
                    .append("bucket ")
                    .append(k)
                    .append(" (")
                    .append(k < v.length && v[k] >= 0 ? Long.toString(v[k]) : "?")
                    .append(t.trees().contains(k) && max == 6 ? ", tree" : "")
                    .append(')');
        }
        if (buckets.size() > max) {
            b.append(" and ").append(buckets.size() - max).append(" more");
        }
        return b.toString();
    }

    private static void appendGo(StringBuilder b, MapTable t, boolean color) {
        MapTable.Go go = t.go();
        if (go.tophash() != null && go.tophash().length > 0) {
            b.append("  tophash of the fullest buckets (.. empty, ev evacuated, otherwise the hash's top byte; |"
                    + " starts an overflow bucket):\n");
            for (int k : t.fullest(TOPHASH_ROWS)) {
                b.append(String.format(Locale.ROOT, "    bucket %4d  ", k))
                        .append(tophash(go.tophash()[k]))
                        .append('\n');
            }
        }
        if (go.growing() && go.oldTophash() != null && go.oldTophash().length > 0) {
            long[] old = new long[go.oldTophash().length];
            for (int i = 0; i < old.length; i++) {
                old[i] = go.evacuated(i) ? 0 : MapTable.Go.occupied(go.oldTophash(), i);
            }
            b.append("  old array (2^").append(go.oldB()).append(" buckets, evacuated ones drawn empty):\n");
            for (String line :
                    HeatMap.of(old, "occupied slots", true).terminal(color).split("\n")) {
                b.append("  ").append(line).append('\n');
            }
        }
    }

    /** {@code 9c 3e .. .. | 55 ..}: a bucket's tophash bytes, eight per bucket. */
    public static String tophash(int[] bytes) {
        if (bytes == null) {
            return "(unread)";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                b.append(i % MapTable.Go.SLOTS == 0 ? " | " : " ");
            }
            int v = bytes[i];
            b.append(
                    v < 0
                            ? "??"
                            : v <= 1
                                    ? ".."
                                    : v < MapTable.Go.MIN_TOPHASH
                                            ? "ev"
                                            : String.format(Locale.ROOT, "%02x", v & 0xff));
        }
        return b.toString();
    }

    /** What the picture says, in sentences: load, empties, the longest chain, collisions, tree bins, growth. */
    public static List<String> reading(MapTable t) {
        List<String> s = new ArrayList<>();
        long[] v = t.perBucket();
        int buckets = v.length;
        long entries = 0;
        int empty = 0;
        int unread = 0;
        for (long x : v) {
            if (x < 0) {
                unread++;
            } else {
                entries += x;
                empty += x == 0 ? 1 : 0;
            }
        }
        long size = t.go() != null ? t.go().count() : t.size();
        if (buckets == 0) {
            s.add("The map has no table yet: it was never written, so it holds nothing.");
            return s;
        }
        if (t.go() != null) {
            MapTable.Go go = t.go();
            s.add(String.format(
                    Locale.ROOT,
                    "%s in 2^%d = %s of 8 slots, %.1f per bucket (Go grows the table" + " beyond 6.5).",
                    plural(size, "entry"),
                    go.b(),
                    plural(buckets, "bucket"),
                    size / (double) buckets));
            int longestOverflow = 0;
            int at = -1;
            for (int i = 0; go.overflow() != null && i < go.overflow().length; i++) {
                if (go.overflow()[i] > longestOverflow) {
                    longestOverflow = go.overflow()[i];
                    at = i;
                }
            }
            s.add(
                    go.noverflow() == 0 && longestOverflow == 0
                            ? "No bucket has overflowed."
                            : plural(go.noverflow(), "overflow bucket") + " in all; the longest overflow chain is "
                                    + longestOverflow + ", at bucket " + at + ".");
            if (go.growing()) {
                long oldBuckets = 1L << Math.max(0, go.oldB());
                s.add(
                        go.sameSizeGrow() || go.oldB() == go.b()
                                ? "A same-size grow is in progress (too many overflow buckets): " + go.nevacuate()
                                        + " of " + oldBuckets + " old buckets are repacked (nevacuate = "
                                        + go.nevacuate() + ")."
                                : "The map is growing from 2^" + go.oldB() + " to 2^" + go.b() + " buckets: "
                                        + go.nevacuate()
                                        + " of " + oldBuckets + " old buckets are evacuated (nevacuate = "
                                        + go.nevacuate()
                                        + "); every write moves one or two more, and the others are still read from the old"
                                        + " array.");
            } else {
                s.add("No growth is in progress.");
            }
        } else {
            String load = String.format(
                    Locale.ROOT,
                    "%s in %s, load factor %.2f",
                    plural(size, "entry"),
                    plural(buckets, "bucket"),
                    size / (double) buckets);
            s.add(load + (t.threshold() > 0 ? " (the table doubles beyond " + t.threshold() + " entries)." : "."));
        }
        if (entries > 0) {
            double expected = 100 * Math.exp(-entries / (double) buckets);
            boolean growing = t.go() != null && t.go().growing();
            s.add(String.format(
                    Locale.ROOT,
                    growing
                            ? "%s (%d%%) of the new array %s empty, most of them waiting for old buckets that are"
                                    + " not evacuated yet."
                            : "%s (%d%%) %s empty; well-spread hashes would leave about " + Math.round(expected)
                                    + "%%.",
                    plural(empty, "bucket"),
                    Math.round(100.0 * empty / buckets),
                    empty == 1 ? "is" : "are"));
            List<Integer> fullest = t.fullest(buckets);
            int top = fullest.get(0);
            long longest = v[top];
            List<Integer> tied = new ArrayList<>();
            for (int k : fullest) {
                if (v[k] == longest) {
                    tied.add(k);
                }
            }
            String where = tied.size() == 1
                    ? "bucket " + top
                    : tied.size() <= 3
                            ? "buckets " + join(tied)
                            : tied.size() + " buckets (the first is bucket " + top + ")";
            s.add("The longest " + (t.go() != null ? "bucket holds " : "chain has ") + plural(longest, "entry")
                    + ", in " + where + (t.trees().contains(top) ? " (a tree bin)" : "") + ".");
            double share = longest / (double) entries;
            if (top == t.collidedBucket()) {
                int bits = Integer.numberOfTrailingZeros(Integer.highestOneBit(Math.max(1, buckets)));
                s.add(String.format(
                        Locale.ROOT,
                        "Bucket %d holds %d%% of the entries: its keys collide (their"
                                + " hashes agree in the %d low bits that choose the bucket), so every lookup there searches"
                                + " %d entries; keys with a better-spread hashCode would share it out.",
                        top,
                        Math.round(100 * share),
                        bits,
                        longest));
            }
        } else {
            s.add("Every bucket is empty.");
        }
        if (!t.trees().isEmpty()) {
            s.add(
                    t.trees().size() == 1
                            ? "Bucket " + t.trees().iterator().next()
                                    + " is a tree bin: HashMap turns a chain of more than"
                                    + " 8 into a red-black tree once the table has 64 buckets, which happens only when many"
                                    + " hashes collide."
                            : t.trees().size() + " buckets are tree bins (" + join(new ArrayList<>(t.trees()))
                                    + "): HashMap"
                                    + " turns a chain of more than 8 into a red-black tree once the table has 64 buckets, which"
                                    + " happens only when many hashes collide.");
        }
        if (unread > 0) {
            s.add(plural(unread, "bucket") + " could not be read (drawn ?).");
        }
        if (!t.consistent()) {
            s.add("The table changed while it was read (" + plural(t.retries(), "retry") + "), so the picture may"
                    + " mix two moments.");
        }
        return s;
    }

    static String plural(long n, String noun) {
        if (n == 1) {
            return "1 " + noun;
        }
        String p = noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s";
        return n + " " + p;
    }

    private static String join(List<Integer> xs) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < xs.size(); i++) {
            b.append(i == 0 ? "" : i == xs.size() - 1 ? " and " : ", ").append(xs.get(i));
        }
        return b.toString();
    }

    /** Words of {@code text} in lines of at most {@code width} characters. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
