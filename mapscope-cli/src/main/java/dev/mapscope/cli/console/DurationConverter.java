package dev.mapscope.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses durations the way people type them: {@code 30s}, {@code 5m}, {@code 1h}, {@code 500ms}, {@code 90} (seconds). */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern WINDOW = Pattern.compile("(\\d{1,9})(us|µs|ms|s)");

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        Matcher m = FORM.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration; write a whole number with"
                    + " ms, s, m or h, for example 30s or 5m");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero()) {
            throw new TypeConversionException("'" + value + "' is zero; give a duration longer than 0");
        }
        return d;
    }

    /** "30s", "5m", "1h 30m": for messages. */
    static String format(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        if (s < 120) {
            return s + "s";
        }
        return s % 60 == 0 ? (s / 60) + "m" : (s / 60) + "m " + (s % 60) + "s";
    }

    /** A same-bucket window such as 500us, 1ms or 2s in microseconds; IllegalArgumentException naming {@code option}. */
    static long windowMicros(String value, String option) {
        Matcher m = WINDOW.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " must be a whole number with us, ms or s, for example 500us"
                    + " or 1ms, not '" + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        long micros = switch (m.group(2)) {
            case "ms" -> n * 1000;
            case "s" -> n * 1_000_000;
            default -> n;
        };
        if (micros < 1 || micros > 60_000_000) {
            throw new IllegalArgumentException(option + " must be between 1us and 60s, not '" + value + "'");
        }
        return micros;
    }
}
