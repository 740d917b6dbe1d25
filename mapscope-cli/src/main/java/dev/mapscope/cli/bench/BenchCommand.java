package dev.mapscope.cli.bench;

import dev.mapscope.cli.console.Terminal;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mapscope bench}: measures the safe maps beside ConcurrentHashMap and a synchronized HashMap on this
 * machine and prints a comparison table with a "use this when" line per map, for the user's mix of reads,
 * overwrites, inserts and deletes, key type and key count ({@link BenchMix}). Each map is measured in a JVM of
 * its own ({@link BenchMixWorker}). Progress goes to stderr: a bar redrawn in place when stderr is a terminal,
 * otherwise one plain line per measurement (never carriage returns in a log).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        header = "Measure the safe maps against ConcurrentHashMap here.",
        description = {
            "Prints read and write throughput of SyncMap, RwLockMap, ShardedMap, SerialMap, ConcurrentHashMap "
                    + "and Collections.synchronizedMap, and each one's ratio to ConcurrentHashMap; with --threads "
                    + "1, of HashMap and GoMap too. Workload: get, and put over a present key (plus, if asked, put "
                    + "of new keys and remove), on 65,536 keys (--keys, --key-type) drawn from a Zipf-like "
                    + "distribution with a fixed seed; each map runs in a JVM of its own. The default run takes "
                    + "about 15 seconds."
        })
public final class BenchCommand implements Callable<Integer> {

    /** The maps in table order; ConcurrentHashMap first, as the reference. */
    static final List<String> MAPS =
            List.of("ConcurrentHashMap", "SyncMap", "RwLockMap", "ShardedMap", "SerialMap", "synchronizedMap");

    /** Maps for one thread, measured too when --threads is 1: the JDK's map and GoMap, on the same mix. */
    static final List<String> ONE_THREAD_MAPS = List.of("HashMap", "GoMap");

    static final Map<String, String> USE_WHEN = Map.of(
            "ConcurrentHashMap", "the default: fast reads and writes, atomic compute, no tuning",
            "SyncMap", "keys written once then read many times, or each thread owning its own keys",
            "RwLockMap", "read-mostly data, simplest code, atomic compute and consistent snapshots",
            "ShardedMap", "many threads writing different keys, with per-key atomic compute under locks",
            "SerialMap", "operations must run strictly in order on one thread; not for hot paths",
            "synchronizedMap", "legacy code only: one lock for everything, reads included",
            "HashMap", "one thread only, or every use under one lock of yours; no checks",
            "GoMap", "one thread only; throws on concurrent use, as Go's map does, instead of losing entries");

    /** The maps a run measures, in table order: with one thread, the one-thread maps as well. */
    static List<String> maps(int threads) {
        if (threads != 1) {
            return MAPS;
        }
        List<String> all = new ArrayList<>(MAPS);
        all.addAll(ONE_THREAD_MAPS);
        return all;
    }

    @Spec
    CommandSpec spec;

    @Option(
            names = "--duration",
            paramLabel = "TIME",
            description = "Measurement time per map and mix, such as 500ms, 2s or 1.5s (default: 1s, or 5s with "
                    + "--precise). A warm-up of half as long comes first.")
    String duration;

    @Option(
            names = "--precise",
            description = "A longer, steadier run: 5s per measurement and three rounds per map, the median kept "
                    + "(about 2.5 minutes for one mix).")
    boolean precise;

    @Option(
            names = "--threads",
            paramLabel = "N",
            description = "Threads calling the map at once (default: the number of processors); with 1, HashMap and "
                    + "GoMap are measured too.")
    String threads;

    @Option(
            names = "--mix",
            paramLabel = "MIX",
            split = ",",
            description = "Mixes, comma separated: read-mostly (90/10), balanced (50/50), write-heavy (10/90), all, "
                    + "reads/overwrites percentages such as 80/20, or reads/overwrites/inserts/deletes such as "
                    + "80/10/5/5 (default: read-mostly).")
    List<String> mixes = List.of("read-mostly");

    @Option(
            names = "--keys",
            paramLabel = "N",
            description = "Keys present in the map, read and overwritten; inserts and deletes use as many more "
                    + "(default: 65536; 64k and 1M work too; at most 4M).")
    String keys = "65536";

    @Option(names = "--key-type", paramLabel = "TYPE", description = "integer, long or string (default: integer).")
    String keyType = "integer";

    @Option(
            names = "--progress",
            paramLabel = "MODE",
            description = "auto (a bar on a terminal, plain lines otherwise), bar, plain or none (default: auto).")
    String progress = "auto";

