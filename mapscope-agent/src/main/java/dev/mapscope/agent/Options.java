package dev.mapscope.agent;

import dev.mapscope.agent.protocol.Protocol;
import dev.mapscope.agent.race.Reporter;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The agent's options: one string of {@code key=value} pairs separated by commas (see AGENT-PROTOCOL.md). */
final class Options {
    static final String KNOWN = "report, halt-on-race, mode, stderr, session, profile, profile-sample, profile-window";

    /** append findings as JSON lines to this file, or null */
    final Path report;

    final boolean haltOnRace;
    /** false for mode=overlap: tier 1 only */
    final boolean sharing;

    final boolean stderr;
    /** attach session directory, or null */
    final Path session;
    /** profile maps from the start and write DIR/run.* at exit, or null */
    final Path profile;
    /** one operation in this many (per thread) is sampled with its stack */
    final int profileSample;
    /** same-bucket writes by two threads within this many microseconds are counted */
    final long profileWindowMicros;

    private Options(
            Path report,
            boolean haltOnRace,
            boolean sharing,
            boolean stderr,
            Path session,
            Path profile,
            int profileSample,
            long profileWindowMicros) {
        this.report = report;
        this.haltOnRace = haltOnRace;
        this.sharing = sharing;
        this.stderr = stderr;
        this.session = session;
        this.profile = profile;
        this.profileSample = profileSample;
        this.profileWindowMicros = profileWindowMicros;
    }

    String mode() {
        return sharing ? "full" : "overlap";
    }

    /** Parses {@code args} (null or empty means defaults); throws IllegalArgumentException with one sentence. */
    public static Options parse(String args) {
        Path report = null;
        boolean halt = false;
        boolean sharing = true;
        boolean stderr = true;
        Path session = null;
        Path profile = null;
        int profileSample = Protocol.DEFAULT_PROFILE_SAMPLE;
        long profileWindow = Protocol.DEFAULT_PROFILE_WINDOW_MICROS;
        if (args != null && !args.isBlank()) {
            for (String pair : args.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(
                            "option '" + pair.strip() + "' is not key=value (known keys: " + KNOWN + ")");
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
                            throw new IllegalArgumentException(
                                    "option mode must be full or overlap, not '" + value + "'");
                        }
                        break;
                    case "stderr":
                        stderr = bool(key, value);
                        break;
                    case "session":
                        session = path(key, value);
                        break;
                    case "profile":
                        profile = path(key, value);
                        break;
                    case "profile-sample":
                        profileSample = (int) number(key, value, 1, 1_000_000);
                        break;
                    case "profile-window":
                        profileWindow = number(key, value, 0, 60_000_000);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option '" + key + "' (known keys: " + KNOWN + ")");
                }
            }
        }
        return new Options(report, halt, sharing, stderr, session, profile, profileSample, profileWindow);
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

    private static long number(String key, String value, long min, long max) {
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the sentence below
        }
        throw new IllegalArgumentException(
                "option " + key + " must be a whole number from " + min + " to " + max + ", not '" + value + "'");
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

    /** Where the race reporter sends findings under these options. */
    Reporter.Outputs outputs() {
        return new Reporter.Outputs(report, session, stderr, haltOnRace);
    }
}
