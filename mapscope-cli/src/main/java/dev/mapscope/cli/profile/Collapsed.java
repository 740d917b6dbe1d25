package dev.mapscope.cli.profile;

import dev.mapscope.cli.console.UserError;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Stacks in async-profiler's collapsed format: one line per distinct stack, root first, frames separated by
 * {@code ;}, then a space and a count. The agent's map profile writes them with the map and the bucket as the
 * last two frames ({@code [HashMap @ Cache.java:42];[bucket 17]}).
 */
public final class Collapsed {
    /** One distinct stack, root first, and how many samples it had. */
    public record Stack(List<String> frames, long count) {
        public String leaf() {
            return frames.isEmpty() ? "" : frames.get(frames.size() - 1);
        }

        /** The frame before the leaf ({@code [HashMap @ ...]} for a map profile's bucket stacks), or "". */
        String parentOfLeaf() {
            return frames.size() < 2 ? "" : frames.get(frames.size() - 2);
        }
    }

    private final List<Stack> stacks;

    Collapsed(List<Stack> stacks) {
        this.stacks = List.copyOf(stacks);
    }

    public List<Stack> stacks() {
        return stacks;
    }

    long total() {
        long t = 0;
        for (Stack s : stacks) {
            t += s.count;
        }
        return t;
    }

    /**
     * Reads {@code file}; equal stacks on several lines are added up. A malformed line is a {@link UserError}
     * naming the file and the line number.
     */
    public static Collapsed read(Path file) throws IOException {
        Map<String, Long> counts = new LinkedHashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            long count;
            try {
                count = space <= 0
                        ? -1
                        : Long.parseLong(line.substring(space + 1).strip());
            } catch (NumberFormatException e) {
                count = -1;
            }
            if (count < 0) {
                throw new UserError(file + " line " + n + " is not a collapsed stack (frames separated by ';', a space"
                        + " and a count)");
            }
            counts.merge(line.substring(0, space), count, Long::sum);
        }
        List<Stack> out = new ArrayList<>(counts.size());
        counts.forEach((frames, count) -> out.add(new Stack(List.of(frames.split(";")), count)));
        return new Collapsed(out);
    }

    /** Writes the stacks, one per line, widest first. */
    void write(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Stack s : byCount()) {
                w.write(String.join(";", s.frames));
                w.write(' ');
                w.write(Long.toString(s.count));
                w.write('\n');
            }
        }
    }

    /** The stacks, largest count first. */
    List<Stack> byCount() {
        List<Stack> sorted = new ArrayList<>(stacks);
        sorted.sort(Comparator.comparingLong(Stack::count).reversed());
        return sorted;
    }

    /**
     * The stacks kept by async-profiler's include/exclude rule: a stack is dropped when any of its frames matches
     * an exclude pattern, and, when there are include patterns, kept only if some frame matches one of them.
     */
    Collapsed filter(List<String> include, List<String> exclude) {
        if (include.isEmpty() && exclude.isEmpty()) {
            return this;
        }
        Pattern in = include.isEmpty() ? null : globs(include);
        Pattern ex = exclude.isEmpty() ? null : globs(exclude);
        List<Stack> kept = new ArrayList<>();
        for (Stack s : stacks) {
            boolean included = in == null;
            boolean excluded = false;
            for (String f : s.frames) {
                if (ex != null && ex.matcher(f).matches()) {
                    excluded = true;
                    break;
                }
                included |= in != null && in.matcher(f).matches();
            }
            if (included && !excluded) {
                kept.add(s);
            }
        }
        return new Collapsed(kept);
    }

    /**
     * One regular expression matching a whole frame name against any of {@code patterns}, where {@code *}
     * stands for any (possibly empty) run of characters and everything else is literal (async-profiler allows the
     * star at the start and the end; here it may stand anywhere).
     */
    public static Pattern globs(List<String> patterns) {
        StringBuilder b = new StringBuilder();
        for (String p : patterns) {
            if (b.length() > 0) {
                b.append('|');
            }
            String[] parts = p.split("\\*", -1);
            b.append("(?:");
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    b.append(".*");
                }
                if (!parts[i].isEmpty()) {
                    b.append(Pattern.quote(parts[i]));
                }
            }
            b.append(')');
        }
        return Pattern.compile(b.toString());
    }

    /** Total count per leaf frame ("self" in a profiler's terms), largest first. */
    List<Map.Entry<String, Long>> byLeaf() {
        Map<String, Long> self = new LinkedHashMap<>();
        for (Stack s : stacks) {
            self.merge(s.leaf(), s.count, Long::sum);
        }
        List<Map.Entry<String, Long>> out = new ArrayList<>(self.entrySet());
        out.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        return out;
    }

    /** Total count per path of the last two frames (map and bucket), largest first: the towers of a map profile. */
    public List<Map.Entry<List<String>, Long>> byLastTwo() {
        Map<List<String>, Long> towers = new LinkedHashMap<>();
        for (Stack s : stacks) {
            towers.merge(Arrays.asList(s.parentOfLeaf(), s.leaf()), s.count, Long::sum);
        }
        List<Map.Entry<List<String>, Long>> out = new ArrayList<>(towers.entrySet());
        out.sort(Map.Entry.<List<String>, Long>comparingByValue().reversed());
        return out;
    }
}
