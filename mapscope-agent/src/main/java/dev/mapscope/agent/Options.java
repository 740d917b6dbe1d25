package dev.mapscope.agent;

import java.nio.file.Path;
import java.nio.file.Paths;

/** The agent's options: one string of {@code key=value} pairs separated by commas (see AGENT-PROTOCOL.md). */
final class Options {
    static final String KNOWN = "report, halt-on-race, mode, stderr, session";

    /** append findings as JSON lines to this file, or null */
    final Path report;
    final boolean haltOnRace;
    /** false for mode=overlap: tier 1 only */
    final boolean sharing;
    final boolean stderr;
    /** attach session directory, or null */
    final Path session;

    private Options(Path report, boolean haltOnRace, boolean sharing, boolean stderr, Path session) {
        this.report = report;
        this.haltOnRace = haltOnRace;
        this.sharing = sharing;
        this.stderr = stderr;
        this.session = session;
    }

    String mode() {
        return sharing ? "full" : "overlap";
    }

    /** Parses {@code args} (null or empty means defaults); throws IllegalArgumentException with one sentence. */
    static Options parse(String args) {
        Path report = null;
        boolean halt = false;
        boolean sharing = true;
        boolean stderr = true;
        Path session = null;
        if (args != null && !args.isBlank()) {
            for (String pair : args.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("option '" + pair.strip() + "' is not key=value (known keys: " + KNOWN + ")");
                }
                String key = pair.substring(0, eq).strip();
                String value = pair.substring(eq + 1).strip();
                switch (key) {
                    case "report":
                        report = path(key, value);
                        break;
                    case "halt-on-race":
                        halt = bool(key, value);
                        break;
                    case "mode":
                        if (value.equals("full")) {
                            sharing = true;
                        } else if (value.equals("overlap")) {
                            sharing = false;
                        } else {
                            throw new IllegalArgumentException("option mode must be full or overlap, not '" + value + "'");
                        }
                        break;
                    case "stderr":
                        stderr = bool(key, value);
                        break;
                    case "session":
                        session = path(key, value);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option '" + key + "' (known keys: " + KNOWN + ")");
                }
            }
        }
        return new Options(report, halt, sharing, stderr, session);
    }

    private static boolean bool(String key, String value) {
        if (value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException("option " + key + " must be true or false, not '" + value + "'");
    }

    private static Path path(String key, String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("option " + key + " needs a path, got an empty value");
        }
        try {
            return Paths.get(value).toAbsolutePath();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("option " + key + " is not a valid path: '" + value + "'");
        }
    }
}
