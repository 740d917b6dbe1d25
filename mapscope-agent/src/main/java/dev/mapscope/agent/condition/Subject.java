package dev.mapscope.agent.condition;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The facts of one map operation, as conditions and captures see them. The agent keeps one {@code Subject}
 * per thread, fills it with {@link #begin} at each probed operation and hands it to {@link Condition#test}
 * and then, on a hit, reads the captured values from it.
 *
 * <p>A subject is not thread-safe and must not be shared between threads: it caches derived values and
 * regular-expression matchers in plain fields.
 */
public final class Subject {
    /*
     * Raw facts are stored by begin() and cost nothing more. Derived facts (the key's toString, the thread's
     * name, class names, the map's size and id) are computed on first use within one operation and cached
     * until the next begin(); the bits of `done` say which caches hold this operation's value. So a condition
     * that tests only keyHash and bucket never calls toString, size() or getName(), and allocates nothing.
     *
     * Regex results are memoised by the identity of the input string (strings are immutable): a thread's
     * name is the same String object from one operation to the next, so `thread.name ~ "worker-.*"` runs the
     * matcher once per thread and pattern, then costs a reference comparison.
     */

    /** The names a condition can test and a capture can record; {@link #STACK} can only be captured. */
    public enum Name {
        THREAD_NAME("thread.name", Type.STRING, 3),
        THREAD_ID("thread.id", Type.INT, 2),
        KEY_HASH("keyHash", Type.INT, 1),
        BUCKET("bucket", Type.INT, 1),
        KEY("key", Type.STRING, 60),
        VALUE_CLASS("value.class", Type.STRING, 3),
        MAP_SIZE("map.size", Type.INT, 4),
        MAP_CLASS("map.class", Type.STRING, 3),
        MAP_ID("map.id", Type.STRING, 40),
        OP("op", Type.STRING, 1),
        /** the calling thread's stack, depth-capped by the probe: capture only */
        STACK("stack", null, 0);

        private final String text;
        final Type type;
        /** a rough relative cost of reading the value, used to order the operands of && and || */
        final int cost;

        Name(String text, Type type, int cost) {
            this.text = text;
            this.type = type;
            this.cost = cost;
        }

        /** The name as written in conditions, captures and the hits' JSON keys, e.g. {@code thread.name}. */
        public String text() {
            return text;
        }

        /** This name's bit in {@link Condition#mask()} and {@link Capture#mask()}. */
        public int bit() {
            return 1 << ordinal();
        }

        /** True for the integer names (read with {@link Subject#integer}), false for strings and stack. */
        public boolean isInteger() {
            return type == Type.INT;
        }

        /** True for the string names (read with {@link Subject#string}). */
        public boolean isString() {
            return type == Type.STRING;
        }

        /** The name spelt {@code text}, or null. */
        public static Name of(String text) {
            for (Name n : values()) {
                if (n.text.equals(text)) {
                    return n;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** The static types of the language. */
    enum Type {
        INT("an integer"),
        STRING("a string"),
        BOOL("a condition");

        final String article;

        Type(String article) {
            this.article = article;
        }
    }

    /** Longest key string kept: longer toString results are cut to this many chars. */
    public static final int KEY_CHARS = 200;

    private static final int MEMO = 4;

    /**
     * Character reads one regex match may make before it is abandoned (and its comparison is false): enough
     * for ordinary patterns over a 200-char key (a find tries up to 200 start positions), and a bound of well
     * under a millisecond for one that backtracks without end: {@code (.*a){12}b} makes 1.6 billion reads of
     * 30 a's, 23 s on JDK 17 (measured).
     */
    public static final int MATCH_STEPS = 100_000;

    // Raw facts: plain fields written by begin() on the owning thread only.
    private Thread thread;
    private String op;
    private Object map;
    private Object key;
    private Object value;
    private int keyHash;
    private int bucket;

    /** Bits (Name.bit()) of the derived values computed since the last begin(); 0 after begin(). */
    private int done;

    private String threadName;
    private String keyString;
    private String valueClass;
    private String mapClass;
    private String mapId;
    private int mapSize;

    // Regex memo: slot i remembers that memoPattern[i] applied to memoInput[i] (by identity) gave memoResult[i].
    private final Pattern[] memoPattern = new Pattern[MEMO];
    private final Matcher[] memoMatcher = new Matcher[MEMO];
    private final String[] memoInput = new String[MEMO];
    private final int[] memoResult = new int[MEMO];
    private int memoNext;
    private final BoundedText bounded = new BoundedText();

    /** An empty subject; call {@link #begin} before each use. */
    public Subject() {}

    /**
     * Starts a new operation: stores the raw facts and forgets the derived values of the previous one.
     * Allocates nothing.
     *
     * @param thread the thread doing the operation
     * @param op the operation's name as the user writes it, e.g. {@code "put"} (use a constant string)
     * @param map the map object
     * @param key the key object, or null when the operation has none
     * @param value the value object, or null
     * @param keyHash the map's spread hash of the key
     * @param bucket the bucket index the key falls in
     */
    public Subject begin(Thread thread, String op, Object map, Object key, Object value, int keyHash, int bucket) {
        this.thread = thread;
        this.op = op == null ? "" : op;
        this.map = map;
        this.key = key;
        this.value = value;
        this.keyHash = keyHash;
        this.bucket = bucket;
        this.done = 0;
        return this;
    }

    /** Drops the references to the last operation's objects, so that a kept subject does not keep them alive. */
    public void clear() {
        begin(null, null, null, null, null, 0, 0);
        threadName = keyString = valueClass = mapClass = mapId = null;
        for (int i = 0; i < MEMO; i++) {
            memoInput[i] = null;
        }
        bounded.reset("", 0);
    }

    public int keyHash() {
        return keyHash;
    }

    public int bucket() {
        return bucket;
    }

    public String op() {
        return op;
    }

    /** The thread's id, or -1 if {@link #begin} was given no thread. */
    public long threadId() {
        return thread == null ? -1 : thread.getId();
    }

    /** The thread's name, or {@code ""} if {@link #begin} was given no thread. */
    public String threadName() {
        if ((done & Name.THREAD_NAME.bit()) == 0) {
            threadName = thread == null ? "" : thread.getName();
            done |= Name.THREAD_NAME.bit();
        }
        return threadName;
    }

    /**
     * The key's {@code toString()}, cut to {@link #KEY_CHARS} chars; {@code "null"} for a null key; if
     * toString throws or returns null, a short description in angle brackets (the exception is not rethrown).
     */
    public String key() {
        if ((done & Name.KEY.bit()) == 0) {
            keyString = describe(key);
            done |= Name.KEY.bit();
        }
        return keyString;
    }

    /** The value's class name, or {@code "null"}. */
    public String valueClass() {
        if ((done & Name.VALUE_CLASS.bit()) == 0) {
            valueClass = value == null ? "null" : value.getClass().getName();
            done |= Name.VALUE_CLASS.bit();
        }
        return valueClass;
    }

    /** The map's class name. */
    public String mapClass() {
        if ((done & Name.MAP_CLASS.bit()) == 0) {
            mapClass = map == null ? "null" : map.getClass().getName();
            done |= Name.MAP_CLASS.bit();
        }
        return mapClass;
    }

    /** The map's id as in findings: class name, {@code @}, identity hash in hex. */
    public String mapId() {
        if ((done & Name.MAP_ID.bit()) == 0) {
            mapId = map == null
                    ? "null"
                    : map.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(map));
            done |= Name.MAP_ID.bit();
        }
        return mapId;
    }

    /** The map's {@code size()} as seen by this thread now, or -1 if it is not a {@code Map} or size() threw. */
    public int mapSize() {
        if ((done & Name.MAP_SIZE.bit()) == 0) {
            int size = -1;
            if (map instanceof Map) {
                try {
                    size = ((Map<?, ?>) map).size();
                } catch (RuntimeException e) {
                    size = -1; // a broken or concurrently corrupted map: the probe must not throw into the application
                }
            }
            mapSize = size;
            done |= Name.MAP_SIZE.bit();
        }
        return mapSize;
    }

    /** The value of an integer name (see {@link Name#isInteger()}). */
    public long integer(Name name) {
        switch (name) {
            case KEY_HASH:
                return keyHash;
            case BUCKET:
                return bucket;
            case THREAD_ID:
                return threadId();
            case MAP_SIZE:
                return mapSize();
            default:
                throw new IllegalArgumentException(name + " is not an integer name");
        }
    }

    /** The value of a string name (see {@link Name#isString()}). */
    public String string(Name name) {
        switch (name) {
            case THREAD_NAME:
                return threadName();
            case KEY:
                return key();
            case VALUE_CLASS:
                return valueClass();
            case MAP_CLASS:
                return mapClass();
            case MAP_ID:
                return mapId();
            case OP:
                return op;
            default:
                throw new IllegalArgumentException(name + " is not a string name");
        }
    }

    /**
     * Whether {@code pattern} finds a match in {@code input}: 1 yes, 0 no, -1 abandoned after {@link
     * #MATCH_STEPS} character reads (a pattern that backtracks exponentially must not hang the application's
     * thread inside its map operation). Memoised by the input's identity.
     */
    int find(Pattern pattern, String input) {
        int i = 0;
        while (i < MEMO && memoPattern[i] != pattern) {
            i++;
        }
        if (i == MEMO) {
            // A pattern this subject has not seen (or has evicted): take the next slot, round robin. This
            // allocates one Matcher per slot and pattern, so a subject serving conditions with at most 4
            // patterns allocates only on the first operations.
            i = memoNext;
            memoNext = (i + 1) % MEMO;
            memoPattern[i] = pattern;
            memoMatcher[i] = pattern.matcher(bounded);
            memoInput[i] = null;
        } else if (memoInput[i] == input) {
            return memoResult[i];
        }
        int result;
        bounded.reset(input, MATCH_STEPS);
        try {
            result = memoMatcher[i].reset(bounded).find() ? 1 : 0;
        } catch (Nodes.Undefined stepsExhausted) {
            result = -1;
        } catch (StackOverflowError deep) { // java.util.regex recurses per repetition; the map's caller may be deep
            result = -1;
        }
        memoInput[i] = input;
        memoResult[i] = result;
        return result;
    }

    /**
     * The matcher's view of the input: counts character reads and gives up (by throwing the preallocated
     * {@link Nodes.Undefined}) when a match has read more than its budget. Reused, so matching allocates nothing.
     */
    private static final class BoundedText implements CharSequence {
        private String text = "";
        private int budget;

        void reset(String text, int budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public char charAt(int index) {
            if (--budget < 0) {
                throw Nodes.Undefined.INSTANCE;
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static String describe(Object key) {
        if (key == null) {
            return "null";
        }
        String s;
        try {
            s = key.toString();
        } catch (Throwable t) { // the application's toString: never let it escape into the map operation
            return "<toString threw " + t.getClass().getName() + ">";
        }
        if (s == null) {
            return "<toString returned null>";
        }
        if (s.length() <= KEY_CHARS) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(KEY_CHARS - 1)) ? KEY_CHARS - 1 : KEY_CHARS; // keep pairs whole
        return s.substring(0, end);
    }
}
