package dev.mapscope.corpus.libraries;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One Jackson {@code ObjectMapper}, configured once and then shared by four request threads, as its
 * documentation allows: each thread reads and writes beans of types the mapper has not seen yet, so the
 * mapper builds its serializers and deserializers on first use, from several threads at once, and publishes
 * them through its own caches. Every map Jackson builds is confined to one thread or handed over through a
 * concurrent cache; every map the program builds stays in the thread that built it.
 */
public final class JacksonSharedMapper implements Program {
    /** A bean type per kind of request, so that each round brings (de)serializers to build. */
    public static final class Order {
        public long id;
        public String customer;
        public List<Line> lines = new ArrayList<>();
        public Map<String, String> tags = new LinkedHashMap<>();
    }

    public static final class Line {
        public String sku;
        public int quantity;
        public double price;
    }

    public static final class Invoice {
        public long order;
        public double total;
        public Map<String, Double> taxes = new LinkedHashMap<>();
    }

    @Override
    public void run() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "jackson-request"));
        try {
            List<Future<Double>> replies = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int id = i;
                replies.add(pool.submit(() -> handle(mapper, id)));
            }
            for (Future<Double> reply : replies) {
                reply.get();
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /** One request: an order comes in as JSON, an invoice goes out, both through the shared mapper. */
    private static double handle(ObjectMapper mapper, int id) throws Exception {
        String json = "{\"id\":" + id + ",\"customer\":\"c" + (id % 17) + "\",\"lines\":[{\"sku\":\"s" + id
                + "\",\"quantity\":" + (1 + id % 5) + ",\"price\":2.5}],\"tags\":{\"channel\":\"web\"}}";
        Order order = mapper.readValue(json, Order.class);
        Invoice invoice = invoice(order);
        String out = mapper.writeValueAsString(invoice);
        @SuppressWarnings("unchecked")
        Map<String, Object> echoed = mapper.readValue(out, Map.class);
        return ((Number) echoed.get("total")).doubleValue();
    }

    private static Invoice invoice(Order order) {
        Invoice invoice = new Invoice();
        invoice.order = order.id;
        for (Line l : order.lines) {
            invoice.total += l.quantity * l.price;
        }
        invoice.taxes.put("vat", invoice.total * 0.2);
        return invoice;
    }
}
