package dev.mapscope.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's findings file (JSON lines, {@code docs/AGENT-PROTOCOL.md}) as the corpus judges it: the last
 * line per finding {@code id}, in the order the ids first appeared. Read by a racy program's round loop, to
 * know when to stop, and by the tests, to judge.
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Report() {}

    /** One thread of a finding: its name, which moment its stack shows ({@code write}, {@code now}, {@code unknown}), the frames. */
    public record Side(String name, String stackAt, List<String> stack) {
        /** True if a frame of this stack is {@code method} of {@code program} or of a class nested in it. */
        public boolean hasFrame(Class<?> program, String method) {
            for (String frame : stack) {
                if (isFrame(frame, program, method)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One finding, as its last line in the file says. */
    public record Finding(String id, String kind, String map, String operation, long count, List<Side> threads) {
        /** True if a frame of either stack belongs to {@code program} (its class or a class nested in it). */
        public boolean names(Class<?> program) {
            for (Side side : threads) {
                for (String frame : side.stack()) {
                    if (isFrame(frame, program, null)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * True if this finding reports {@code program}'s race as {@code race} says it must be reported: an
         * acceptable kind, and two threads whose stacks both contain a frame of the racing method (for a read
         * race: one the reading method, the other the writing one).
         */
        public boolean showsRace(Class<?> program, Race race) {
            if (!List.of(race.kinds()).contains(kind) || threads.size() != 2) {
                return false;
            }
            Side a = threads.get(0);
            Side b = threads.get(1);
            if (race.reader().isEmpty()) {
                return a.hasFrame(program, race.method()) && b.hasFrame(program, race.method());
            }
            return (a.hasFrame(program, race.reader()) && b.hasFrame(program, race.method()))
                    || (b.hasFrame(program, race.reader()) && a.hasFrame(program, race.method()));
        }

        /** The whole finding as text: kind, id, map, operation, count, then each thread with its full stack. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            b.append(kind)
                    .append(" id=")
                    .append(id)
                    .append(" map=")
                    .append(map)
                    .append(" operation=")
                    .append(operation)
                    .append(" count=")
                    .append(count)
                    .append('\n');
            for (Side side : threads) {
                b.append("  thread \"")
                        .append(side.name())
                        .append("\" (stack at ")
                        .append(side.stackAt())
                        .append(")");
                if (side.stack().isEmpty()) {
                    b.append(": no stack\n");
                } else {
                    b.append(":\n");
                    for (String frame : side.stack()) {
                        b.append("      at ").append(frame).append('\n');
                    }
                }
            }
            return b.toString();
        }
    }

    /** The findings in {@code file}; none if it does not exist yet. A torn last line (being written) is skipped. */
    public static List<Finding> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        Map<String, Finding> byId = new LinkedHashMap<>();
        for (String line : lines) {
            if (!line.startsWith("{\"type\":\"finding\"")) {
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException torn) {
                continue;
            }
            Finding f = finding(node);
            byId.put(f.id(), f); // a LinkedHashMap keeps the order of first appearance, the content of the last line
        }
        return new ArrayList<>(byId.values());
    }

    /** True if the file has a {@code summary} line, which the agent writes when the JVM exits. */
    public static boolean hasSummary(Path file) throws IOException {
        return Files.exists(file)
                && Files.readString(file, StandardCharsets.UTF_8).contains("{\"type\":\"summary\"");
    }

    private static Finding finding(JsonNode n) {
        List<Side> sides = new ArrayList<>();
        for (JsonNode t : n.path("threads")) {
            List<String> stack = new ArrayList<>();
            for (JsonNode frame : t.path("stack")) {
                stack.add(frame.asText());
            }
            sides.add(new Side(t.path("name").asText(), t.path("stackAt").asText("?"), List.copyOf(stack)));
        }
        return new Finding(
                n.path("id").asText(),
                n.path("kind").asText(),
                n.path("mapId").asText(),
                n.path("operation").asText(),
                n.path("count").asLong(),
                List.copyOf(sides));
    }

    /** {@code frame} is {@code class.method(File.java:line)}; {@code method} null matches any method. */
    static boolean isFrame(String frame, Class<?> program, String method) {
        int paren = frame.indexOf('(');
        String head = paren < 0 ? frame : frame.substring(0, paren);
        int dot = head.lastIndexOf('.');
        if (dot < 0) {
            return false;
        }
        String cls = head.substring(0, dot);
        String name = program.getName();
        boolean ours = cls.equals(name) || cls.startsWith(name + "$");
        return ours && (method == null || head.substring(dot + 1).equals(method));
    }
}
