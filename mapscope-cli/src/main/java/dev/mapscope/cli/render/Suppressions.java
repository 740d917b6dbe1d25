package dev.mapscope.cli.render;

import dev.mapscope.cli.console.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A suppression file: one rule a line, {@code id <finding-id> <reason>} or {@code frame <glob> <reason>}, where the
 * glob ({@code *} any characters, {@code ?} one) must match a whole frame of either stack; blank lines and lines
 * starting with {@code #} are skipped. Every rule needs a reason: a race is accepted on purpose or not at all.
 */
public final class Suppressions {

    /** One rule of the file, with its line number for the report. */
    public record Rule(int line, String type, String pattern, String reason, Pattern frame) {
        boolean matches(ReportedFinding f) {
            if (type.equals("id")) {
                return f.id().equals(pattern);
            }
            for (ReportedFinding.Racer r : f.threads()) {
                for (String s : r.stack()) {
                    if (frame.matcher(s).matches()) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private final List<Rule> rules;

    private Suppressions(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** Reads {@code file}; a missing file or a malformed rule is a {@link UserError} naming the line. */
    public static Suppressions read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new UserError("no suppression file at " + file, 2);
        } catch (IOException e) {
            throw new UserError("cannot read the suppression file " + file + ": " + e.getMessage(), 2);
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 3);
            String where = "line " + (i + 1) + " of " + file;
            if (!parts[0].equals("id") && !parts[0].equals("frame")) {
                throw new UserError(
                        where + " is not a rule: it must start with \"id\" or \"frame\", got \"" + parts[0] + "\"", 2);
            }
            if (parts.length < 3 || parts[2].isBlank()) {
                throw new UserError(
                        where + " gives no reason: write \"" + parts[0] + " "
                                + (parts.length > 1 ? parts[1] : "<pattern>") + " <why this race is accepted>\"",
                        2);
            }
            rules.add(new Rule(i + 1, parts[0], parts[1], parts[2].strip(), glob(parts[1])));
        }
        return new Suppressions(rules);
    }

    /** The first rule that matches {@code f}, or {@code null}. */
    public Rule match(ReportedFinding f) {
        for (Rule r : rules) {
            if (r.matches(f)) {
                return r;
            }
        }
        return null;
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
