package dev.mapscope.agent.condition;

import dev.mapscope.agent.condition.Subject.Name;
import java.util.EnumSet;
import java.util.Set;

/**
 * A compiled probe condition, e.g. {@code thread.name ~ "worker-.*" && bucket == 17 && keyHash % 2 == 0}.
 * The language (docs/CONDITIONS.md) has integers, strings, comparisons, {@code && || !}, regex matches and
 * {@code in} lists over a fixed set of names; it has no calls, no field access and no loops, so a test cannot
 * change the program it observes and always ends.
 *
 * <p>Immutable and thread-safe: one instance serves every thread, each with its own {@link Subject}.
 * {@link #test} allocates nothing unless the condition reads a derived string (the key, a class name, the
 * map id) that has not been computed yet for this operation.
 */
public final class Condition {
    /** The condition of a probe without {@code --if}: true for every operation, reads nothing. */
    public static final Condition ALWAYS = new Condition("true", Nodes.Const.TRUE, 0);

    private final String source;
    private final Nodes.Bool root;
    private final int mask;

    private Condition(String source, Nodes.Bool root, int mask) {
        this.source = source;
        this.root = root;
        this.mask = mask;
    }

    /**
     * Parses, type-checks and compiles {@code source}. Regular expressions are compiled here, once.
     *
     * @throws ConditionException with one sentence and the 0-based position of the mistake
     */
    public static Condition parse(String source) {
        if (source == null) {
            throw new ConditionException("the condition is empty", 0, "");
        }
        Ast ast = Parser.parse(source);
        int mask = ast.mask(); // before folding: a name the user wrote counts as used even if folded away
        return new Condition(source, Compiler.compile(ast), mask);
    }

    /** Whether the operation described by {@code subject} satisfies this condition. Never throws. */
    public boolean test(Subject subject) {
        return root.test(subject);
    }

    /** Whether the condition reads {@code name}, so that the agent knows which facts it must supply. */
    public boolean uses(Name name) {
        return (mask & name.bit()) != 0;
    }

    /** The names read, as {@link Name#bit()} bits. */
    public int mask() {
        return mask;
    }

    /** The names read. */
    public Set<Name> names() {
        EnumSet<Name> set = EnumSet.noneOf(Name.class);
        for (Name n : Name.values()) {
            if (uses(n)) {
                set.add(n);
            }
        }
        return set;
    }

    /** The source as given to {@link #parse}. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
