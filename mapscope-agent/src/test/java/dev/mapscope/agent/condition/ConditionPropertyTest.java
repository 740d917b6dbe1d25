package dev.mapscope.agent.condition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.agent.condition.Subject.Name;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random expression trees, printed with as few parentheses as the precedence rules allow, parsed back and
 * evaluated, must agree with a reference evaluator written here from the language's definition (Java long
 * arithmetic, a comparison over a division by zero is false, {@code ~} finds anywhere). Any text at all either
 * parses or fails with a {@link ConditionException} whose position lies inside it.
 */
class ConditionPropertyTest {

    // ---- the model ----

    /** A tree node: a literal, a name, or an operator over children. */
    sealed interface Expr permits Lit, Ref, Unary, Bin, Match, In {}

    /** an integer (Long), string or boolean literal */
    record Lit(Object value) implements Expr {}

    record Ref(Name name) implements Expr {}

    record Unary(String op, Expr operand) implements Expr {}

    record Bin(String op, Expr left, Expr right) implements Expr {}

    record Match(boolean negate, Expr left, String regex) implements Expr {}

    record In(Expr left, List<Object> values) implements Expr {}

    /** A value that a division by zero produced: it poisons arithmetic and makes comparisons false. */
    private static final Object UNDEFINED = new Object();

    static final String[] THREADS = {"main", "worker-1", "worker-12", "pool-3-thread-1", "say \"hi\""};
    static final String[] KEYS = {"user:1", "user:42", "", "a\\b", "x\"y", "K"};
    static final String[] OPS = {"put", "get", "remove"};
    static final String[] REGEXES = {
        "worker-.*", "^user:\\d+$", "\\d", "^$", "ma", "[ab]\\\\", "\"", "thread|user", "^K$"
    };
    static final String[] STRINGS = {
        "main",
        "worker-1",
        "user:42",
        "",
        "put",
        "get",
        "a\\b",
        "x\"y",
        "java.util.HashMap",
        "java.lang.Integer",
        "null",
        "K"
    };

    // ---- generators ----

    @Provide
    Arbitrary<Expr> conditions() {
        return bool(4);
    }

    private Arbitrary<Expr> bool(int depth) {
        List<Arbitrary<? extends Expr>> leaves = new ArrayList<>();
        leaves.add(Arbitraries.of(true, false).map(Lit::new));
        leaves.add(Combinators.combine(
                        integer(depth - 1), Arbitraries.of("==", "!=", "<", "<=", ">", ">="), integer(depth - 1))
                .as((l, op, r) -> new Bin(op, l, r)));
        leaves.add(Combinators.combine(string(), Arbitraries.of("==", "!="), string())
                .as((l, op, r) -> new Bin(op, l, r)));
        leaves.add(Combinators.combine(Arbitraries.of(true, false), string(), Arbitraries.of(REGEXES))
                .as(Match::new));
        leaves.add(Combinators.combine(
                        integer(depth - 1), smallInts().list().ofMinSize(1).ofMaxSize(12))
                .as((l, v) -> new In(l, new ArrayList<>(v))));
        leaves.add(Combinators.combine(
                        string(), Arbitraries.of(STRINGS).list().ofMinSize(1).ofMaxSize(4))
                .as((l, v) -> new In(l, new ArrayList<>(v))));
        if (depth <= 0) {
            return Arbitraries.oneOf(leaves);
        }
        Arbitrary<Expr> sub = Arbitraries.lazy(() -> bool(depth - 1));
        List<Arbitrary<? extends Expr>> all = new ArrayList<>(leaves);
        all.add(Combinators.combine(sub, Arbitraries.of("&&", "||"), sub).as((l, op, r) -> new Bin(op, l, r)));
        all.add(Combinators.combine(sub, Arbitraries.of("&&", "||"), sub).as((l, op, r) -> new Bin(op, l, r)));
        all.add(sub.map(e -> new Unary("!", e)));
        all.add(Combinators.combine(sub, Arbitraries.of("==", "!="), sub).as((l, op, r) -> new Bin(op, l, r)));
        return Arbitraries.oneOf(all);
    }

    private Arbitrary<Expr> integer(int depth) {
        Arbitrary<Expr> leaf = Arbitraries.oneOf(
                smallInts().map(Lit::new),
                Arbitraries.longs().map(Lit::new),
                Arbitraries.of(Name.KEY_HASH, Name.BUCKET, Name.MAP_SIZE, Name.THREAD_ID)
                        .map(Ref::new));
        if (depth <= 0) {
            return leaf;
        }
        Arbitrary<Expr> sub = Arbitraries.lazy(() -> integer(depth - 1));
        return Arbitraries.oneOf(
                leaf,
                leaf,
                Combinators.combine(sub, Arbitraries.of("+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"), sub)
                        .as((l, op, r) -> new Bin(op, l, r)),
                sub.map(e -> new Unary("-", e)));
    }

