package dev.mapscope.cli.probe;

import dev.mapscope.agent.condition.Capture;
import dev.mapscope.agent.condition.Condition;
import dev.mapscope.agent.condition.ConditionException;
import dev.mapscope.cli.console.UserError;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The checks {@code probe} and {@code inspect} make before they touch the target, the same the agent makes
 * (its refusals are the last line of defence, docs/AGENT-PROTOCOL.md): each mistake is a usage error (exit 2)
 * of one sentence naming the option and the value; a condition's or capture list's also shows a caret.
 */
final class ProbeArgs {
    private ProbeArgs() {}

    /** The operations a probe can be armed on (the agent's advice points). */
    static final List<String> OPERATIONS = List.of("put", "get", "remove", "resize", "clear");

    /** A Java class name, simple or qualified. */
    private static final Pattern NAME =
            Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}"
                    + "\\p{javaJavaIdentifierPart}*)*");
    /** Java identifiers joined by dots: a class name, then a static field, then instance fields. */
    static final Pattern FIELD_PATH =
            Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*(\\.\\p{javaJavaIdentifierStart}"
                    + "\\p{javaJavaIdentifierPart}*)+");
    /** A map id as findings, profiles and probes print it: the class name, '@', the identity hash in hex. */
    static final Pattern MAP_ID = Pattern.compile("[\\p{javaJavaIdentifierPart}.$]+@[0-9a-f]{1,8}");

    /** The operations of --on, lower-cased, without repeats, in the order given. */
    static Set<String> operations(List<String> on) {
        Set<String> ops = new LinkedHashSet<>();
        for (String op : on) {
            String o = op.strip().toLowerCase(Locale.ROOT);
            if (!OPERATIONS.contains(o)) {
                throw new UserError(
                        "unknown operation '" + op + "' for --on; the operations are put, get, remove,"
                                + " resize and clear",
                        2);
            }
            ops.add(o);
        }
        return ops;
    }

    static void checkSelector(String selector) {
        String s = selector.strip();
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        String value = colon < 0 ? "" : s.substring(colon + 1);
        boolean ok = switch (kind) {
            case "any" -> colon < 0;
            case "class" -> NAME.matcher(value).matches();
            case "id" -> MAP_ID.matcher(value).matches();
            case "field" -> FIELD_PATH.matcher(value).matches();
            default -> false;
        };
        if (!ok) {
            throw new UserError(
                    "bad --map selector '" + selector + "': write any, class:NAME, id:MAPID (as findings"
                            + " print it, e.g. id:java.util.HashMap@1b6d3586) or field:CLASS.STATICFIELD[.FIELD...]",
                    2);
        }
    }

    /** Parses the condition with the agent's own parser, so that what passes here compiles there. */
    static void checkCondition(String condition) {
        try {
            Condition.parse(condition);
        } catch (ConditionException e) {
            throw caret("the --if expression", condition, e);
        }
    }

    static void checkCapture(String capture) {
        try {
            Capture.parse(capture);
        } catch (ConditionException e) {
            throw caret("the --capture list", capture, e);
        }
    }

    /** A usage error whose first line is the sentence and whose next two show the text with a caret under it. */
    static UserError caret(String what, String text, ConditionException e) {
        int at = Math.max(0, Math.min(e.position(), text.length()));
        String why =
                e.getMessage() == null ? "it cannot be read" : e.getMessage().strip();
        if (why.endsWith(".")) {
            why = why.substring(0, why.length() - 1);
        }
        return new UserError(
                what + " is malformed at character " + (at + 1) + ": " + why + "\n    "
                        + text.replace('\t', ' ').replace('\n', ' ') + "\n    " + " ".repeat(at) + "^",
                2);
    }

    static void positive(String option, int value) {
        if (value <= 0) {
            throw new UserError(option + " must be a positive whole number, got " + value, 2);
        }
    }

    /** A request argument's value, percent-encoded as the protocol asks. */
    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Durations for --same-bucket-within, in microseconds: 1ms, 200us (or 200µs), 2s. */
    static final class Micros implements ITypeConverter<Long> {
        private static final Pattern FORM = Pattern.compile("(\\d{1,9})(us|\u00b5s|ms|s)");

        @Override
        public Long convert(String value) {
            Matcher m = FORM.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw new TypeConversionException(
                        "'" + value + "' is not a short positive duration; write for" + " example 1ms or 200us");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> n * 1_000;
                case "s" -> n * 1_000_000;
                default -> n;
            };
        }
    }
}
