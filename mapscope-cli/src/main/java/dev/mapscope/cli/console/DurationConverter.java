package dev.mapscope.cli.console;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Every duration on the command line ({@code --for}, {@code --window}, ...), typed the way people type them: a whole
 * number with {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m} or {@code h}; a bare number is
 * seconds. Options with a narrower range check it after parsing ({@link #windowMicros}).
 */
public final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ns|us|µs|ms|s|m|h)?");
    private static final String UNITS = "ns, us, ms, s, m or h";

    @Override
    public Duration convert(String value) {
        Duration d = parse(value);
        if (d == null) {
            throw new TypeConversionException("'" + value + "' is not a duration; write a whole number with " + UNITS
                    + ", for example 30s or 5m");
        }
        if (d.isZero()) {
            throw new TypeConversionException("'" + value + "' is zero; give a duration longer than 0");
        }
        return d;
    }

    /** {@code value} as a duration, or null when it is not one; zero is returned as zero. */
    static Duration parse(String value) {
        Matcher m = FORM.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ns" -> Duration.ofNanos(n);
            case "us", "µs" -> Duration.ofNanos(n * 1000);
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** "30s", "5m", "1h 30m": for messages. */
    public static String format(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        if (s < 120) {
            return s + "s";
        }
        return s % 60 == 0 ? (s / 60) + "m" : (s / 60) + "m " + (s % 60) + "s";
    }

    /**
     * A same-bucket window (500us, 1ms, 2s, 1m) in whole microseconds, from 1us to 60s; an IllegalArgumentException
     * naming {@code option} otherwise.
     */
    public static long windowMicros(String value, String option) {
        Duration d = parse(value);
        if (d == null) {
            throw new IllegalArgumentException(option + " must be a whole number with " + UNITS + ", for example 500us"
                    + " or 1ms, not '" + value + "'");
        }
        long micros = d.toNanos() / 1000;
        if (micros < 1 || micros > 60_000_000) {
            throw new IllegalArgumentException(option + " must be between 1us and 60s, not '" + value + "'");
        }
        return micros;
    }
}
