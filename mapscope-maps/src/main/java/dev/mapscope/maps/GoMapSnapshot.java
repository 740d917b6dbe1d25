package dev.mapscope.maps;

import java.util.Arrays;

/**
 * An immutable copy of a {@link GoMap}'s bucket structure, taken by {@link GoMap#snapshot()}: Go's
 * {@code hmap} header fields and, for every bucket, the tophash bytes of its whole overflow chain. What a Go
 * programmer would print from delve with {@code p *h} and {@code p h.buckets[i].tophash}.
 *
 * <p>Tophash bytes are Go's: 0 emptyRest, 1 emptyOne, 2 evacuatedX, 3 evacuatedY, 4 evacuatedEmpty, 5..255 the
 * top byte of a live entry's hash. {@link #render(int)} draws the buckets as a text heat map.
 */
public final class GoMapSnapshot {
    private final int B;
    private final int count;
    private final int noverflow;
    private final int nevacuate;
    private final int flags;
    private final boolean growing;
    private final boolean sameSizeGrow;
    private final int oldB;
    /** Per main bucket: the tophash bytes of the bucket and its overflow buckets, in chain order. */
    private final byte[][] chains;
    /** Same for the old buckets while growing, else empty. */
    private final byte[][] oldChains;

    private GoMapSnapshot(GoHmap h) {
        this.B = h.B();
        this.count = h.count();
        this.noverflow = h.noverflow();
        this.nevacuate = h.nevacuate();
        this.flags = h.flags();
        GoTable old = h.oldbuckets();
        this.growing = old != null;
        this.sameSizeGrow = h.isSameSizeGrow();
        this.oldB = growing ? Integer.numberOfTrailingZeros(h.noldbuckets()) : -1;
        GoTable t = h.buckets();
        this.chains = t == null ? new byte[][] {new byte[GoMap.bucketCnt]} : copyChains(t);
        this.oldChains = growing ? copyChains(old) : new byte[0][];
    }

    static GoMapSnapshot of(GoHmap h) {
        return new GoMapSnapshot(h);
    }

