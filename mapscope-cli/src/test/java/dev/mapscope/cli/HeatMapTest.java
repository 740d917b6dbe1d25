package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.cli.profile.ProfileReport;
import dev.mapscope.cli.render.HeatMap;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The heat map's scale, folding and both renderings. */
class HeatMapTest {

    @Test
    void zeroHasItsOwnLevelAndOnlyTheMaximumReachesTheTop() {
        HeatMap h = new HeatMap(new long[] {0, 1, 3, 90, 0}, 1, "ops");
        assertThat(h.level(0)).isZero();
        assertThat(h.level(1)).isBetween(1, 3);
        assertThat(h.level(90)).isEqualTo(9);
        assertThat(h.level(80)).isLessThanOrEqualTo(9).isGreaterThan(h.level(3));
        assertThat(h.level(-1)).isEqualTo(-1);
        assertThat(h.hottestBucket()).isEqualTo(3);
    }

    @Test
    void plainTerminalRenderingIsAsciiWithRowsOf64AndAScale() {
        long[] ops = new long[128];
        ops[17] = 900;
        ops[3] = 2;
        String text = new HeatMap(ops, 1, "ops").terminal(false);
        String[] lines = text.split("\n");
        assertThat(lines[0]).isEqualTo("bucket heat map: 128 buckets, hottest bucket 17 with 900 ops");
        assertThat(lines[1]).startsWith("    0 ").hasSize(6 + 64);
        assertThat(lines[1].charAt(6 + 17)).isEqualTo('@');
        assertThat(lines[2]).startsWith("   64 ").matches("   64 \\.{64}");
        assertThat(lines[3]).startsWith("  scale: . 0").endsWith("@ 900");
        assertThat(text.chars().allMatch(c -> c < 128)).isTrue();
    }

    @Test
    void colouredRenderingUsesAnsiEscapes() {
        String text = new HeatMap(new long[] {0, 5}, 1, "ops").terminal(true);
        assertThat(text).contains("\u001b[38;5;").contains("\u2588");
    }

    @Test
    void largeTablesFoldToAtMost256CellsBySumOrByMax() {
        long[] ops = new long[1024];
        Arrays.fill(ops, 1);
        ops[517] = 100;
        HeatMap sum = HeatMap.of(ops, "ops");
        assertThat(sum.cells()).isEqualTo(256);
        assertThat(sum.max()).isEqualTo(103);
        assertThat(sum.hottestBucket()).isEqualTo(516);
        assertThat(sum.terminal(false))
                .startsWith("bucket heat map: 1024 buckets, 4 per cell, hottest buckets 516-519");

        long[] chains = new long[1024];
        Arrays.fill(chains, -1);
        chains[8] = 9;
        chains[9] = 2;
        HeatMap longest = HeatMap.of(chains, "entries", true);
        assertThat(longest.max()).isEqualTo(9);
        assertThat(longest.level(-1)).isEqualTo(-1);
        assertThat(longest.terminal(false)).contains("?").contains("? unknown");
    }

    @Test
    void htmlHasOneCellPerBucketWithItsValueInTheTooltip() {
        String html = new HeatMap(new long[] {0, 7, 90}, 1, "ops").html();
        assertThat(html)
                .startsWith("<figure")
                .contains("bucket 2: 90 ops")
                .contains("bucket 0: 0 ops")
                .contains("hottest bucket 2 with 90 ops");
        assertThat(html.split("<span title=", -1)).hasSize(4);
    }

    @Test
    void stackFramesLoseTheirModulePrefixesButHiddenClassesKeepTheirSlash() {
        assertThat(ProfileReport.withoutModule("app//dev.x.Cache.put(Cache.java:50)"))
                .isEqualTo("dev.x.Cache.put(Cache.java:50)");
        assertThat(ProfileReport.withoutModule("java.base/java.util.HashMap.put(HashMap.java:610)"))
                .isEqualTo("java.util.HashMap.put(HashMap.java:610)");
        assertThat(ProfileReport.withoutModule("java.base@17.0.15/java.util.HashMap.put(HashMap.java:610)"))
                .isEqualTo("java.util.HashMap.put(HashMap.java:610)");
        assertThat(ProfileReport.withoutModule("dev.x.Main$$Lambda$14/0x00007f844c000a08.run(Unknown Source)"))
                .isEqualTo("dev.x.Main$$Lambda$14/0x00007f844c000a08.run(Unknown Source)");
        assertThat(ProfileReport.withoutModule("dev.x.Cache.put(Cache.java:50)"))
                .isEqualTo("dev.x.Cache.put(Cache.java:50)");
    }
}
