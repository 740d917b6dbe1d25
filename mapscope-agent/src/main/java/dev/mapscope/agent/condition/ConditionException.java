package dev.mapscope.agent.condition;

/**
 * A condition or capture list that cannot be used: {@link #getMessage()} is one lowercase sentence without
 * the position, {@link #position()} the 0-based index of the offending character in the source (the length
 * of the source for a problem at its end), so that a caller can draw a caret under it.
 */
public final class ConditionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int position;
    private final String source;

    ConditionException(String message, int position, String source) {
        super(message);
        this.position = position;
        this.source = source;
    }

    /** 0-based index into {@link #source()}, between 0 and its length inclusive. */
    public int position() {
        return position;
    }

    /** The text that was parsed. */
    public String source() {
        return source;
    }

    /** The source on one line and a caret under the position on the next, for a terminal. */
    public String caret() {
        return source.replace('\n', ' ').replace('\t', ' ') + "\n" + " ".repeat(position) + "^";
    }
}