    /** A user's mistake on the command line: one sentence, exit status 2, no stack trace. */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message, null, false, false);
        }
    }

    /** A parsed mix: its name for the table and its percentages of reads, overwrites, inserts and deletes. */
    record Mix(String name, int readPercent, int overwrites, int inserts, int deletes) {
        /** A read/write mix: the writes overwrite present keys. */
        Mix(String name, int readPercent) {
            this(name, readPercent, 100 - readPercent, 0, 0);
        }

        BenchMix with(String keyType, int keys) {
            return new BenchMix(name, readPercent, overwrites, inserts, deletes, keyType, keys);
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Mix> parsedMixes;
        int threadCount;
        int keyCount;
        String parsedKeyType;
        long measureMs;
        String progressMode;
        try {
            parsedMixes = parseMixes(mixes);
            threadCount = parseThreads(threads);
            keyCount = BenchMix.parseKeys(keys);
            parsedKeyType = BenchMix.parseKeyType(keyType);
            measureMs = duration != null ? parseDuration(duration) : precise ? 5_000 : 1_000;
            progressMode = parseProgress(progress);
        } catch (UsageError e) {
            err.println("mapscope bench: " + e.getMessage());
            err.flush();
            return 2;
        }
        long warmupMs = Math.max(100, measureMs / 2);
        int rounds = precise ? 3 : 1;

        out.printf(
                Locale.ROOT,
                "mapscope bench: %d thread%s, %d keys (%s, Zipf s=%.2f, seed %d), %s per measurement "
                        + "after %s warm-up%s, each map in its own JVM; Java %s, %d processors%n",
                threadCount,
                threadCount == 1 ? "" : "s",
                keyCount,
                parsedKeyType,
                BenchMix.ZIPF_S,
                BenchMix.SEED,
                formatMillis(measureMs),
                formatMillis(warmupMs),
                rounds > 1 ? ", median of " + rounds + " rounds" : "",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        out.flush();

        List<String> maps = maps(threadCount);
        BenchProgress bar = BenchProgress.create(progressMode, err, parsedMixes.size() * maps.size() * rounds);
        try {
            for (Mix mix : parsedMixes) {
                double[][] results = new double[maps.size()][];
                for (int m = 0; m < maps.size(); m++) {
                    double[][] byRound = new double[rounds][];
                    for (int r = 0; r < rounds; r++) {
                        bar.step(maps.get(m) + " " + mix.name());
                        byRound[r] = measure(
                                maps.get(m), mix.with(parsedKeyType, keyCount), threadCount, warmupMs, measureMs);
                        bar.done(maps.get(m) + " " + mix.name(), byRound[r][0] + byRound[r][1]);
                    }
                    results[m] = median(byRound);
                }
                bar.finish();
                printTable(out, mix, maps, results);
            }
        } catch (MeasurementFailed e) {
            bar.finish();
            err.println("mapscope bench: " + e.getMessage());
            err.flush();
            return 1;
        }
        out.println("vs CHM: total operations per second relative to ConcurrentHashMap in the same run. One short run "
                + "on a busy or shared machine can be off by a factor of two; use --precise for a steadier figure.");
        out.flush();
        return 0;
    }

    /** A measurement that could not run (the worker JVM failed): the message says which and why. */
    static final class MeasurementFailed extends Exception {
        MeasurementFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** Runs one map in a fresh JVM; returns {reads/s, writes/s}. */
    private static double[] measure(String map, BenchMix mix, int threads, long warmupMs, long measureMs)
            throws MeasurementFailed {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // A fixed heap (-Xms = -Xmx): no heap resizing in the middle of a measurement.
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xms1g",
                "-Xmx1g",
                "-XX:+UseParallelGC",
                "-cp",
                System.getProperty("java.class.path"),
                BenchMixWorker.class.getName(),
                map,
                Integer.toString(mix.reads()),
                Integer.toString(mix.overwrites()),
                Integer.toString(mix.inserts()),
                Integer.toString(mix.deletes()),
                mix.keyType(),
                Integer.toString(mix.keys()),
                Integer.toString(threads),
                Long.toString(warmupMs),
                Long.toString(measureMs)));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new MeasurementFailed("could not start a JVM to measure " + map + ": " + e.getMessage());
        }
        String result = null;
        String last = "";
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(BenchMixWorker.RESULT + " ")) {
                    result = line;
                } else if (!line.isBlank()) {
                    last = line;
                }
            }
            int status = process.waitFor();
            if (status != 0 || result == null) {
                throw new MeasurementFailed("the measurement of " + map + " failed (exit status " + status + ")"
                        + (last.isEmpty() ? "" : ": " + last));
            }
        } catch (IOException e) {
            throw new MeasurementFailed("could not read the measurement of " + map + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new MeasurementFailed("interrupted while measuring " + map);
        }
        String[] f = result.split(" ");
        double seconds = Long.parseLong(f[3]) / 1e9;
        return new double[] {Long.parseLong(f[1]) / seconds, Long.parseLong(f[2]) / seconds};
    }

    /** The round whose total throughput is the median. */
    private static double[] median(double[][] rounds) {
        double[][] sorted = rounds.clone();
        Arrays.sort(sorted, (a, b) -> Double.compare(a[0] + a[1], b[0] + b[1]));
        return sorted[sorted.length / 2];
    }

    private static void printTable(PrintWriter out, Mix mix, List<String> maps, double[][] results) {
        double reference = results[0][0] + results[0][1];
        out.println();
        out.printf(
                Locale.ROOT, "mix %s: %s%n", mix.name(), mix.with("integer", 1).describe());
        out.printf(
                Locale.ROOT,
                "%-18s %12s %12s %8s  %s%n",
                "map",
                "read ops/s",
                "write ops/s",
                "vs CHM",
                "use this when");
        for (int m = 0; m < maps.size(); m++) {
            double total = results[m][0] + results[m][1];
            out.printf(
                    Locale.ROOT,
                    "%-18s %12s %12s %8s  %s%n",
                    maps.get(m),
                    formatRate(results[m][0]),
                    formatRate(results[m][1]),
                    formatRatio(total / reference),
                    USE_WHEN.get(maps.get(m)));
        }
        out.flush();
    }

    /** 1.0512 → "1.05x"; below 0.01, "<0.01x" rather than a misleading "0.00x". */
    static String formatRatio(double ratio) {
        return ratio < 0.01 ? "<0.01x" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /** 41234567 → "41.2 M", 853000 → "853 k". */
    static String formatRate(double perSecond) {
        if (perSecond >= 1e9) {
            return String.format(Locale.ROOT, "%.2f G", perSecond / 1e9);
        }
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.1f M", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.0f k", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", perSecond);
    }

    static String formatMillis(long ms) {
        return ms % 1000 == 0
                ? ms / 1000 + "s"
                : ms >= 1000 ? String.format(Locale.ROOT, "%.1fs", ms / 1000.0) : ms + "ms";
    }

    static List<Mix> parseMixes(List<String> values) throws UsageError {
        List<Mix> result = new ArrayList<>();
        for (String raw : values) {
            String v = raw.trim().toLowerCase(Locale.ROOT);
            switch (v) {
                case "read-mostly" -> result.add(new Mix("read-mostly", 90));
                case "balanced" -> result.add(new Mix("balanced", 50));
                case "write-heavy" -> result.add(new Mix("write-heavy", 10));
                case "all" ->
                    result.addAll(
                            List.of(new Mix("read-mostly", 90), new Mix("balanced", 50), new Mix("write-heavy", 10)));
                default -> {
                    Matcher m = Pattern.compile("(\\d{1,3})/(\\d{1,3})(?:/(\\d{1,3})/(\\d{1,3}))?")
                            .matcher(v);
                    int[] p = new int[4];
                    int sum = 0;
                    if (m.matches()) {
                        for (int i = 0; i < 4; i++) {
                            p[i] = m.group(i + 1) == null ? 0 : Integer.parseInt(m.group(i + 1));
                            sum += p[i];
                        }
                    }
                    if (!m.matches() || sum != 100) {
                        throw new UsageError("--mix must be read-mostly, balanced, write-heavy, all, or percentages "
                                + "adding up to 100: reads/writes such as 80/20, or reads/overwrites/inserts/deletes "
                                + "such as 80/10/5/5, not '" + raw + "'");
                    }
                    result.add(new Mix(v, p[0], p[1], p[2], p[3]));
                }
            }
        }
        return result;
    }

    static int parseThreads(String value) throws UsageError {
        if (value == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= 1024) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new UsageError("--threads must be a whole number from 1 to 1024, not '" + value + "'");
    }

    static long parseDuration(String value) throws UsageError {
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)")
                .matcher(value.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            double ms = switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1000;
                default -> n * 60_000;
            };
            if (ms >= 10 && ms <= 600_000) {
                return Math.round(ms);
            }
        }
        throw new UsageError(
                "--duration must be a time from 10ms to 10m such as 500ms, 2s or 1.5s, not '" + value + "'");
    }

    static String parseProgress(String value) throws UsageError {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("auto")) {
            return Terminal.stderrIsTerminal() ? "bar" : "plain";
        }
        if (v.equals("bar") || v.equals("plain") || v.equals("none")) {
            return v;
        }
        throw new UsageError("--progress must be auto, bar, plain or none, not '" + value + "'");
    }
}
