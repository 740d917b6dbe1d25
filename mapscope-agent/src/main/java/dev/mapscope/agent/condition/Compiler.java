package dev.mapscope.agent.condition;

import dev.mapscope.agent.condition.Ast.Kind;
import dev.mapscope.agent.condition.Subject.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a checked {@link Ast} into {@link Nodes}: folds constants, orders the operands of {@code &&} and
 * {@code ||} by cost, picks the specialised node for each shape, and wraps a comparison in a {@link
 * Nodes.Guard} only when one of its operands can divide by zero.
 *
 * <p>Why reordering is sound: every boolean sub-expression is pure (reading a fact has no effect the
 * language can see) and total (a division by zero makes its comparison false instead of escaping), so
 * {@code a && b} and {@code b && a} always agree, and so do the {@code ||}s. What changes is which facts are
 * computed: the cheap integer tests run first, and {@code key.toString()} only when they all passed.
 */
final class Compiler {
    private Compiler() {}

    static Nodes.Bool compile(Ast condition) {
        return bool(fold(condition));
    }

    // ---- constant folding ----

    /** Folds literal-only sub-expressions, so that a compiled tree never computes what the source fixed. */
    static Ast fold(Ast e) {
        if (e.left != null) {
            e.left = fold(e.left);
        }
        if (e.right != null) {
            e.right = fold(e.right);
        }
        if (e.kind == Kind.UNARY) {
            if (e.op.equals("-") && e.left.kind == Kind.INT) {
                return like(e, Ast.integer(-e.left.number, e.pos));
            }
            if (e.op.equals("!") && e.left.kind == Kind.BOOL) {
                return like(e, Ast.bool(e.left.number == 0, e.pos));
            }
        } else if (e.kind == Kind.BINARY) {
            Ast l = e.left;
            Ast r = e.right;
            if (e.type == Type.INT && l.kind == Kind.INT && r.kind == Kind.INT) {
                int op = Nodes.arithmetic(e.op);
                if ((op != Nodes.DIV && op != Nodes.REM) || r.number != 0) {
                    return like(e, Ast.integer(Nodes.apply(op, l.number, r.number), e.pos));
                }
            } else if (e.op.equals("&&") || e.op.equals("||")) {
                boolean and = e.op.equals("&&");
                // true && x = x, false && x = false; false || x = x, true || x = true (sound in either order:
                // x is pure and total)
                if (l.kind == Kind.BOOL) {
                    return (l.number != 0) == and ? r : l;
                }
                if (r.kind == Kind.BOOL) {
                    return (r.number != 0) == and ? l : r;
                }
            } else if (l.kind == Kind.INT && r.kind == Kind.INT) {
                return like(e, Ast.bool(Nodes.compare(Nodes.comparison(e.op), l.number, r.number), e.pos));
            } else if (l.kind == Kind.STRING && r.kind == Kind.STRING) {
                return like(e, Ast.bool(l.text.equals(r.text) == e.op.equals("=="), e.pos));
            } else if (l.kind == Kind.BOOL && r.kind == Kind.BOOL) {
                return like(e, Ast.bool((l.number == r.number) == e.op.equals("=="), e.pos));
            }
        }
        return e;
    }

    private static Ast like(Ast old, Ast folded) {
        folded.start = old.start;
        folded.end = old.end;
        return folded;
    }

    /** A rough cost of evaluating {@code e}, in the units of {@code Subject.Name.cost}. */
    static int cost(Ast e) {
        switch (e.kind) {
            case NAME:
                return e.name.cost;
            case INT:
            case STRING:
            case BOOL:
                return 0;
            case MATCH:
                return cost(e.left) + 10;
            case IN:
                return cost(e.left) + 2;
            case UNARY:
                return cost(e.left) + 1;
            default:
                return cost(e.left) + cost(e.right) + (e.op.equals("/") || e.op.equals("%") ? 3 : 1);
        }
    }

    /** True when evaluating {@code e} can divide by zero (a divisor that is not a non-zero literal). */
    static boolean mayFail(Ast e) {
        if (e == null) {
            return false;
        }
        if (e.kind == Kind.BINARY
                && (e.op.equals("/") || e.op.equals("%"))
                && !(e.right.kind == Kind.INT && e.right.number != 0)) {
            return true;
        }
        return mayFail(e.left) || mayFail(e.right);
    }

    // ---- node selection ----

