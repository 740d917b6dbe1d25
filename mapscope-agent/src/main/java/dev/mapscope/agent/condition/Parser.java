package dev.mapscope.agent.condition;

import dev.mapscope.agent.condition.Subject.Name;
import dev.mapscope.agent.condition.Subject.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive-descent parser for conditions (tokens from {@link Lexer}); checks types as it goes, so that
 * every mistake is reported with the position of the token that shows it. Grammar and precedence (Go's,
 * from loose to tight):
 * <pre>
 * condition  = or
 * or         = and { "||" and }
 * and        = comparison { "&&" comparison }
 * comparison = sum [ ("==" | "!=" | "<" | "<=" | ">" | ">=") sum
 *                  | ("~" | "!~") STRING
 *                  | "in" "[" literal { "," literal } "]" ]
 * sum        = product { ("+" | "-" | "|" | "^") product }
 * product    = unary { ("*" | "/" | "%" | "&amp;" | "&lt;&lt;" | "&gt;&gt;") unary }
 * unary      = ("!" | "-") unary | primary
 * primary    = NAME | INT | STRING | "true" | "false" | "(" or ")"
 * </pre>
 */
final class Parser {
    /** Words users reach for, mapped to the name they most likely mean. */
    private static final String[][] ALIASES = {
        {"hash", "keyHash"}, {"key.hash", "keyHash"}, {"hashcode", "keyHash"}, {"thread", "thread.name"},
        {"threadname", "thread.name"}, {"name", "thread.name"}, {"tid", "thread.id"}, {"threadid", "thread.id"},
        {"value", "value.class"}, {"size", "map.size"}, {"map", "map.id"}, {"operation", "op"},
        {"class", "map.class"}, {"index", "bucket"},
    };

    /** Longest condition accepted, in chars. */
    static final int MAX_LENGTH = 10_000;
    /**
     * Deepest nesting accepted, of parentheses and unary operators while parsing and of operators in the tree:
     * parsing, compiling and evaluating recurse once per level, and evaluation runs on the application's
     * thread inside its map operation, whose stack may already be deep.
     */
    static final int MAX_DEPTH = 100;

    private final String src;
    private final Lexer lex;
    /** parentheses and unary operators open around the token being read */
    private int depth;

    private Parser(String src) {
        this.src = src;
        this.lex = new Lexer(src);
    }

    static Ast parse(String source) {
        Parser p = new Parser(source);
        if (source.isBlank()) {
            throw p.error("the condition is empty", 0);
        }
        if (source.length() > MAX_LENGTH) {
            throw p.error("the condition is longer than " + MAX_LENGTH + " characters", MAX_LENGTH);
        }
        p.lex.next();
        Ast e = p.or();
        if (p.lex.tok != Lexer.Tok.EOF) {
            if (p.lex.isSym(")")) {
                throw p.error("')' has no matching '('", p.lex.tokPos);
            }
            throw p.error(
                    "unexpected " + p.lex.describeToken()
                            + " after a complete condition; join conditions with && or ||",
                    p.lex.tokPos);
        }
        if (e.type != Type.BOOL) {
            throw p.error(
                    "the condition must be true or false, but " + p.describe(e) + " is " + e.type.article
                            + (e.type == Type.INT
                                    ? "; compare it, e.g. bucket == 17"
                                    : "; compare it, e.g. op == \"put\""),
                    e.start);
        }
        return e;
    }

    // ---- grammar ----

    private Ast or() {
        Ast left = and();
        while (lex.isSym("||")) {
            int opPos = lex.tokPos;
            lex.next();
            Ast right = and();
            left = span(Ast.binary("||", bool("||", left), bool("||", right), Type.BOOL, opPos), left.start);
        }
        return left;
    }

    private Ast and() {
        Ast left = comparison();
        while (lex.isSym("&&")) {
            int opPos = lex.tokPos;
            lex.next();
            Ast right = comparison();
            left = span(Ast.binary("&&", bool("&&", left), bool("&&", right), Type.BOOL, opPos), left.start);
        }
        return left;
    }

