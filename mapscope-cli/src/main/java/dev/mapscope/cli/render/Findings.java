package dev.mapscope.cli.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mapscope.cli.console.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The findings of one findings file (JSON lines, docs/AGENT-PROTOCOL.md), read the way the protocol asks: the
 * last line per {@code id} wins (the agent repeats a finding with a higher count when it flushes counts), in
 * the order the ids first appeared.
 */
public final class Findings {
    /*
     * A line that does not parse is an error, except the very last one when the file does not end with a
     * newline: the agent writes whole lines, so an unterminated tail means the writer was killed, or is
     * still writing. That tail is skipped and reported through truncatedTail(), not treated as a bad file.
     * Lines with an unknown "type" are skipped, so that a newer agent's records do not break an older CLI.
     */

    // Two records on one line (two writers without a newline between them) must not pass as the first one.
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public Findings() {}

    private final Map<String, ReportedFinding> byId = new LinkedHashMap<>();
    private Summary summary;
    private boolean truncatedTail;
    private int records;

    /** The agent's {@code "type":"summary"} line: how many findings it made, how many it had to drop. */
    public record Summary(long findings, long dropped) {}

    /** Reads {@code file}; a missing, unreadable or malformed file is a {@link UserError} naming it. */
    public static Findings read(Path file) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new UserError(file + " is a directory, not a findings file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UserError("no findings file at " + file);
        } catch (AccessDeniedException e) {
            throw new UserError("cannot read the findings file " + file + ": permission denied");
        } catch (IOException e) {
            throw new UserError("cannot read the findings file " + file + ": " + e.getMessage());
        }
        Findings f = new Findings();
        String text = new String(bytes, StandardCharsets.UTF_8);
        String[] lines = text.split("\n", -1);
        // split keeps a last element: "" when the file ends with a newline, the unterminated tail otherwise.
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            boolean unterminatedTail = i == lines.length - 1;
            try {
                f.accept(line);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                if (unterminatedTail) {
                    f.truncatedTail = true;
                } else {
                    throw new UserError("line " + (i + 1) + " of " + file + " is not a findings record"
                            + " (is this a file written by the mapscope agent?)");
                }
            }
        }
        return f;
    }

    /**
     * Takes one complete line; returns the finding it carried, or {@code null} for another record type.
     *
     * @throws JsonProcessingException if the line is not JSON
     * @throws IllegalArgumentException if it is JSON but not a record of the protocol
     */
    ReportedFinding accept(String line) throws JsonProcessingException {
        JsonNode node = JSON.readTree(line);
        if (node == null || !node.isObject() || !node.hasNonNull("type")) {
            throw new IllegalArgumentException("not a record");
        }
        records++;
        switch (node.get("type").asText()) {
            case "finding" -> {
                ReportedFinding finding = finding(node);
                byId.put(finding.id(), finding);
                return finding;
            }
            case "summary" -> {
                summary = new Summary(
                        node.path("findings").asLong(), node.path("dropped").asLong());
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private static ReportedFinding finding(JsonNode n) {
        if (!n.hasNonNull("id")) {
            throw new IllegalArgumentException("a finding without an id");
        }
        List<ReportedFinding.Racer> threads = new ArrayList<>();
        for (JsonNode t : n.path("threads")) {
            List<String> stack = new ArrayList<>();
            for (JsonNode frame : t.path("stack")) {
                stack.add(frame.asText());
            }
            List<String> started = new ArrayList<>();
            for (JsonNode frame : t.path("startedAt")) {
                started.add(frame.asText());
            }
            threads.add(new ReportedFinding.Racer(
                    text(t, "name"),
                    t.path("id").asLong(-1),
                    text(t, "operation"),
                    List.copyOf(stack),
                    text(t, "stackAt"),
                    List.copyOf(started)));
        }
        return new ReportedFinding(
                text(n, "id"),
                textOr(n, "kind", "unknown"),
                textOr(n, "mapClass", "unknown map"),
                text(n, "backingOf"),
                text(n, "mapId"),
                text(n, "allocatedAt"),
                textOr(n, "operation", "?"),
                n.path("bucket").asInt(-1),
                n.path("keyHash").asLong(-1),
                List.copyOf(threads),
                n.path("count").asLong(1),
                text(n, "time"),
                Math.max(1, n.path("paths").size()),
                field(n.get("field")),
                text(n, "fieldNote"),
                fix(n.get("fix")));
    }

    private static ReportedFinding.Field field(JsonNode f) {
        if (f == null || !f.isObject() || !f.hasNonNull("name")) {
            return null;
        }
        return new ReportedFinding.Field(text(f, "name"), f.path("static").asBoolean(false), text(f, "frame"));
    }

    private static ReportedFinding.Fix fix(JsonNode f) {
        if (f == null || !f.isObject() || !f.hasNonNull("advice")) {
            return null;
        }
        return new ReportedFinding.Fix(text(f, "advice"), text(f, "because"), text(f, "bench"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String textOr(JsonNode n, String field, String fallback) {
        String v = text(n, field);
        return v == null ? fallback : v;
    }

    /**
     * The findings, one per pair of code paths, in the order they first appeared: the last line per id, then ids
     * with the same kind, operation and pair of stacks merged into one, their counts added. The agent may give
     * one pair of code paths several ids (one per map instance, say); a reader wants to see the code once.
     */
    public List<ReportedFinding> list() {
        Map<String, ReportedFinding> byPaths = new LinkedHashMap<>();
        for (ReportedFinding f : byId.values()) {
            byPaths.merge(
                    pathKey(f),
                    f,
                    (a, b) -> new ReportedFinding(
                            a.id(),
                            a.kind(),
                            a.mapClass(),
                            a.backingOf(),
                            a.mapId(),
                            a.allocatedAt() != null ? a.allocatedAt() : b.allocatedAt(),
                            a.operation(),
                            a.bucket(),
                            a.keyHash(),
                            a.threads(),
                            a.count() + b.count(),
                            later(a.time(), b.time()),
                            Math.max(a.paths(), b.paths()),
                            a.field() != null ? a.field() : b.field(),
                            a.field() != null ? a.fieldNote() : b.fieldNote(),
                            a.fix() != null ? a.fix() : b.fix()));
        }
        return List.copyOf(byPaths.values());
    }

    /** Every finding, one per id (the last line of each), in the order the ids first appeared, none merged. */
    public List<ReportedFinding> perId() {
        return List.copyOf(byId.values());
    }

    /** The ids read, in the order they first appeared. */
    public Set<String> idSet() {
        return Collections.unmodifiableSet(byId.keySet());
    }

    /** These findings less those {@code drop} selects; the summary and the record counts stay as read. */
    public Findings without(Predicate<ReportedFinding> drop) {
        Findings f = new Findings();
        f.summary = summary;
        f.truncatedTail = truncatedTail;
        f.records = records;
        byId.forEach((id, finding) -> {
            if (!drop.test(finding)) {
                f.byId.put(id, finding);
            }
        });
        return f;
    }

    /** How many ids were read (before merging the ids of one pair of code paths). */
    int ids() {
        return byId.size();
    }

    /** What makes two findings the same to a reader: kind, map class, operation, and the two stacks in either order. */
    static String pathKey(ReportedFinding f) {
        List<String> stacks = new ArrayList<>();
        for (ReportedFinding.Racer r : f.threads()) {
            StringBuilder b = new StringBuilder(r.operation()).append('@');
            for (String frame : r.stack()) {
                // Frames of lambda classes come and go with inlining and class names vary between runs.
                if (!frame.contains("$$Lambda")) {
                    b.append(frame).append('<');
                }
            }
            stacks.add(b.toString());
        }
        stacks.sort(null);
        return f.kind() + "|" + f.mapClass() + "|" + f.operation() + "|" + String.join("|", stacks);
    }

    private static String later(String a, String b) {
        if (a == null) {
            return b;
        }
        return b != null && b.compareTo(a) > 0 ? b : a;
    }

    /** The total number of occurrences: the sum of the counts. */
    public long occurrences() {
        long n = 0;
        for (ReportedFinding f : byId.values()) {
            n += f.count();
        }
        return n;
    }

    /** The agent's summary line, or {@code null} when it wrote none (the program is still running, or was killed). */
    public Summary summary() {
        return summary;
    }

    /** Whether the last line was cut off and skipped. */
    public boolean truncatedTail() {
        return truncatedTail;
    }

    /** How many complete records (of any type) were read. */
    public int records() {
        return records;
    }
}
