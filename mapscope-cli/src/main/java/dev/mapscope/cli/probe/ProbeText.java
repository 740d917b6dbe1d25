package dev.mapscope.cli.probe;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A probe's hits for the terminal: one line per hit with what was captured, then its stack (indented, capped),
 * and for a same-bucket pair the other thread with its own stack. Names the agent adds beyond the contract's
 * are shown as {@code name=value}, so nothing captured is hidden.
 */
final class ProbeText {
    private ProbeText() {}

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT).withZone(ZoneId.systemDefault());
    /** Fields drawn by position in the line; any other field of a hit is appended as name=value. */
    private static final Set<String> KNOWN = Set.of(
            "n",
            "epochNanos",
            "op",
            "map",
            "map.class",
            "map.id",
            "thread",
            "thread.name",
            "thread.id",
            "bucket",
            "keyHash",
            "key",
            "value.class",
            "map.size",
            "stack",
            "sameBucket");

    /** One hit as lines of text (each ending with a newline), stacks cut to {@code frames} frames. */
    static String hit(JsonNode h, int frames) {
        StringBuilder b = new StringBuilder();
        b.append('#').append(h.path("n").asLong());
        if (h.has("epochNanos")) {
            long ns = h.path("epochNanos").asLong();
            b.append("  ").append(CLOCK.format(Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L)));
        }
        if (h.has("op")) {
            b.append("  ").append(h.path("op").asText());
        }
        String map = h.has("map")
                ? h.path("map").asText()
                : h.has("map.id")
                        ? h.path("map.id").asText()
                        : h.has("map.class") ? h.path("map.class").asText() : null;
        if (map != null) {
            b.append("  ").append(shortClass(map));
        }
        if (h.has("map.size")) {
            b.append(" (size ").append(h.path("map.size").asLong()).append(')');
        }
        if (h.has("bucket")) {
            b.append("  bucket ").append(h.path("bucket").asInt());
        }
        if (h.has("keyHash")) {
            b.append("  keyHash ").append(h.path("keyHash").asInt());
        }
        if (h.has("key")) {
            b.append("  key ").append(quoted(h.path("key").asText()));
        }
        if (h.has("value.class")) {
            b.append("  value ").append(shortClass(h.path("value.class").asText()));
        }
        String thread = thread(h);
        if (!thread.isEmpty()) {
            b.append("  thread ").append(thread);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KNOWN.contains(e.getKey())) {
                b.append("  ")
                        .append(e.getKey())
                        .append('=')
                        .append(
                                e.getValue().isTextual()
                                        ? quoted(e.getValue().asText())
                                        : e.getValue().toString());
            }
        }
        b.append('\n');
        appendStack(b, h.path("stack"), frames, "      ");
        JsonNode other = h.path("sameBucket");
        if (other.isObject()) {
            boolean stack = other.path("stack").isArray() && other.path("stack").size() > 0;
            b.append("    the same bucket was written ")
                    .append(nanos(other.path("gapNanos").asLong()))
                    .append(" earlier by thread ")
                    .append(thread(other))
                    .append(
                            !stack
                                    ? ""
                                    : "now".equals(other.path("stackAt").asText())
                                            ? "; its stack at this hit (not at its write):"
                                            : ":")
                    .append('\n');
            appendStack(b, other.path("stack"), frames, "      ");
        }
        return b.toString();
    }

    /** {@code "writer-2" (id 31)} from either {"thread":{"name","id"}} or flat thread.name / thread.id. */
    private static String thread(JsonNode h) {
        JsonNode t = h.path("thread");
        String name = t.isObject()
                ? t.path("name").asText(null)
                : t.isTextual() ? t.asText() : h.path("thread.name").asText(null);
        long id = t.isObject() && t.has("id")
                ? t.path("id").asLong()
                : h.path("thread.id").asLong(-1);
        if (name == null && id < 0) {
            return "";
        }
        return (name == null ? "" : quoted(name))
                + (id < 0 ? "" : (name == null ? "id " : " (id ") + id + (name == null ? "" : ")"));
    }

    private static void appendStack(StringBuilder b, JsonNode stack, int frames, String indent) {
        if (!stack.isArray()) {
            return;
        }
        int shown = Math.min(frames, stack.size());
        for (int i = 0; i < shown; i++) {
            b.append(indent).append("at ").append(stack.get(i).asText()).append('\n');
        }
        if (stack.size() > shown) {
            b.append(indent).append("... ").append(stack.size() - shown).append(" more\n");
        }
    }

    /** {@code java.util.HashMap@1b6d3586} as {@code HashMap@1b6d3586}; other packages are kept. */
    static String shortClass(String name) {
        return name.startsWith("java.util.") && name.indexOf('.', "java.util.".length()) < 0
                ? name.substring("java.util.".length())
                : name.startsWith("java.lang.") ? name.substring(10) : name;
    }

    private static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c < 0x20 || c == 0x7f || c == 0x1b ? String.format("\\u%04x", (int) c) : c);
            }
        }
        return b.append('"').toString();
    }

    /** 820 ns, 8.2 µs, 1.3 ms, 2.1 s. */
    static String nanos(long ns) {
        if (ns < 1_000) {
            return ns + " ns";
        }
        if (ns < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f \u00b5s", ns / 1e3);
        }
        if (ns < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f s", ns / 1e9);
    }
}