    private Ast comparison() {
        Ast left = sum();
        Ast result;
        int opPos = lex.tokPos;
        if (lex.isSym("==") || lex.isSym("!=")) {
            String op = lex.tokText;
            lex.next();
            Ast right = sum();
            if (left.type != right.type) {
                throw error(
                        "'" + op + "' compares two values of one type, but " + describe(left) + " is "
                                + left.type.article + " and " + describe(right) + " is " + right.type.article,
                        right.start);
            }
            result = Ast.binary(op, left, right, Type.BOOL, opPos);
        } else if (lex.isSym("<") || lex.isSym("<=") || lex.isSym(">") || lex.isSym(">=")) {
            String op = lex.tokText;
            lex.next();
            Ast right = sum();
            result = Ast.binary(op, integer(op, left), integer(op, right), Type.BOOL, opPos);
        } else if (lex.isSym("~") || lex.isSym("!~")) {
            String op = lex.tokText;
            lex.next();
            if (left.type != Type.STRING) {
                throw error(
                        "'" + op + "' matches a string against a pattern, but " + describe(left) + " is "
                                + left.type.article,
                        left.start);
            }
            result = Ast.match(op, left, pattern(op), opPos);
        } else if (lex.tok == Lexer.Tok.NAME && lex.tokText.equals("in")) {
            lex.next();
            result = in(left, opPos);
        } else {
            return left;
        }
        span(result, left.start);
        if (lex.tok == Lexer.Tok.SYM
                        && Arrays.asList("==", "!=", "<", "<=", ">", ">=", "~", "!~")
                                .contains(lex.tokText)
                || lex.tok == Lexer.Tok.NAME && lex.tokText.equals("in")) {
            throw error("comparisons do not chain; join them with &&, e.g. 1 <= bucket && bucket <= 3", lex.tokPos);
        }
        return result;
    }

    private Ast sum() {
        Ast left = product();
        while (lex.isSym("+") || lex.isSym("-") || lex.isSym("|") || lex.isSym("^")) {
            String op = lex.tokText;
            int opPos = lex.tokPos;
            lex.next();
            Ast right = product();
            left = span(Ast.binary(op, integer(op, left), integer(op, right), Type.INT, opPos), left.start);
        }
        return left;
    }

    private Ast product() {
        Ast left = unary();
        while (lex.isSym("*")
                || lex.isSym("/")
                || lex.isSym("%")
                || lex.isSym("&")
                || lex.isSym("<<")
                || lex.isSym(">>")) {
            String op = lex.tokText;
            int opPos = lex.tokPos;
            lex.next();
            Ast right = unary();
            left = span(Ast.binary(op, integer(op, left), integer(op, right), Type.INT, opPos), left.start);
        }
        return left;
    }

    private Ast unary() {
        int opPos = lex.tokPos;
        if (lex.isSym("!") || lex.isSym("-") || lex.isSym("(")) {
            if (++depth > MAX_DEPTH) { // parsing and compiling recurse once per level: keep far from the stack's end
                throw error("the condition nests deeper than " + MAX_DEPTH + " parentheses and unary operators", opPos);
            }
            try {
                return nested(opPos);
            } finally {
                depth--;
            }
        }
        return primary();
    }

    private Ast nested(int opPos) {
        if (lex.isSym("!")) {
            lex.next();
            Ast operand = unary();
            if (operand.type != Type.BOOL) {
                throw error(
                        "'!' negates a condition, but " + describe(operand) + " is " + operand.type.article,
                        operand.start);
            }
            return span(Ast.unary("!", operand, Type.BOOL, opPos), opPos);
        }
        if (lex.isSym("-")) {
            lex.next();
            return span(Ast.unary("-", integer("-", unary()), Type.INT, opPos), opPos);
        }
        return primary();
    }

