package dev.mapscope.corpus.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A page-hit counter on embedded Jetty 12, one plain {@code Handler}: {@code POST /hit} with a JSON body
 * {@code {"page":"/home","user":"u7"}} counts a hit for the page and answers {@code {"page":"/home","hits":12}};
 * {@code POST /stop} answers and stops the server, and the JVM ends. Jetty runs the handler on its pool
 * threads, many at once.
 *
 * <pre>
 * java [-javaagent:mapscope-agent.jar=...] -cp ... dev.mapscope.corpus.server.HitCounterServer racy|safe
 * </pre>
 *
 * {@code racy} counts in a plain {@code HashMap} field: a real race in {@link #countHit}, one bug, from every
 * pool thread. {@code safe} counts in a {@code ConcurrentHashMap}: correct. It listens on 127.0.0.1 only, on a
 * free port, and prints {@code listening PORT} once it accepts connections.
 */
public final class HitCounterServer extends Handler.Abstract {
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Integer> hits; // written by every pool thread; a HashMap in the racy variant
    private final Server server;

    private HitCounterServer(Map<String, Integer> hits, Server server) {
        this.hits = hits;
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !(args[0].equals("racy") || args[0].equals("safe"))) {
            System.err.println("usage: HitCounterServer racy|safe");
            System.exit(2);
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        Map<String, Integer> hits = args[0].equals("racy") ? new HashMap<>() : new ConcurrentHashMap<>();
        server.setHandler(new HitCounterServer(hits, server));
        server.start();
        System.out.println("listening " + connector.getLocalPort());
        System.out.flush();
        server.join();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        switch (Request.getPathInContext(request)) {
            case "/hit" -> {
                Map<String, Object> body =
                        json.readValue(Content.Source.asString(request, StandardCharsets.UTF_8), JSON_OBJECT);
                String page = String.valueOf(body.get("page"));
                int count = countHit(page);
                respond(response, callback, Map.of("page", page, "hits", count));
            }
            case "/stop" -> {
                respond(response, callback, Map.of("stopping", true));
                Thread stopper =
                        new Thread(this::stopServer, "hitcounter-stop"); // stop() waits for the pool: not from it
                stopper.start();
            }
            default -> Response.writeError(request, response, callback, 404);
        }
        return true;
    }

    /** The racing line, in the racy variant: every pool thread merges into the same map. */
    private int countHit(String page) {
        return hits.merge(page, 1, Integer::sum);
    }

    private void respond(Response response, Callback callback, Map<String, Object> body) throws Exception {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        Content.Sink.write(response, true, json.writeValueAsString(body), callback);
    }

    private void stopServer() {
        try {
            server.stop();
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}
