package dev.mapscope.agent.condition;

import dev.mapscope.agent.condition.Subject.Name;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;

/**
 * What a probe records at each hit: a comma-separated list of names, e.g. {@code thread,keyHash,bucket,key,stack}.
 * The names are those of conditions ({@code thread.name}, {@code keyHash}, ...) plus {@code stack}; {@code
 * thread} stands for both {@code thread.name} and {@code thread.id}. Immutable.
 */
public final class Capture {
    /** What a probe records when not told: the thread, the operation, the key's hash and bucket. */
    public static final Capture DEFAULT = parse("thread,op,keyHash,bucket");

    private final List<Name> names;
    private final int mask;
    private final String source;

    private Capture(List<Name> names, int mask, String source) {
        this.names = names;
        this.mask = mask;
        this.source = source;
    }

    /**
     * Parses a capture list. Spaces around names are ignored; a name given twice counts once.
     *
     * @throws ConditionException naming the unknown or empty item, with its position in {@code list}
     */
    public static Capture parse(String list) {
        if (list == null || list.isBlank()) {
            throw new ConditionException(
                    "the capture list is empty; the names are thread, " + Parser.names() + ", stack",
                    0,
                    list == null ? "" : list);
        }
        EnumSet<Name> set = EnumSet.noneOf(Name.class);
        int start = 0;
        while (start <= list.length()) {
            int comma = list.indexOf(',', start);
            int end = comma < 0 ? list.length() : comma;
            String item = list.substring(start, end).strip();
            int itemPos = start
                    + (list.substring(start, end).length()
                            - list.substring(start, end).stripLeading().length());
            if (item.isEmpty()) {
                throw new ConditionException("empty name in the capture list", Math.min(itemPos, list.length()), list);
            }
            if (item.equals("thread")) {
                set.add(Name.THREAD_NAME);
                set.add(Name.THREAD_ID);
            } else {
                Name n = Name.of(item);
                if (n == null) {
                    String suggestion = Parser.closest(item);
                    throw new ConditionException(
                            "unknown capture '" + Lexer.abbreviate(item) + "'; "
                                    + (suggestion != null
                                            ? "did you mean " + suggestion + "?"
                                            : "the names are thread, " + Parser.names() + ", stack"),
                            itemPos,
                            list);
                }
                set.add(n);
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        int mask = 0;
        for (Name n : set) {
            mask |= n.bit();
        }
        return new Capture(Collections.unmodifiableList(new ArrayList<>(set)), mask, list);
    }

    /** The captured names in a fixed order (that of {@link Name}), without repeats. */
    public List<Name> names() {
        return names;
    }

    public boolean uses(Name name) {
        return (mask & name.bit()) != 0;
    }

    /** The captured names as {@link Name#bit()} bits. */
    public int mask() {
        return mask;
    }

    @Override
    public String toString() {
        return source;
    }
}
