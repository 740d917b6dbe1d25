package dev.mapscope.agent.condition;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The evaluation tree: one small final class per operation and per common shape, so that each node's
 * method is a few instructions the JIT inlines into its parent. None allocates; string nodes read cached
 * strings from the {@link Subject}. Built only by {@link Compiler}.
 */
final class Nodes {
    private Nodes() {}

    /** A boolean node. */
    abstract static class Bool {
        abstract boolean test(Subject s);
    }

    /** An integer node: 64-bit, wrapping like Java's long. */
    abstract static class Int {
        /** May throw {@link Undefined} (division or remainder by zero); only {@link Guard} catches it. */
        abstract long eval(Subject s);
    }

    /** A string node. */
    abstract static class Str {
        abstract String eval(Subject s);
    }

    /**
     * Thrown by a division or remainder by zero and caught by the comparison around it, which is then false;
     * also ends a regex match that ran out of steps (see {@link Subject#MATCH_STEPS}). One preallocated
     * instance without a stack trace: throwing it allocates nothing.
     */
    static final class Undefined extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Undefined INSTANCE = new Undefined();

        private Undefined() {
            super("division by zero", null, false, false);
        }
    }

    // ---- booleans ----

    static final class Const extends Bool {
        static final Const TRUE = new Const(true);
        static final Const FALSE = new Const(false);
        private final boolean value;

        private Const(boolean value) {
            this.value = value;
        }

        @Override
        boolean test(Subject s) {
            return value;
        }
    }

    static final class Not extends Bool {
        private final Bool operand;

        Not(Bool operand) {
            this.operand = operand;
        }

        @Override
        boolean test(Subject s) {
            return !operand.test(s);
        }
    }

    static final class And extends Bool {
        private final Bool left;
        private final Bool right;

        And(Bool left, Bool right) {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean test(Subject s) {
            return left.test(s) && right.test(s);
        }
    }

    static final class Or extends Bool {
        private final Bool left;
        private final Bool right;

        Or(Bool left, Bool right) {
            this.left = left;
            this.right = right;
        }

        @Override
        boolean test(Subject s) {
            return left.test(s) || right.test(s);
        }
    }

    /** bool == bool (or != with negate) */
    static final class BoolEq extends Bool {
        private final Bool left;
        private final Bool right;
        private final boolean negate;

        BoolEq(Bool left, Bool right, boolean negate) {
            this.left = left;
            this.right = right;
            this.negate = negate;
        }

        @Override
        boolean test(Subject s) {
            return (left.test(s) == right.test(s)) != negate;
        }
    }

    /** A comparison whose operands may divide by zero: false when they do. */
    static final class Guard extends Bool {
        private final Bool comparison;

        Guard(Bool comparison) {
            this.comparison = comparison;
        }

        @Override
        boolean test(Subject s) {
            try {
                return comparison.test(s);
            } catch (Undefined e) {
                return false;
            }
        }
    }

    // ---- integer comparisons ----

    static final int EQ = 0, NE = 1, LT = 2, LE = 3, GT = 4, GE = 5;

    static int comparison(String op) {
        switch (op) {
            case "==":
                return EQ;
            case "!=":
                return NE;
            case "<":
                return LT;
            case "<=":
                return LE;
            case ">":
                return GT;
            default:
                return GE;
        }
    }

    static boolean compare(int op, long a, long b) {
        switch (op) {
            case EQ:
                return a == b;
            case NE:
                return a != b;
            case LT:
                return a < b;
            case LE:
                return a <= b;
            case GT:
                return a > b;
            default:
                return a >= b;
        }
    }

    /** int == constant: the commonest test, without the switch. */
    static final class EqConst extends Bool {
        private final Int left;
        private final long value;

        EqConst(Int left, long value) {
            this.left = left;
            this.value = value;
        }

        @Override
        boolean test(Subject s) {
            return left.eval(s) == value;
        }
    }

    static final class CmpConst extends Bool {
        private final Int left;
        private final int op;
        private final long value;

        CmpConst(Int left, int op, long value) {
            this.left = left;
            this.op = op;
            this.value = value;
        }

        @Override
        boolean test(Subject s) {
            return compare(op, left.eval(s), value);
        }
    }

    static final class Cmp extends Bool {
        private final Int left;
        private final int op;
        private final Int right;

        Cmp(Int left, int op, Int right) {
            this.left = left;
            this.op = op;
            this.right = right;
        }

        @Override
        boolean test(Subject s) {
            return compare(op, left.eval(s), right.eval(s));
        }
    }

    static final class IntIn extends Bool {
        private final Int left;
        /** sorted, distinct */
        private final long[] values;

        IntIn(Int left, long[] values) {
            this.left = left;
            this.values = values;
        }

        @Override
        boolean test(Subject s) {
            long v = left.eval(s);
            if (values.length <= 8) {
                for (long x : values) {
                    if (x == v) {
                        return true;
                    }
                }
                return false;
            }
            return Arrays.binarySearch(values, v) >= 0;
        }
    }

    // ---- string tests ----

    static final class StrEq extends Bool {
        private final Str left;
        private final Str right;
        private final boolean negate;

        StrEq(Str left, Str right, boolean negate) {
            this.left = left;
            this.right = right;
            this.negate = negate;
        }

        @Override
        boolean test(Subject s) {
            return left.eval(s).equals(right.eval(s)) != negate;
        }
    }

    static final class StrIn extends Bool {
        private final Str left;
        private final String[] values;

        StrIn(Str left, String[] values) {
            this.left = left;
            this.values = values;
        }

        @Override
        boolean test(Subject s) {
            String v = left.eval(s);
            for (String x : values) {
                if (x.equals(v)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * {@code ~} (find anywhere, like awk and Go's regexp.MatchString) and {@code !~}; a match abandoned after
     * {@link Subject#MATCH_STEPS} reads makes the comparison false, like a division by zero.
     */
    static final class Match extends Bool {
        private final Str left;
        private final Pattern pattern;
        private final boolean negate;

        Match(Str left, Pattern pattern, boolean negate) {
            this.left = left;
            this.pattern = pattern;
            this.negate = negate;
        }

        @Override
        boolean test(Subject s) {
            int found = s.find(pattern, left.eval(s));
            return found >= 0 && (found == 1) != negate; // an abandoned match (-1) is false either way
        }
    }

    // ---- integer values ----

    static final class IntConst extends Int {
        private final long value;

        IntConst(long value) {
            this.value = value;
        }

        @Override
        long eval(Subject s) {
            return value;
        }
    }

    static final class KeyHash extends Int {
        @Override
        long eval(Subject s) {
            return s.keyHash();
        }
    }

    static final class Bucket extends Int {
        @Override
        long eval(Subject s) {
            return s.bucket();
        }
    }

    static final class ThreadId extends Int {
        @Override
        long eval(Subject s) {
            return s.threadId();
        }
    }

    static final class MapSize extends Int {
        @Override
        long eval(Subject s) {
            return s.mapSize();
        }
    }

    static final class Neg extends Int {
        private final Int operand;

        Neg(Int operand) {
            this.operand = operand;
        }

        @Override
        long eval(Subject s) {
            return -operand.eval(s);
        }
    }

    static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, REM = 4, BAND = 5, BOR = 6, XOR = 7, SHL = 8, SHR = 9;

    static int arithmetic(String op) {
        switch (op) {
            case "+":
                return ADD;
            case "-":
                return SUB;
            case "*":
                return MUL;
            case "/":
                return DIV;
            case "%":
                return REM;
            case "&":
                return BAND;
            case "|":
                return BOR;
            case "^":
                return XOR;
            case "<<":
                return SHL;
            default:
                return SHR;
        }
    }

    /** Java's long arithmetic; shift counts use their low 6 bits; a zero divisor throws {@link Undefined}. */
    static long apply(int op, long a, long b) {
        switch (op) {
            case ADD:
                return a + b;
            case SUB:
                return a - b;
            case MUL:
                return a * b;
            case DIV:
                if (b == 0) {
                    throw Undefined.INSTANCE;
                }
                return a / b;
            case REM:
                if (b == 0) {
                    throw Undefined.INSTANCE;
                }
                return a % b;
            case BAND:
                return a & b;
            case BOR:
                return a | b;
            case XOR:
                return a ^ b;
            case SHL:
                return a << b;
            default:
                return a >> b;
        }
    }

    static final class Arith extends Int {
        private final Int left;
        private final int op;
        private final Int right;

        Arith(Int left, int op, Int right) {
            this.left = left;
            this.op = op;
            this.right = right;
        }

        @Override
        long eval(Subject s) {
            return apply(op, left.eval(s), right.eval(s));
        }
    }

    /** {@code x % c} with a constant, non-zero c: cannot fail, and c is a field the JIT sees once. */
    static final class RemConst extends Int {
        private final Int left;
        private final long divisor;

        RemConst(Int left, long divisor) {
            this.left = left;
            this.divisor = divisor;
        }

        @Override
        long eval(Subject s) {
            return left.eval(s) % divisor;
        }
    }

    /** {@code x & c} with a constant. */
    static final class AndConst extends Int {
        private final Int left;
        private final long mask;

        AndConst(Int left, long mask) {
            this.left = left;
            this.mask = mask;
        }

        @Override
        long eval(Subject s) {
            return left.eval(s) & mask;
        }
    }

    // ---- string values ----

    static final class StrConst extends Str {
        private final String value;

        StrConst(String value) {
            this.value = value;
        }

        @Override
        String eval(Subject s) {
            return value;
        }
    }

    /** A string name, read through the subject's lazy cache. */
    static final class StrName extends Str {
        private final Subject.Name name;

        StrName(Subject.Name name) {
            this.name = name;
        }

        @Override
        String eval(Subject s) {
            return s.string(name);
        }
    }

    static final class ThreadName extends Str {
        @Override
        String eval(Subject s) {
            return s.threadName();
        }
    }

    static final class Op extends Str {
        @Override
        String eval(Subject s) {
            return s.op();
        }
    }
}
