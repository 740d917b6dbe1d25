package dev.mapscope.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapscope.cli.MapscopeCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code mapscope bench}: a tiny real run checks the table's shape; bad flags get one clear sentence. */
class BenchCommandTest {

    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new MapscopeCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void aTinyRunOfTheUsersMixPrintsOneRowPerMapWithRatesRatioAndAdvice() {
        Run r = run(
                "bench",
                "--duration",
                "40ms",
                "--threads",
                "1",
                "--mix",
                "70/10/10/10",
                "--key-type",
                "string",
                "--keys",
                "4k",
                "--progress",
                "plain");

        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = Arrays.asList(r.out().split("\n"));
        assertThat(lines.get(0))
                .startsWith("mapscope bench: 1 thread, 4096 keys (string, Zipf")
                .contains("40ms per measurement");
        assertThat(lines).contains("mix 70/10/10/10: 70% reads, 10% overwrites, 10% inserts, 10% deletes");
        int header = lines.indexOf(
                lines.stream().filter(l -> l.startsWith("map ")).findFirst().orElseThrow());
        assertThat(lines.get(header)).contains("read ops/s", "write ops/s", "vs CHM", "use this when");
        // One thread: the safe maps, then HashMap and GoMap on the same mix.
        List<String> maps = BenchCommand.maps(1);
        assertThat(maps).endsWith("HashMap", "GoMap").startsWith("ConcurrentHashMap");
        List<String> rows = lines.subList(header + 1, header + 1 + maps.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i))
                    .startsWith(maps.get(i) + " ")
                    .matches("\\S+ +[0-9.]+ ?[kMG]? +[0-9.]+ ?[kMG]? +(<0\\.01|[0-9]+\\.[0-9]{2})x  \\S.*")
                    .endsWith(BenchCommand.USE_WHEN.get(maps.get(i)));
        }
        assertThat(rows.get(0)).contains(" 1.00x ");
        // Plain progress: one line per measurement on stderr, nothing that would garble a log.
        assertThat(r.err().lines()).hasSize(8).allMatch(l -> l.matches("bench: [1-8]/8 \\S+ 70/10/10/10: .+ ops/s"));
        assertThat(r.err()).doesNotContain("\r").doesNotContain("\u001b");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--threads|0|--threads must be a whole number from 1 to 1024, not '0'",
                "--threads|two|--threads must be a whole number from 1 to 1024, not 'two'",
                "--mix|80/30|--mix must be read-mostly, balanced, write-heavy, all, or percentages adding up to 100: reads/writes such as 80/20, or reads/overwrites/inserts/deletes such as 80/10/5/5, not '80/30'",
                "--mix|mostly|--mix must be read-mostly, balanced, write-heavy, all, or percentages adding up to 100: reads/writes such as 80/20, or reads/overwrites/inserts/deletes such as 80/10/5/5, not 'mostly'",
                "--mix|80/10/5|--mix must be read-mostly, balanced, write-heavy, all, or percentages adding up to 100: reads/writes such as 80/20, or reads/overwrites/inserts/deletes such as 80/10/5/5, not '80/10/5'",
                "--keys|0|--keys must be a whole number from 1 to 4M such as 65536, 64k or 1M, not '0'",
                "--keys|5M|--keys must be a whole number from 1 to 4M such as 65536, 64k or 1M, not '5M'",
                "--keys|many|--keys must be a whole number from 1 to 4M such as 65536, 64k or 1M, not 'many'",
                "--key-type|uuid|--key-type must be integer, long or string, not 'uuid'",
                "--duration|5|--duration must be a time from 10ms to 10m such as 500ms, 2s or 1.5s, not '5'",
                "--duration|1h|--duration must be a time from 10ms to 10m such as 500ms, 2s or 1.5s, not '1h'",
                "--progress|fancy|--progress must be auto, bar, plain or none, not 'fancy'",
            })
    void aBadValueGetsOneSentenceNamingTheFlagAndExitStatus2(String flag, String value, String message) {
        Run r = run("bench", flag, value);

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mapscope bench: " + message + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    /** HashMap and GoMap are for one thread: two threads on a GoMap get ConcurrentMapError, by design. */
    @Test
    void theOneThreadMapsAreMeasuredOnlyWithOneThread() {
        assertThat(BenchCommand.maps(2)).isEqualTo(BenchCommand.MAPS).doesNotContain("HashMap", "GoMap");
        assertThat(BenchCommand.maps(1)).containsAll(BenchCommand.MAPS).contains("HashMap", "GoMap");
        assertThat(BenchCommand.maps(1))
                .allSatisfy(m -> assertThat(BenchCommand.USE_WHEN).containsKey(m));
    }

    @Test
    void mixesDurationsAndThreadsParse() throws Exception {
        assertThat(BenchCommand.parseMixes(List.of("all")))
                .extracting(BenchCommand.Mix::readPercent)
                .containsExactly(90, 50, 10);
        assertThat(BenchCommand.parseMixes(List.of("80/20", "Write-Heavy")))
                .containsExactly(new BenchCommand.Mix("80/20", 80), new BenchCommand.Mix("write-heavy", 10));
        assertThat(BenchCommand.parseMixes(List.of("80/10/6/4")))
                .containsExactly(new BenchCommand.Mix("80/10/6/4", 80, 10, 6, 4));
        assertThat(BenchMix.parseKeys("1M")).isEqualTo(1 << 20);
        assertThat(BenchMix.parseKeys("64k")).isEqualTo(65536);
        assertThat(BenchMix.parseKeyType("Long")).isEqualTo("long");
        assertThat(BenchCommand.parseDuration("1.5s")).isEqualTo(1500);
        assertThat(BenchCommand.parseDuration("250ms")).isEqualTo(250);
        assertThat(BenchCommand.parseDuration("2m")).isEqualTo(120_000);
        assertThat(BenchCommand.parseThreads(null))
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThatThrownBy(() -> BenchCommand.parseDuration("5ms")).isInstanceOf(BenchCommand.UsageError.class);
        assertThat(BenchCommand.formatRate(41_234_567)).isEqualTo("41.2 M");
        assertThat(BenchCommand.formatRate(853_000)).isEqualTo("853 k");
        assertThat(BenchCommand.formatRatio(1.0512)).isEqualTo("1.05x");
        assertThat(BenchCommand.formatRatio(0.004)).isEqualTo("<0.01x");
    }

    /** The precomputed workload does what the mix says: the shares, and which keys inserts and deletes touch. */
    @Test
    void theMixSequencesHaveTheAskedSharesAndInsertOnlyKeysThatStartAbsent() {
        BenchMix mix = new BenchMix("60/20/10/10", 60, 20, 10, 10, "long", 1000);
        Object[] all = mix.allKeys();
        assertThat(java.util.Set.of(all)).hasSize(2000);
        java.util.Set<Object> present = java.util.Set.of(Arrays.copyOf(all, 1000));
        byte[] kinds = mix.kinds(1);
        Object[] keys = mix.keySequence(1, 2, kinds, all);
        int[] count = new int[4];
        for (int i = 0; i < kinds.length; i++) {
            count[kinds[i]]++;
            boolean startsPresent = present.contains(keys[i]);
            assertThat(startsPresent)
                    .as("op %d of kind %d", i, kinds[i])
                    .isEqualTo(kinds[i] == BenchMix.READ || kinds[i] == BenchMix.OVERWRITE);
        }
        int n = kinds.length;
        assertThat(count[BenchMix.READ]).isBetween(n * 57 / 100, n * 63 / 100);
        assertThat(count[BenchMix.OVERWRITE]).isBetween(n * 18 / 100, n * 22 / 100);
        assertThat(count[BenchMix.INSERT]).isBetween(n * 8 / 100, n * 12 / 100);
        assertThat(count[BenchMix.DELETE]).isBetween(n * 8 / 100, n * 12 / 100);
        assertThat(mix.describe()).isEqualTo("60% reads, 20% overwrites, 10% inserts, 10% deletes");
        assertThat(new BenchMix("90/10", 90, 10, 0, 0, "integer", 10).describe())
                .isEqualTo("90% reads, 10% writes");
    }

    @Test
    void theBarRedrawsInPlaceAndClearsItselfButPlainModeNeverUsesCarriageReturns() {
        StringWriter bar = new StringWriter();
        BenchProgress p = BenchProgress.create("bar", new PrintWriter(bar), 2);
        p.step("SyncMap read-mostly");
        p.done("SyncMap read-mostly", 1e6);
        p.step("RwLockMap read-mostly");
        p.done("RwLockMap read-mostly", 1e6);
        p.finish();
        assertThat(bar.toString())
                .startsWith("\r[")
                .contains("1/2 SyncMap", "2/2 RwLockMap")
                .endsWith("\r")
                .doesNotContain("\n");

        StringWriter none = new StringWriter();
        BenchProgress q = BenchProgress.create("none", new PrintWriter(none), 1);
        q.step("x");
        q.done("x", 1);
        q.finish();
        assertThat(none.toString()).isEmpty();
    }
}