    private Ast primary() {
        int start = lex.tokPos;
        switch (lex.tok) {
            case INT: {
                long v = lex.tokInt;
                lex.next();
                return span(Ast.integer(v, start), start);
            }
            case STRING: {
                String v = lex.tokText;
                lex.next();
                return span(Ast.string(v, start), start);
            }
            case NAME: {
                String word = lex.tokText;
                lex.next();
                if (word.equals("true") || word.equals("false")) {
                    return span(Ast.bool(word.equals("true"), start), start);
                }
                if (word.equals("in")) {
                    throw error("expected a name, a number, a string or '(' but found 'in'", start);
                }
                if (lex.isSym("(")) {
                    throw error(
                            "calls are not part of the condition language: '" + word + "(...)' cannot be used", start);
                }
                Name name = Name.of(word);
                if (name == Name.STACK) {
                    throw error("stack can be captured but not tested in a condition", start);
                }
                if (name == null) {
                    throw error(unknownName(word), start);
                }
                return span(Ast.name(name, start), start);
            }
            case SYM:
                if (lex.isSym("(")) {
                    lex.next();
                    Ast inner = or();
                    if (!lex.isSym(")")) {
                        if (lex.tok == Lexer.Tok.EOF) {
                            throw error("'(' is never closed", start);
                        }
                        throw error(
                                "expected ')' to close the '(' at " + start + " but found " + lex.describeToken(),
                                lex.tokPos);
                    }
                    lex.next();
                    // the parentheses belong to the span, so that messages quote "(a + b)" whole
                    inner.start = start;
                    inner.end = lex.prevEnd;
                    return inner;
                }
                break;
            default:
                break;
        }
        throw error("expected a name, a number, a string or '(' but found " + lex.describeToken(), lex.tokPos);
    }

    private Pattern pattern(String op) {
        if (lex.tok != Lexer.Tok.STRING) {
            throw error(
                    "'" + op + "' needs a pattern in quotes on its right, e.g. thread.name ~ \"worker-.*\", but found "
                            + lex.describeToken(),
                    lex.tokPos);
        }
        String regex = lex.tokText;
        int[] charPos = lex.tokCharPos;
        int quotePos = lex.tokPos;
        int endPos = lex.at - 1; // the closing quote
        try {
            Pattern p = Pattern.compile(regex);
            lex.next();
            return p;
        } catch (PatternSyntaxException e) {
            int i = e.getIndex();
            int pos = i < 0 ? quotePos : i >= charPos.length ? endPos : charPos[i];
            String what = e.getDescription();
            throw error("invalid pattern \"" + Lexer.abbreviate(regex) + "\": " + lowerFirst(what), pos);
        }
    }

    private Ast in(Ast left, int opPos) {
        if (left.type == Type.BOOL) {
            throw error("'in' looks for a value in a list, but " + describe(left) + " is a condition", left.start);
        }
        if (!lex.isSym("[")) {
            throw error(
                    "'in' needs a list in brackets, e.g. bucket in [1, 2, 3], but found " + lex.describeToken(),
                    lex.tokPos);
        }
        int open = lex.tokPos;
        lex.next();
        List<Long> ints = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        if (lex.isSym("]")) {
            throw error("the list after 'in' is empty", open);
        }
        while (true) {
            int itemPos = lex.tokPos;
            boolean negative = false;
            if (lex.isSym("-")) {
                negative = true;
                lex.next();
            }
            if (left.type == Type.INT && lex.tok == Lexer.Tok.INT) {
                ints.add(negative ? -lex.tokInt : lex.tokInt);
            } else if (left.type == Type.STRING && lex.tok == Lexer.Tok.STRING && !negative) {
                texts.add(lex.tokText);
            } else if (lex.tok == Lexer.Tok.EOF) {
                throw error("'[' is never closed", open);
            } else {
                throw error(
                        "the list after 'in' holds " + (left.type == Type.INT ? "integer" : "string")
                                + " literals only, like " + describe(left) + ", not " + lex.describeToken(),
                        itemPos);
            }
            lex.next();
            if (lex.isSym("]")) {
                lex.next();
                break;
            }
            if (!lex.isSym(",")) {
                throw error(
                        lex.tok == Lexer.Tok.EOF
                                ? "'[' is never closed"
                                : "expected ',' or ']' in the list but found " + lex.describeToken(),
                        lex.tok == Lexer.Tok.EOF ? open : lex.tokPos);
            }
            lex.next();
        }
        long[] intArray = null;
        if (left.type == Type.INT) {
            intArray =
                    ints.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        }
        return Ast.in(
                left,
                intArray,
                left.type == Type.STRING ? texts.stream().distinct().toArray(String[]::new) : null,
                opPos);
    }

