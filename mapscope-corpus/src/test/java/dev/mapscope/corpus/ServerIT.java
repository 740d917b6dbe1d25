package dev.mapscope.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mapscope.corpus.server.HitCounterServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real server under the agent: {@link HitCounterServer} (embedded Jetty 12, Jackson) in a child JVM,
 * driven over 127.0.0.1 by {@code java.net.http} from several client threads, for a bounded number of
 * requests and a bounded time, then stopped by a request (and killed if it does not end).
 *
 * <p>With the racy map the one bug must come out as one finding, with both threads' stacks at the racing line
 * ({@code countHit}); with a {@code ConcurrentHashMap} there must be no finding at all, from the handler, from
 * Jetty or from Jackson.
 */
class ServerIT {
    static final int CLIENTS = 8;
    /** Requests each client sends per batch; the report is read between batches. */
    static final int BATCH = 250;
    /** At least this many requests, racy or not: enough load for a bug to be reported more than once. */
    static final int MIN_REQUESTS = 4 * CLIENTS * BATCH;
    /** At most this many, and for at most {@link #BUDGET_SECONDS}: a bound on the load, not a verdict. */
    static final int MAX_REQUESTS = 100 * CLIENTS * BATCH;

    static final long BUDGET_SECONDS = Long.getLong("corpus.budget", 30) * 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "mode={0}")
    @ValueSource(strings = {"full", "overlap"})
    void racyHandlerIsOneFindingWithBothStacksAtTheRacingLine(String mode) throws Exception {
        Served served = serve("racy", mode);
        List<Report.Finding> racing =
                served.findings.stream().filter(f -> bothAt(f, "countHit")).toList();
        System.out.printf(
                "server racy %s: %d requests, %d findings, %d with both stacks in countHit%n",
                mode, served.requests, served.findings.size(), racing.size());
        assertThat(racing)
                .as(
                        "a finding with both stacks in HitCounterServer.countHit after %d requests; findings:\n%s",
                        served.requests, CorpusIT.describe(served.findings))
                .isNotEmpty();
        assertThat(served.findings)
                .as(
                        "one bug, one finding; after %d requests the agent reported %d:\n%s",
                        served.requests, served.findings.size(), CorpusIT.describe(served.findings))
                .hasSize(1);
    }

    @ParameterizedTest(name = "mode={0}")
    @ValueSource(strings = {"full", "overlap"})
    void correctHandlerIsSilent(String mode) throws Exception {
        Served served = serve("safe", mode);
        System.out.printf("server safe %s: %d requests, %d findings%n", mode, served.requests, served.findings.size());
        assertThat(served.findings)
                .as(
                        "findings on the correct server after %d requests:\n%s",
                        served.requests, CorpusIT.describe(served.findings))
                .isEmpty();
    }

    /**
     * The most requests of the safe variant that may need a second try. Under load, one request in a run of 8,000
     * now and then gets no response at all: the JDK's client reports "header parser received no bytes" and
     * "connection closed locally" (2 runs in about 15 on 7 Dec 2026, mode=overlap, load 5-10; the server answered
     * every other request and exited cleanly). The client retries only idempotent requests by itself, and these are
     * POSTs. An agent that broke request handling would fail far more requests than this, or the second try too.
     */
    static final int MAX_SECOND_TRIES = 10;

    private record Served(int requests, List<Report.Finding> findings) {}

    private static boolean bothAt(Report.Finding f, String method) {
        return f.threads().size() == 2
                && f.threads().stream().allMatch(t -> t.hasFrame(HitCounterServer.class, method));
    }

    /**
     * Starts the server, sends batches of requests until at least {@link #MIN_REQUESTS} went out and, for the
     * racy variant, the report shows the race with both stacks (or the bounds are reached), stops it.
     */
    private Served serve(String variant, String mode) throws Exception {
        try (ChildJvm jvm = ChildJvm.start(
                dir, "server-" + variant + "-" + mode, mode, HitCounterServer.class.getName(), List.of(variant))) {
            URI base = URI.create("http://127.0.0.1:" + awaitPort(jvm) + "/");
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(30))
                    .build();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            int requests = 0;
            java.util.concurrent.atomic.AtomicInteger secondTries = new java.util.concurrent.atomic.AtomicInteger();
            long start = System.nanoTime();
            try {
                while (requests < MAX_REQUESTS && System.nanoTime() - start < BUDGET_SECONDS * 1_000_000_000L) {
                    List<Future<?>> batch = new ArrayList<>();
                    for (int c = 0; c < CLIENTS; c++) {
                        int client0 = c;
                        int from = requests;
                        batch.add(clients.submit(() -> {
                            sendBatch(client, base, client0, from, variant.equals("racy"), secondTries);
                            return null;
                        }));
                    }
                    for (Future<?> f : batch) {
                        f.get();
                    }
                    requests += CLIENTS * BATCH;
                    if (requests >= MIN_REQUESTS
                            && (variant.equals("safe")
                                    || Report.read(jvm.report).stream().anyMatch(f -> bothAt(f, "countHit")))) {
                        break;
                    }
                }
                try {
                    post(client, base.resolve("stop"), "{}");
                } catch (java.io.IOException closedWhileStopping) {
                    // the server may close the connection as it stops; its exit is checked below
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(secondTries.get())
                    .as("requests that needed a second try, of %d; the server's output:\n%s", requests, jvm.output())
                    .isLessThanOrEqualTo(MAX_SECOND_TRIES);
            if (secondTries.get() > 0) {
                System.out.printf("server %s %s: %d requests needed a second try%n", variant, mode, secondTries.get());
            }
            int exit = jvm.waitFor(2);
            assertThat(exit)
                    .as("the server's exit status; output:\n%s", jvm.output())
                    .isZero();
            return new Served(requests, Report.read(jvm.report));
        }
    }

    /**
     * One client's batch. The racy variant's map may break under the race itself (a HashMap.merge that sees
     * another thread's write throws ConcurrentModificationException, and the connection can be dropped), so
     * there a failed request is the program's own symptom, not the test's verdict; the safe variant must
     * answer every request.
     */
    private static void sendBatch(
            HttpClient client,
            URI base,
            int clientId,
            int from,
            boolean racy,
            java.util.concurrent.atomic.AtomicInteger secondTries)
            throws Exception {
        for (int i = 0; i < BATCH; i++) {
            int n = from + clientId * BATCH + i;
            String body = JSON.writeValueAsString(Map.of("page", "/page" + n % 16, "user", "u" + n % 100));
            HttpResponse<String> r;
            try {
                r = post(client, base.resolve("hit"), body);
            } catch (java.io.IOException e) {
                if (racy) {
                    continue;
                }
                secondTries.incrementAndGet();
                r = post(client, base.resolve("hit"), body); // a failure now is the verdict
            }
            if (r.statusCode() != 200 && !racy) {
                throw new AssertionError("HTTP " + r.statusCode() + ": " + r.body());
            }
        }
    }

    private static HttpResponse<String> post(HttpClient client, URI uri, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The port from the server's {@code listening PORT} line; a bound of two minutes against a stuck start. */
    private static int awaitPort(ChildJvm jvm) throws Exception {
        Pattern listening = Pattern.compile("^listening (\\d+)$", Pattern.MULTILINE);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!jvm.process.isAlive()) {
                throw new AssertionError("the server ended before listening; output:\n" + jvm.output());
            }
            if (Files.exists(jvm.output)) {
                Matcher m = listening.matcher(jvm.output());
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not print its port; output:\n" + jvm.output());
    }
}