    private static byte[][] copyChains(GoTable t) {
        int n = 1 << t.B;
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            int len = 0;
            for (int b = i; ; ) {
                len++;
                b = t.overflow[b];
                if (b == 0 || len > t.capacity()) {
                    break;
                }
            }
            byte[] chain = new byte[len * GoMap.bucketCnt];
            int j = 0;
            for (int b = i; j < len; j++) {
                t.copyTophash(b, chain, j * GoMap.bucketCnt);
                b = t.overflow[b];
            }
            out[i] = chain;
        }
        return out;
    }

    /** log2 of the number of buckets. */
    public int B() {
        return B;
    }

    /** Number of live entries. */
    public int count() {
        return count;
    }

    /** Go's noverflow: overflow buckets of the current table (approximate when B >= 16). */
    public int noverflow() {
        return noverflow;
    }

    /** Whether a growth is in progress (old buckets remain to be evacuated). */
    public boolean growing() {
        return growing;
    }

    /** Whether the growth in progress is a same-size one. */
    public boolean sameSizeGrow() {
        return sameSizeGrow;
    }

    /** B of the old bucket array while growing, else -1. */
    public int oldB() {
        return oldB;
    }

    /** Old buckets below this index have been evacuated. */
    public int nevacuate() {
        return nevacuate;
    }

    /** Go's flags: iterator 1, oldIterator 2, hashWriting 4, sameSizeGrow 8. */
    public int flags() {
        return flags;
    }

    public int bucketCount() {
        return chains.length;
    }

    /** Number of buckets in the chain of main bucket {@code bucket}: 1 plus its overflow buckets. */
    public int chainLength(int bucket) {
        return chains[bucket].length / GoMap.bucketCnt;
    }

    /** The tophash bytes of bucket {@code bucket}'s chain, 8 per bucket, in chain order (a copy). */
    public byte[] tophash(int bucket) {
        return chains[bucket].clone();
    }

    /** Live entries in the chain of bucket {@code bucket}. */
    public int liveEntries(int bucket) {
        return live(chains[bucket]);
    }

    public int oldBucketCount() {
        return oldChains.length;
    }

    public int oldChainLength(int oldBucket) {
        return oldChains[oldBucket].length / GoMap.bucketCnt;
    }

    public byte[] oldTophash(int oldBucket) {
        return oldChains[oldBucket].clone();
    }

    /** Whether old bucket {@code oldBucket} has been evacuated. */
    public boolean oldEvacuated(int oldBucket) {
        int h = oldChains[oldBucket][0] & 0xFF;
        return h > GoMap.emptyOne && h < GoMap.minTopHash;
    }

    /** Live entries still in old bucket {@code oldBucket} (0 once evacuated). */
    public int oldLiveEntries(int oldBucket) {
        return live(oldChains[oldBucket]);
    }

    /** {@code histogram[n]} is the number of buckets whose chain has n buckets (index 0 is unused). */
    public int[] chainLengthHistogram() {
        int max = 1;
        for (byte[] c : chains) {
            max = Math.max(max, c.length / GoMap.bucketCnt);
        }
        int[] histogram = new int[max + 1];
        for (byte[] c : chains) {
            histogram[c.length / GoMap.bucketCnt]++;
        }
        return histogram;
    }

    private static int live(byte[] chain) {
        int n = 0;
        for (byte x : chain) {
            if ((x & 0xFF) >= GoMap.minTopHash) {
                n++;
            }
        }
        return n;
    }

    /** One line: B, bucket count, entries, load, overflow, growth state. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("GoMap B=")
                .append(B)
                .append(" buckets=")
                .append(bucketCount())
                .append(" count=")
                .append(count)
                .append(String.format(" load=%.2f", count / (double) bucketCount()))
                .append(" noverflow=")
                .append(noverflow);
        if (growing) {
            sb.append(sameSizeGrow ? " growing(same size)" : " growing")
                    .append(" oldB=")
                    .append(oldB)
                    .append(" nevacuate=")
                    .append(nevacuate)
                    .append('/')
                    .append(oldBucketCount());
        } else {
            sb.append(" not growing");
        }
        return sb.toString();
    }

    /** Glyphs for live entries per bucket chain when each cell is one bucket: 0..8, then more than 8. */
    private static final String EXACT = ".12345678";
    /** Shade ramp for mean live entries per bucket when a cell stands for several buckets (0 to 8+). */
    private static final String RAMP = " .:-=+*#%@";

    /**
     * Draws the snapshot as a text heat map, 64 cells a row, at most {@code maxCells} cells per bucket array.
     * When every bucket gets its own cell, a cell shows the bucket chain's live entries ({@code .} for none,
     * {@code 1}-{@code 8}, {@code +} for more, which needs overflow buckets); for larger maps a cell stands for
     * several buckets and shows their mean load on the ramp {@code " .:-=+*#%@"} (0 to 8). Old buckets, while
     * growing, are drawn below with {@code x} for evacuated ones. A histogram of chain lengths follows.
     */
    public String render(int maxCells) {
        if (maxCells < 1) {
            throw new IllegalArgumentException("maxCells must be at least 1: " + maxCells);
        }
        StringBuilder sb = new StringBuilder(toString()).append('\n');
        drawArray(sb, "buckets", chains, false, maxCells);
        if (growing) {
            drawArray(sb, "old buckets", oldChains, true, maxCells);
        }
        int[] hist = chainLengthHistogram();
        sb.append("chain lengths:");
        for (int len = 1; len < hist.length; len++) {
            if (hist[len] > 0) {
                sb.append(' ').append(len).append('x').append(hist[len]);
            }
        }
        return sb.append('\n').toString();
    }

    private static void drawArray(StringBuilder sb, String title, byte[][] chains, boolean old, int maxCells) {
        int n = chains.length;
        int per = (n + maxCells - 1) / maxCells;
        int cells = (n + per - 1) / per;
        sb.append(title)
                .append(
                        per == 1
                                ? " (one cell per bucket: live entries . 1-8, + over 8" + (old ? ", x evacuated" : "")
                                        + ")"
                                : " (one cell per " + per + " buckets: mean live entries on \"" + RAMP + "\" 0..8"
                                        + (old ? ", x all evacuated" : "") + ")")
                .append('\n');
        for (int cell = 0; cell < cells; cell++) {
            if (cell % 64 == 0) {
                if (cell > 0) {
                    sb.append("|\n");
                }
                sb.append(String.format("%8d |", cell * per));
            }
            int from = cell * per;
            int to = Math.min(n, from + per);
            int liveSum = 0;
            boolean allEvacuated = old;
            for (int b = from; b < to; b++) {
                liveSum += live(chains[b]);
                int h = chains[b][0] & 0xFF;
                allEvacuated &= h > GoMap.emptyOne && h < GoMap.minTopHash;
            }
            char glyph;
            if (allEvacuated) {
                glyph = 'x';
            } else if (per == 1) {
                glyph = liveSum > 8 ? '+' : EXACT.charAt(liveSum);
            } else {
                double mean = liveSum / (double) (to - from);
                glyph = RAMP.charAt((int) Math.min(RAMP.length() - 1, Math.round(mean * (RAMP.length() - 1) / 8.0)));
            }
            sb.append(glyph);
        }
        sb.append("|\n");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof GoMapSnapshot)) {
            return false;
        }
        GoMapSnapshot s = (GoMapSnapshot) o;
        return B == s.B
                && count == s.count
                && noverflow == s.noverflow
                && nevacuate == s.nevacuate
                && flags == s.flags
                && growing == s.growing
                && sameSizeGrow == s.sameSizeGrow
                && oldB == s.oldB
                && Arrays.deepEquals(chains, s.chains)
                && Arrays.deepEquals(oldChains, s.oldChains);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(chains) + count;
    }
}