    private Ast bool(String op, Ast operand) {
        if (operand.type != Type.BOOL) {
            throw error(
                    "'" + op + "' joins conditions, but " + describe(operand) + " is " + operand.type.article
                            + (operand.type == Type.INT ? "; compare it, e.g. bucket == 17" : ""),
                    operand.start);
        }
        return operand;
    }

    private Ast integer(String op, Ast operand) {
        if (operand.type != Type.INT) {
            String hint = operand.type == Type.BOOL && (op.equals("&") || op.equals("|"))
                    ? "; write '" + op + op + "' to join conditions"
                    : "";
            throw error(
                    "'" + op + "' works on integers, but " + describe(operand) + " is " + operand.type.article + hint,
                    operand.start);
        }
        return operand;
    }

    /** Records the source span of {@code a}: from {@code start} to the end of the last token read. */
    private Ast span(Ast a, int start) {
        if (a.height > MAX_DEPTH) {
            // evaluation recurses once per level inside the application's map operation: keep it shallow
            throw error(
                    "the condition has more than " + MAX_DEPTH + " levels of operators; write long lists as 'in [...]'",
                    a.pos);
        }
        a.start = start;
        a.end = lex.prevEnd;
        return a;
    }

    // ---- lexer ----

    // ---- messages ----

    private ConditionException error(String message, int pos) {
        return lex.error(message, pos);
    }

    /** How an operand is named in a message: its text when short, else its position. */
    private String describe(Ast e) {
        switch (e.kind) {
            case NAME:
                return e.name.text();
            case INT:
                return Long.toString(e.number);
            case STRING:
                return Lexer.quote(e.text);
            case BOOL:
                return e.number != 0 ? "true" : "false";
            default:
                return "'" + Lexer.abbreviate(src.substring(e.start, e.end)) + "'";
        }
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    static String unknownName(String word) {
        for (Name n : Name.values()) {
            if (word.startsWith(n.text() + ".")) {
                return n.text() + " has no field '" + word.substring(n.text().length() + 1)
                        + "'; fields and methods are not part of the condition language";
            }
        }
        String suggestion = closest(word);
        return "unknown name '" + word + "'; "
                + (suggestion != null ? "did you mean " + suggestion + "?" : "the names are " + names());
    }

    /** The known name closest to {@code word}, or null when none is close enough to be a likely misspelling. */
    static String closest(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        for (String[] alias : ALIASES) {
            if (alias[0].equals(lower)) {
                return alias[1];
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Name n : Name.values()) {
            int d = distance(lower, n.text().toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = n.text();
            }
        }
        return bestDistance <= Math.max(1, Math.min(3, word.length() / 3)) ? best : null;
    }

    static String names() {
        StringBuilder sb = new StringBuilder();
        for (Name n : Name.values()) {
            if (n != Name.STACK) {
                sb.append(sb.length() == 0 ? "" : ", ").append(n.text());
            }
        }
        return sb.toString();
    }

    /** Optimal string alignment distance: edits, counting a swap of two neighbours as one. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