    private Arbitrary<Expr> string() {
        return Arbitraries.oneOf(
                Arbitraries.of(STRINGS).map(Lit::new),
                Arbitraries.of(Name.THREAD_NAME, Name.KEY, Name.VALUE_CLASS, Name.MAP_CLASS, Name.OP)
                        .map(Ref::new));
    }

    private static Arbitrary<Long> smallInts() {
        return Arbitraries.longs().between(-5, 70);
    }

    @Provide
    Arbitrary<Facts> facts() {
        return Combinators.combine(
                        Arbitraries.of(THREADS),
                        Arbitraries.of(KEYS),
                        Arbitraries.of(OPS),
                        Arbitraries.integers(),
                        Arbitraries.integers().between(0, 63),
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.of(true, false))
                .as(Facts::new);
    }

    record Facts(String threadName, String key, String op, int keyHash, int bucket, int mapSize, boolean integerValue) {
        Subject subject() {
            Map<Integer, Integer> map = new HashMap<>();
            for (int i = 0; i < mapSize; i++) {
                map.put(i, i);
            }
            Thread t = new Thread(() -> {}, threadName);
            return new Subject().begin(t, op, map, key, integerValue ? (Object) 1 : null, keyHash, bucket);
        }
    }

    // ---- properties ----

    @Property(tries = 3000)
    void printedTreesEvaluateLikeTheReference(@ForAll("conditions") Expr tree, @ForAll("facts") Facts facts) {
        String source = print(tree);
        Subject subject = facts.subject();
        Condition condition = Condition.parse(source);
        boolean expected = (Boolean) eval(tree, subject);
        Statistics.label("result").collect(expected);
        Statistics.label("result").coverage(c -> {
            c.check(true).percentage(p -> p > 20);
            c.check(false).percentage(p -> p > 20);
        });
        assertThat(condition.test(subject)).as(source).isEqualTo(expected);
        assertThat(condition.test(subject))
                .as("again, from the subject's caches: %s", source)
                .isEqualTo(expected);
        assertThat(condition.names()).as(source).isEqualTo(names(tree, EnumSet.noneOf(Name.class)));
    }

    @Property(tries = 3000)
    void anyEditOfAConditionParsesOrFailsWithAPositionInside(
            @ForAll("conditions") Expr tree, @ForAll("edits") List<Edit> edits) {
        StringBuilder sb = new StringBuilder(print(tree));
        for (Edit e : edits) {
            e.apply(sb);
        }
        checkParsesOrFailsInside(sb.toString());
    }

    @Property(tries = 2000)
    void anyTokenSoupParsesOrFailsWithAPositionInside(@ForAll("soup") List<String> tokens) {
        checkParsesOrFailsInside(String.join("", tokens));
    }

    private static void checkParsesOrFailsInside(String source) {
        try {
            Condition.parse(source);
        } catch (ConditionException e) {
            assertThat(e.position()).as(source).isBetween(0, source.length());
            assertThat(e.getMessage()).as(source).isNotBlank().doesNotContain("\n");
            assertThat(Character.isUpperCase(e.getMessage().charAt(0)))
                    .as("lowercase: %s", e.getMessage())
                    .isFalse();
            assertThat(e.source()).isEqualTo(source);
        }
    }

    record Edit(int at, int kind, char c) {
        void apply(StringBuilder sb) {
            if (sb.length() == 0) {
                sb.append(c);
                return;
            }
            int i = Math.floorMod(at, sb.length());
            switch (kind) {
                case 0 -> sb.deleteCharAt(i);
                case 1 -> sb.insert(i, c);
                default -> sb.setCharAt(i, c);
            }
        }
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<Character> chars = Arbitraries.of(
                '(', ')', '"', '\'', '\\', '=', '!', '~', '&', '|', '[', ']', ',', '.', 'x', '0', '9', ' ', '-', '<',
                '>', '@', '\n', 'é');
        return Combinators.combine(
                        Arbitraries.integers(), Arbitraries.integers().between(0, 2), chars)
                .as(Edit::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(3);
    }

    @Provide
    Arbitrary<List<String>> soup() {
        return Arbitraries.of(
                        "bucket",
                        "keyHash",
                        "key",
                        "thread.name",
                        "in",
                        "true",
                        "(",
                        ")",
                        "[",
                        "]",
                        ",",
                        "==",
                        "=",
                        "!",
                        "!~",
                        "~",
                        "&&",
                        "||",
                        "&",
                        "|",
                        "+",
                        "-",
                        "*",
                        "/",
                        "%",
                        "<<",
                        ">>",
                        "<",
                        ">=",
                        " ",
                        "\"a\"",
                        "\"(\"",
                        "'",
                        "\"",
                        "17",
                        "0x",
                        "0xFF",
                        "99999999999999999999",
                        "stack",
                        "foo",
                        ".",
                        "x(",
                        "\\")
                .list()
                .ofMaxSize(12);
    }

    // ---- printing with minimal parentheses ----

