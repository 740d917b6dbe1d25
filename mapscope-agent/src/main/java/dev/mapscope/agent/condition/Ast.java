package dev.mapscope.agent.condition;

import dev.mapscope.agent.condition.Subject.Name;
import dev.mapscope.agent.condition.Subject.Type;
import java.util.regex.Pattern;

/** A parsed, type-checked expression, before {@link Compiler} turns it into evaluation nodes. */
final class Ast {
    enum Kind {
        /** integer literal: {@link #number} */
        INT,
        /** string literal: {@link #text} */
        STRING,
        /** true or false: {@link #number} is 1 or 0 */
        BOOL,
        /** a fact: {@link #name} */
        NAME,
        /** unary: {@link #op} is "-" or "!" and {@link #left} the operand */
        UNARY,
        /** arithmetic, comparison, && or ||: {@link #op}, {@link #left}, {@link #right} */
        BINARY,
        /** {@code left ~ pattern} or {@code left !~ pattern}: {@link #op}, {@link #left}, {@link #pattern} */
        MATCH,
        /** {@code left in [...]}: {@link #ints} or {@link #texts} */
        IN
    }

    final Kind kind;
    final Type type;
    /** where the expression starts in the source (for a binary expression: where its operator is) */
    final int pos;
    /** the source span [start, end) of the whole expression, set by the parser */
    int start;

    int end;
    /** levels of operators from here down to the leaves (1 for a leaf): evaluation recurses this deep */
    int height = 1;

    String op;
    Ast left;
    Ast right;
    long number;
    String text;
    Name name;
    Pattern pattern;
    long[] ints;
    String[] texts;

    private Ast(Kind kind, Type type, int pos) {
        this.kind = kind;
        this.type = type;
        this.pos = pos;
    }

    static Ast integer(long value, int pos) {
        Ast a = new Ast(Kind.INT, Type.INT, pos);
        a.number = value;
        return a;
    }

    static Ast string(String value, int pos) {
        Ast a = new Ast(Kind.STRING, Type.STRING, pos);
        a.text = value;
        return a;
    }

    static Ast bool(boolean value, int pos) {
        Ast a = new Ast(Kind.BOOL, Type.BOOL, pos);
        a.number = value ? 1 : 0;
        return a;
    }

    static Ast name(Name name, int pos) {
        Ast a = new Ast(Kind.NAME, name.type, pos);
        a.name = name;
        return a;
    }

    static Ast unary(String op, Ast operand, Type type, int pos) {
        Ast a = new Ast(Kind.UNARY, type, pos);
        a.op = op;
        a.left = operand;
        a.height = operand.height + 1;
        return a;
    }

    static Ast binary(String op, Ast left, Ast right, Type type, int pos) {
        Ast a = new Ast(Kind.BINARY, type, pos);
        a.op = op;
        a.left = left;
        a.right = right;
        a.height = Math.max(left.height, right.height) + 1;
        return a;
    }

    static Ast match(String op, Ast left, Pattern pattern, int pos) {
        Ast a = new Ast(Kind.MATCH, Type.BOOL, pos);
        a.op = op;
        a.left = left;
        a.pattern = pattern;
        a.height = left.height + 1;
        return a;
    }

    static Ast in(Ast left, long[] ints, String[] texts, int pos) {
        Ast a = new Ast(Kind.IN, Type.BOOL, pos);
        a.op = "in";
        a.left = left;
        a.ints = ints;
        a.texts = texts;
        a.height = left.height + 1;
        return a;
    }

    /** The names this expression reads, as {@link Name#bit()} bits. */
    int mask() {
        int m = kind == Kind.NAME ? name.bit() : 0;
        if (left != null) {
            m |= left.mask();
        }
        if (right != null) {
            m |= right.mask();
        }
        return m;
    }
}
