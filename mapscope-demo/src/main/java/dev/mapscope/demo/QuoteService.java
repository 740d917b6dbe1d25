package dev.mapscope.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small price-quote service with the bug mapscope exists for: a {@code HashMap} cache that request threads
 * fill without a lock. Its request counters use {@code ConcurrentHashMap} correctly and must stay quiet.
 *
 * <pre>
 * java -cp mapscope-demo.jar dev.mapscope.demo.QuoteService [--requests 4000] [--workers 8] [--symbols 300]
 * </pre>
 *
 * <p>Prints what it served and, as the last line, one JSON object:
 * {@code {"program":"quotes","requests":4000,"symbols":300,"cached":297,"lost":3}}; {@code lost} counts symbols
 * that were priced but are missing from the cache afterwards (often 0: the race is real even when nothing
 * visible went wrong in this run).
 */
public final class QuoteService {

    /** A priced symbol. */
    record Quote(String symbol, long priceCents) {}

    // BUG (on purpose): written by every request thread of the executor, with no lock. Two threads that miss
    // the cache at once both put, and a put that resizes the table can drop the other thread's entry.
    private final Map<String, Quote> cache = new HashMap<>();

    // Correct: ConcurrentHashMap with an atomic counter per symbol; mapscope must not report it.
    private final Map<String, LongAdder> requestsPerSymbol = new ConcurrentHashMap<>();

    Quote quote(String symbol) {
        requestsPerSymbol.computeIfAbsent(symbol, s -> new LongAdder()).increment();
        Quote q = cache.get(symbol);
        if (q == null) {
            q = price(symbol);
            cache.put(symbol, q);
        }
        return q;
    }

    /** Stands in for a call to a pricing back end: deterministic, a little work. */
    private static Quote price(String symbol) {
        long h = 1125899906842597L;
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < symbol.length(); i++) {
                h = 31 * h + symbol.charAt(i);
            }
        }
        return new Quote(symbol, 100 + Math.floorMod(h, 100_000));
    }

    public static void main(String[] args) throws Exception {
        int requests = 4000;
        int workers = 8;
        int symbols = 300;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--requests" -> requests = Args.positiveInt(args, ++i, "--requests");
                    case "--workers" -> workers = Args.positiveInt(args, ++i, "--workers");
                    case "--symbols" -> symbols = Args.positiveInt(args, ++i, "--symbols");
                    default ->
                        throw new IllegalArgumentException(
                                "unknown option '" + args[i] + "'; expected --requests N, --workers N or --symbols N");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("quotes: " + e.getMessage());
            System.exit(2);
            return;
        }

        QuoteService service = new QuoteService();
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r);
            t.setName("request-" + t.getId());
            return t;
        });
        List<Future<Quote>> answers = new ArrayList<>(requests);
        for (int r = 0; r < requests; r++) {
            String symbol = "SYM" + (r * 7919 % symbols);
            answers.add(pool.submit(() -> service.quote(symbol)));
        }
        long cents = 0;
        for (Future<Quote> f : answers) {
            cents += f.get().priceCents();
        }
        pool.shutdown();

        long counted = service.requestsPerSymbol.values().stream()
                .mapToLong(LongAdder::sum)
                .sum();
        int cached = 0;
        for (int s = 0; s < symbols; s++) {
            if (service.cache.containsKey("SYM" + s)) {
                cached++;
            }
        }
        System.out.printf(
                "served %d quotes (total %d.%02d) on %d threads; the cache holds %d of %d symbols%n",
                counted, cents / 100, cents % 100, workers, cached, symbols);
        System.out.println("{\"program\":\"quotes\",\"requests\":" + requests + ",\"symbols\":" + symbols
                + ",\"counted\":" + counted + ",\"cached\":" + cached + ",\"lost\":" + (symbols - cached) + "}");
    }
}
