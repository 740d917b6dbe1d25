package dev.mapscope.agent.condition;

import java.util.Arrays;

/** Splits a condition into tokens, one at a time, keeping each token's position for error messages. */
final class Lexer {
    enum Tok {
        NAME,
        INT,
        STRING,
        SYM,
        EOF
    }

    private static final String[] SYMBOLS = {
        "||", "&&", "==", "!=", "<=", ">=", "<<", ">>", "!~", "<", ">", "~", "!", "+", "-", "*", "/", "%", "&", "|",
        "^", "(", ")", "[", "]", ","
    };
    private final String src;
    /** the next unread char */
    int at;

    int prevEnd; // end of the previous token: where the expression just parsed ends

    // The current token.
    Tok tok;
    int tokPos;
    String tokText; // NAME and SYM: as written; INT: as written; STRING: the decoded value
    long tokInt;
    int[] tokCharPos; // STRING: source position of each decoded char

    Lexer(String src) {
        this.src = src;
    }

    ConditionException error(String message, int pos) {
        return new ConditionException(message, Math.max(0, Math.min(pos, src.length())), src);
    }

    boolean isSym(String s) {
        return tok == Tok.SYM && tokText.equals(s);
    }

    /** Reads the next token into the tok* fields. */
    void next() {
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
                } else if (d == '.'
                        && at + 1 < src.length()
                        && (Character.isLetter(src.charAt(at + 1)) || src.charAt(at + 1) == '_')) {
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
        boolean valid = !digits.isEmpty()
                && digits.chars().allMatch(ch -> hex ? Character.digit(ch, 16) >= 0 : ch >= '0' && ch <= '9');
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

    /** The current token as a message names it. */
    String describeToken() {
        switch (tok) {
            case EOF:
                return "the end of the condition";
            case STRING:
                return "the string " + quote(tokText);
            case INT:
                return "the number " + tokText;
            default:
                return "'" + abbreviate(tokText) + "'";
        }
    }

    static String quote(String s) {
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
}