    /** Precedence levels, loose to tight, as in the parser (Go's). */
    private static int level(Expr e) {
        if (e instanceof Bin b) {
            switch (b.op) {
                case "||":
                    return 1;
                case "&&":
                    return 2;
                case "==":
                case "!=":
                case "<":
                case "<=":
                case ">":
                case ">=":
                    return 3;
                case "+":
                case "-":
                case "|":
                case "^":
                    return 4;
                default:
                    return 5;
            }
        }
        if (e instanceof Match || e instanceof In) {
            return 3;
        }
        if (e instanceof Unary) {
            return 6;
        }
        if (e instanceof Lit l && l.value instanceof Long v && v < 0) {
            return 6; // printed in hex, but keep a sign-like look safe anyway
        }
        return 7;
    }

    static String print(Expr e) {
        if (e instanceof Lit l) {
            if (l.value instanceof Long v) {
                return v < 0 || (v & 1) == 1 && v > 9 ? "0x" + Long.toHexString(v) : Long.toString(v);
            }
            if (l.value instanceof String s) {
                return quote(s);
            }
            return l.value.toString();
        }
        if (e instanceof Ref r) {
            return r.name.text();
        }
        if (e instanceof Unary u) {
            return u.op + wrap(u.operand, level(u.operand) < 6);
        }
        if (e instanceof Match m) {
            return wrap(m.left, level(m.left) <= 3) + (m.negate ? " !~ " : " ~ ") + quote(m.regex);
        }
        if (e instanceof In in) {
            StringBuilder sb = new StringBuilder(wrap(in.left, level(in.left) <= 3)).append(" in [");
            for (int i = 0; i < in.values.size(); i++) {
                Object v = in.values.get(i);
                sb.append(i == 0 ? "" : ", ").append(v instanceof String s ? quote(s) : v.toString());
            }
            return sb.append(']').toString();
        }
        Bin b = (Bin) e;
        int lv = level(b);
        // left-associative: a left operand of the same level needs no parentheses, a right one does;
        // comparisons do not chain, so their operands at the comparison level always do
        boolean leftParens = lv == 3 ? level(b.left) <= 3 : level(b.left) < lv;
        boolean rightParens = level(b.right) <= lv;
        return wrap(b.left, leftParens) + " " + b.op + " " + wrap(b.right, rightParens);
    }

    private static String wrap(Expr e, boolean parens) {
        String s = print(e);
        return parens ? "(" + s + ")" : s;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ---- the reference evaluator ----

    static Object eval(Expr e, Subject s) {
        if (e instanceof Lit l) {
            return l.value;
        }
        if (e instanceof Ref r) {
            return r.name.isInteger() ? (Object) s.integer(r.name) : s.string(r.name);
        }
        if (e instanceof Unary u) {
            Object v = eval(u.operand, s);
            if (u.op.equals("!")) {
                return !(Boolean) v;
            }
            return v == UNDEFINED ? UNDEFINED : -(Long) v;
        }
        if (e instanceof Match m) {
            boolean found =
                    Pattern.compile(m.regex).matcher((String) eval(m.left, s)).find();
            return found != m.negate;
        }
        if (e instanceof In in) {
            Object v = eval(in.left, s);
            return v != UNDEFINED && in.values.contains(v);
        }
        Bin b = (Bin) e;
        switch (b.op) {
            case "&&":
                return (Boolean) eval(b.left, s) && (Boolean) eval(b.right, s);
            case "||":
                return (Boolean) eval(b.left, s) || (Boolean) eval(b.right, s);
            default:
                break;
        }
        Object l = eval(b.left, s);
        Object r = eval(b.right, s);
        switch (b.op) {
            case "==":
                return l != UNDEFINED && r != UNDEFINED && l.equals(r);
            case "!=":
                return l != UNDEFINED && r != UNDEFINED && !l.equals(r);
            default:
                break;
        }
        if (l == UNDEFINED || r == UNDEFINED) {
            return b.op.matches("<|<=|>|>=") ? (Object) false : UNDEFINED;
        }
        long x = (Long) l;
        long y = (Long) r;
        switch (b.op) {
            case "<":
                return x < y;
            case "<=":
                return x <= y;
            case ">":
                return x > y;
            case ">=":
                return x >= y;
            case "+":
                return x + y;
            case "-":
                return x - y;
            case "*":
                return x * y;
            case "/":
                return y == 0 ? UNDEFINED : (Object) (x / y);
            case "%":
                return y == 0 ? UNDEFINED : (Object) (x % y);
            case "&":
                return x & y;
            case "|":
                return x | y;
            case "^":
                return x ^ y;
            case "<<":
                return x << y;
            case ">>":
                return x >> y;
            default:
                throw new AssertionError(b.op);
        }
    }

    private static Set<Name> names(Expr e, Set<Name> into) {
        if (e instanceof Ref r) {
            into.add(r.name);
        } else if (e instanceof Unary u) {
            names(u.operand, into);
        } else if (e instanceof Match m) {
            names(m.left, into);
        } else if (e instanceof In in) {
            names(in.left, into);
        } else if (e instanceof Bin b) {
            names(b.left, into);
            names(b.right, into);
        }
        return into;
    }
}