    private static Nodes.Bool bool(Ast e) {
        switch (e.kind) {
            case BOOL:
                return e.number != 0 ? Nodes.Const.TRUE : Nodes.Const.FALSE;
            case UNARY:
                return new Nodes.Not(bool(e.left));
            case MATCH:
                return new Nodes.Match(str(e.left), e.pattern, e.op.equals("!~"));
            case IN:
                return guard(
                        e,
                        e.ints != null
                                ? new Nodes.IntIn(integer(e.left), e.ints)
                                : new Nodes.StrIn(str(e.left), e.texts));
            case BINARY:
                if (e.op.equals("&&") || e.op.equals("||")) {
                    return chain(e);
                }
                return guard(e, comparison(e));
            default:
                throw new IllegalStateException("not a condition: " + e.kind); // the parser checked types
        }
    }

    private static Nodes.Bool comparison(Ast e) {
        boolean negate = e.op.equals("!=");
        switch (e.left.type) {
            case STRING:
                return new Nodes.StrEq(str(e.left), str(e.right), negate);
            case BOOL:
                return new Nodes.BoolEq(bool(e.left), bool(e.right), negate);
            default:
                break;
        }
        int op = Nodes.comparison(e.op);
        Ast l = e.left;
        Ast r = e.right;
        if (l.kind == Kind.INT && r.kind != Kind.INT) { // 17 == bucket: the constant goes right
            Ast t = l;
            l = r;
            r = t;
            op = mirror(op);
        }
        if (r.kind == Kind.INT) {
            return op == Nodes.EQ
                    ? new Nodes.EqConst(integer(l), r.number)
                    : new Nodes.CmpConst(integer(l), op, r.number);
        }
        return new Nodes.Cmp(integer(l), op, integer(r));
    }

    private static int mirror(int op) {
        switch (op) {
            case Nodes.LT:
                return Nodes.GT;
            case Nodes.LE:
                return Nodes.GE;
            case Nodes.GT:
                return Nodes.LT;
            case Nodes.GE:
                return Nodes.LE;
            default:
                return op;
        }
    }

    private static Nodes.Bool guard(Ast e, Nodes.Bool test) {
        return mayFail(e) ? new Nodes.Guard(test) : test;
    }

    /** a && b && c (or ||): flattened, sorted by cost (stable), rebuilt right-nested so the cheapest runs first. */
    private static Nodes.Bool chain(Ast e) {
        List<Ast> operands = new ArrayList<>();
        flatten(e, e.op, operands);
        operands.sort(Comparator.comparingInt(Compiler::cost));
        boolean and = e.op.equals("&&");
        Nodes.Bool result = bool(operands.get(operands.size() - 1));
        for (int i = operands.size() - 2; i >= 0; i--) {
            Nodes.Bool left = bool(operands.get(i));
            result = and ? new Nodes.And(left, result) : new Nodes.Or(left, result);
        }
        return result;
    }

    private static void flatten(Ast e, String op, List<Ast> out) {
        if (e.kind == Kind.BINARY && e.op.equals(op)) {
            flatten(e.left, op, out);
            flatten(e.right, op, out);
        } else {
            out.add(e);
        }
    }

    private static Nodes.Int integer(Ast e) {
        switch (e.kind) {
            case INT:
                return new Nodes.IntConst(e.number);
            case NAME:
                switch (e.name) {
                    case KEY_HASH:
                        return new Nodes.KeyHash();
                    case BUCKET:
                        return new Nodes.Bucket();
                    case THREAD_ID:
                        return new Nodes.ThreadId();
                    default:
                        return new Nodes.MapSize();
                }
            case UNARY:
                return new Nodes.Neg(integer(e.left));
            default: {
                int op = Nodes.arithmetic(e.op);
                if (e.right.kind == Kind.INT && e.right.number != 0 && op == Nodes.REM) {
                    return new Nodes.RemConst(integer(e.left), e.right.number);
                }
                if (e.right.kind == Kind.INT && op == Nodes.BAND) {
                    return new Nodes.AndConst(integer(e.left), e.right.number);
                }
                return new Nodes.Arith(integer(e.left), op, integer(e.right));
            }
        }
    }

    private static Nodes.Str str(Ast e) {
        if (e.kind == Kind.STRING) {
            return new Nodes.StrConst(e.text);
        }
        switch (e.name) {
            case THREAD_NAME:
                return new Nodes.ThreadName();
            case OP:
                return new Nodes.Op();
            default:
                return new Nodes.StrName(e.name);
        }
    }
}
