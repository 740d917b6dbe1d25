package dev.mapscope.agent.probe;

import dev.mapscope.agent.probe.Subject.Name;
import dev.mapscope.agent.probe.Subject.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Lexer and recursive-descent parser for conditions; checks types as it goes, so that every mistake is
 * reported with the position of the token that shows it. Grammar and precedence (Go's, from loose to tight):
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
    private enum Tok { NAME, INT, STRING, SYM, EOF }

    private static final String[] SYMBOLS = {
        "||", "&&", "==", "!=", "<=", ">=", "<<", ">>", "!~",
        "<", ">", "~", "!", "+", "-", "*", "/", "%", "&", "|", "^", "(", ")", "[", "]", ","
    };
    /** Words users reach for, mapped to the name they most likely mean. */
    private static final String[][] ALIASES = {
        {"hash", "keyHash"}, {"key.hash", "keyHash"}, {"hashcode", "keyHash"}, {"thread", "thread.name"},
        {"threadname", "thread.name"}, {"name", "thread.name"}, {"tid", "thread.id"}, {"threadid", "thread.id"},
        {"value", "value.class"}, {"size", "map.size"}, {"map", "map.id"}, {"operation", "op"},
        {"class", "map.class"}, {"index", "bucket"},
    };

    private final String src;
    private int at; // lexer: next unread char
    private int prevEnd; // end of the previous token: where the expression just parsed ends

    // The current token.
    private Tok tok;
    private int tokPos;
    private String tokText; // NAME and SYM: as written; INT: as written; STRING: the decoded value
    private long tokInt;
    private int[] tokCharPos; // STRING: source position of each decoded char

    private Parser(String src) {
        this.src = src;
    }

    static Ast parse(String source) {
        Parser p = new Parser(source);
        if (source.isBlank()) {
            throw p.error("the condition is empty", 0);
        }
        p.next();
        Ast e = p.or();
        if (p.tok != Tok.EOF) {
            if (p.isSym(")")) {
                throw p.error("')' has no matching '('", p.tokPos);
            }
            throw p.error("unexpected " + p.describeToken() + " after a complete condition; join conditions with && or ||", p.tokPos);
        }
        if (e.type != Type.BOOL) {
            throw p.error("the condition must be true or false, but " + p.describe(e) + " is " + e.type.article
                    + (e.type == Type.INT ? "; compare it, e.g. bucket == 17" : "; compare it, e.g. op == \"put\""), e.start);
        }
        return e;
    }

    // ---- grammar ----

    private Ast or() {
        Ast left = and();
        while (isSym("||")) {
            int opPos = tokPos;
            next();
            Ast right = and();
            left = span(Ast.binary("||", bool("||", left), bool("||", right), Type.BOOL, opPos), left.start);
        }
        return left;
    }

    private Ast and() {
        Ast left = comparison();
        while (isSym("&&")) {
            int opPos = tokPos;
            next();
            Ast right = comparison();
            left = span(Ast.binary("&&", bool("&&", left), bool("&&", right), Type.BOOL, opPos), left.start);
        }
        return left;
    }

    private Ast comparison() {
        Ast left = sum();
        Ast result;
        int opPos = tokPos;
        if (isSym("==") || isSym("!=")) {
            String op = tokText;
            next();
            Ast right = sum();
            if (left.type != right.type) {
                throw error("'" + op + "' compares two values of one type, but " + describe(left) + " is " + left.type.article
                        + " and " + describe(right) + " is " + right.type.article, right.start);
            }
            result = Ast.binary(op, left, right, Type.BOOL, opPos);
        } else if (isSym("<") || isSym("<=") || isSym(">") || isSym(">=")) {
            String op = tokText;
            next();
            Ast right = sum();
            result = Ast.binary(op, integer(op, left), integer(op, right), Type.BOOL, opPos);
        } else if (isSym("~") || isSym("!~")) {
            String op = tokText;
            next();
            if (left.type != Type.STRING) {
                throw error("'" + op + "' matches a string against a pattern, but " + describe(left) + " is " + left.type.article, left.start);
            }
            result = Ast.match(op, left, pattern(op), opPos);
        } else if (tok == Tok.NAME && tokText.equals("in")) {
            next();
            result = in(left, opPos);
        } else {
            return left;
        }
        span(result, left.start);
        if (tok == Tok.SYM && Arrays.asList("==", "!=", "<", "<=", ">", ">=", "~", "!~").contains(tokText)
                || tok == Tok.NAME && tokText.equals("in")) {
            throw error("comparisons do not chain; join them with &&, e.g. 1 <= bucket && bucket <= 3", tokPos);
        }
        return result;
    }

    private Ast sum() {
        Ast left = product();
        while (isSym("+") || isSym("-") || isSym("|") || isSym("^")) {
            String op = tokText;
            int opPos = tokPos;
            next();
            Ast right = product();
            left = span(Ast.binary(op, integer(op, left), integer(op, right), Type.INT, opPos), left.start);
        }
        return left;
    }

    private Ast product() {
        Ast left = unary();
        while (isSym("*") || isSym("/") || isSym("%") || isSym("&") || isSym("<<") || isSym(">>")) {
            String op = tokText;
            int opPos = tokPos;
            next();
            Ast right = unary();
            left = span(Ast.binary(op, integer(op, left), integer(op, right), Type.INT, opPos), left.start);
        }
        return left;
    }

    private Ast unary() {
        int opPos = tokPos;
        if (isSym("!")) {
            next();
            Ast operand = unary();
            if (operand.type != Type.BOOL) {
                throw error("'!' negates a condition, but " + describe(operand) + " is " + operand.type.article, operand.start);
            }
            return span(Ast.unary("!", operand, Type.BOOL, opPos), opPos);
        }
        if (isSym("-")) {
            next();
            return span(Ast.unary("-", integer("-", unary()), Type.INT, opPos), opPos);
        }
        return primary();
    }

    private Ast primary() {
        int start = tokPos;
        switch (tok) {
            case INT: {
                long v = tokInt;
                next();
                return span(Ast.integer(v, start), start);
            }
            case STRING: {
                String v = tokText;
                next();
                return span(Ast.string(v, start), start);
            }
            case NAME: {
                String word = tokText;
                next();
                if (word.equals("true") || word.equals("false")) {
                    return span(Ast.bool(word.equals("true"), start), start);
                }
                if (word.equals("in")) {
                    throw error("expected a name, a number, a string or '(' but found 'in'", start);
                }
                if (isSym("(")) {
                    throw error("calls are not part of the condition language: '" + word + "(...)' cannot be used", start);
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
                if (isSym("(")) {
                    next();
                    Ast inner = or();
                    if (!isSym(")")) {
                        if (tok == Tok.EOF) {
                            throw error("'(' is never closed", start);
                        }
                        throw error("expected ')' to close the '(' at " + start + " but found " + describeToken(), tokPos);
                    }
                    next();
                    // the parentheses belong to the span, so that messages quote "(a + b)" whole
                    inner.start = start;
                    inner.end = prevEnd;
                    return inner;
                }
                break;
            default:
                break;
        }
        throw error("expected a name, a number, a string or '(' but found " + describeToken(), tokPos);
    }

    private Pattern pattern(String op) {
        if (tok != Tok.STRING) {
            throw error("'" + op + "' needs a pattern in quotes on its right, e.g. thread.name ~ \"worker-.*\", but found "
                    + describeToken(), tokPos);
        }
        String regex = tokText;
        int[] charPos = tokCharPos;
        int quotePos = tokPos;
        int endPos = at - 1; // the closing quote
        try {
            Pattern p = Pattern.compile(regex);
            next();
            return p;
        } catch (PatternSyntaxException e) {
            int i = e.getIndex();
            int pos = i < 0 ? quotePos : i >= charPos.length ? endPos : charPos[i];
            String what = e.getDescription();
            throw error("invalid pattern \"" + abbreviate(regex) + "\": " + lowerFirst(what), pos);
        }
    }

    private Ast in(Ast left, int opPos) {
        if (left.type == Type.BOOL) {
            throw error("'in' looks for a value in a list, but " + describe(left) + " is a condition", left.start);
        }
        if (!isSym("[")) {
            throw error("'in' needs a list in brackets, e.g. bucket in [1, 2, 3], but found " + describeToken(), tokPos);
        }
        int open = tokPos;
        next();
        List<Long> ints = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        if (isSym("]")) {
            throw error("the list after 'in' is empty", open);
        }
        while (true) {
            int itemPos = tokPos;
            boolean negative = false;
            if (isSym("-")) {
                negative = true;
                next();
            }
            if (left.type == Type.INT && tok == Tok.INT) {
                ints.add(negative ? -tokInt : tokInt);
            } else if (left.type == Type.STRING && tok == Tok.STRING && !negative) {
                texts.add(tokText);
            } else if (tok == Tok.EOF) {
                throw error("'[' is never closed", open);
            } else {
                throw error("the list after 'in' holds " + (left.type == Type.INT ? "integer" : "string")
                        + " literals only, like " + describe(left) + ", not " + describeToken(), itemPos);
            }
            next();
            if (isSym("]")) {
                next();
                break;
            }
            if (!isSym(",")) {
                throw error(tok == Tok.EOF ? "'[' is never closed" : "expected ',' or ']' in the list but found " + describeToken(),
                        tok == Tok.EOF ? open : tokPos);
            }
            next();
        }
        long[] intArray = null;
        if (left.type == Type.INT) {
            intArray = ints.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
        }
        return Ast.in(left, intArray, left.type == Type.STRING ? texts.stream().distinct().toArray(String[]::new) : null, opPos);
    }

    private Ast bool(String op, Ast operand) {
        if (operand.type != Type.BOOL) {
            throw error("'" + op + "' joins conditions, but " + describe(operand) + " is " + operand.type.article
                    + (operand.type == Type.INT ? "; compare it, e.g. bucket == 17" : ""), operand.start);
        }
        return operand;
    }

    private Ast integer(String op, Ast operand) {
        if (operand.type != Type.INT) {
            String hint = operand.type == Type.BOOL && (op.equals("&") || op.equals("|"))
                    ? "; write '" + op + op + "' to join conditions" : "";
            throw error("'" + op + "' works on integers, but " + describe(operand) + " is " + operand.type.article + hint, operand.start);
        }
        return operand;
    }

    /** Records the source span of {@code a}: from {@code start} to the end of the last token read. */
    private Ast span(Ast a, int start) {
        a.start = start;
        a.end = prevEnd;
        return a;
    }

    // ---- lexer ----

    private boolean isSym(String s) {
        return tok == Tok.SYM && tokText.equals(s);
    }

    private void next() {
        prevEnd = at;
        while (at < src.length() && Character.isWhitespace(src.charAt(at))) {
            at++;
        }
        tokPos = at;
        if (at >= src.length()) {
            tok = Tok.EOF;
            tokText = "";
            return;
        }
        char c = src.charAt(at);
        if (Character.isLetter(c) || c == '_') {
            int start = at;
            while (at < src.length()) {
                char d = src.charAt(at);
                if (Character.isLetterOrDigit(d) || d == '_') {
                    at++;
                } else if (d == '.' && at + 1 < src.length() && (Character.isLetter(src.charAt(at + 1)) || src.charAt(at + 1) == '_')) {
                    at++;
                } else {
                    break;
                }
            }
            tok = Tok.NAME;
            tokText = src.substring(start, at);
        } else if (c >= '0' && c <= '9') {
            number();
        } else if (c == '"' || c == '\'') {
            string(c);
        } else {
            for (String s : SYMBOLS) {
                if (src.startsWith(s, at)) {
                    at += s.length();
                    tok = Tok.SYM;
                    tokText = s;
                    return;
                }
            }
            if (c == '=') {
                throw error("'=' is not an operator; write '==' to compare", at);
            }
            throw error("unexpected character " + quoteChar(c), at);
        }
    }

    private void number() {
        int start = at;
        boolean hex = src.startsWith("0x", at) || src.startsWith("0X", at);
        if (hex) {
            at += 2;
        }
        while (at < src.length() && Character.isLetterOrDigit(src.charAt(at))) {
            at++;
        }
        String text = src.substring(start, at);
        String digits = hex ? text.substring(2) : text;
        tok = Tok.INT;
        tokText = text;
        boolean valid = !digits.isEmpty() && digits.chars().allMatch(ch -> hex ? Character.digit(ch, 16) >= 0 : ch >= '0' && ch <= '9');
        if (!valid) {
            throw error("malformed number '" + abbreviate(text) + "'", start);
        }
        try {
            // Hex literals are 64-bit patterns (0xFFFFFFFFFFFFFFFF is -1); decimal ones must fit in a long.
            tokInt = hex ? Long.parseUnsignedLong(digits, 16) : Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw error("integer " + abbreviate(text) + " does not fit in 64 bits", start);
        }
    }

    private void string(char quote) {
        int start = at++;
        StringBuilder value = new StringBuilder();
        int[] pos = new int[Math.max(8, src.length() - start)];
        while (true) {
            if (at >= src.length()) {
                throw error("the string starting here is never closed", start);
            }
            char c = src.charAt(at);
            if (c == quote) {
                at++;
                break;
            }
            if (c == '\\' && at + 1 < src.length() && (src.charAt(at + 1) == quote || src.charAt(at + 1) == '\\')) {
                // \" (or \') is the quote, \\ one backslash; any other backslash stays, so "\d+" is a regex as written
                pos[value.length()] = at;
                value.append(src.charAt(at + 1));
                at += 2;
                continue;
            }
            pos[value.length()] = at;
            value.append(c);
            at++;
        }
        tok = Tok.STRING;
        tokText = value.toString();
        tokCharPos = Arrays.copyOf(pos, value.length());
    }

    // ---- messages ----

    private ConditionException error(String message, int pos) {
        return new ConditionException(message, Math.max(0, Math.min(pos, src.length())), src);
    }

    private String describeToken() {
        switch (tok) {
            case EOF: return "the end of the condition";
            case STRING: return "the string " + quote(tokText);
            case INT: return "the number " + tokText;
            default: return "'" + abbreviate(tokText) + "'";
        }
    }

    /** How an operand is named in a message: its text when short, else its position. */
    private String describe(Ast e) {
        switch (e.kind) {
            case NAME: return e.name.text();
            case INT: return Long.toString(e.number);
            case STRING: return quote(e.text);
            case BOOL: return e.number != 0 ? "true" : "false";
            default: return "'" + abbreviate(src.substring(e.start, e.end)) + "'";
        }
    }

    private static String quote(String s) {
        return "\"" + abbreviate(s) + "\"";
    }

    /** User text as a message quotes it: at most 40 chars, control characters escaped, so the sentence stays one line. */
    static String abbreviate(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        StringBuilder sb = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String quoteChar(char c) {
        return c >= ' ' && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
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
        return "unknown name '" + word + "'; " + (suggestion != null ? "did you mean " + suggestion + "?" : "the names are " + names());
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
