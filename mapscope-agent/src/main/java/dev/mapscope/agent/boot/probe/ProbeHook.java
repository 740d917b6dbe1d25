package dev.mapscope.agent.boot.probe;

import dev.mapscope.agent.boot.race.MapWatch;

/**
 * One armed probe as the inlined probe advice sees it: which maps and operations it wants, and where a hit
 * goes. Bootstrap-visible; the agent's tooling part extends it (the hit path lives there).
 */
public abstract class ProbeHook {
    /*
     * The selector is checked here, in final fields of a bootstrap class, so that an operation on a map the
     * probe does not select costs one field load and one reference comparison after the slot load:
     *   ANY       every map of the advised classes;
     *   INSTANCE  one map (id: and field: selectors resolve to the object when the probe is armed);
     *   CLASS     maps whose exact class has the given name (or simple name). The answer for the last
     *             matching and the last non-matching class is cached in two plain fields: a benign race,
     *             since a stale cache entry only sends the check down the name comparison again.
     */
    public static final int ANY = 0;
    public static final int INSTANCE = 1;
    public static final int CLASS = 2;

    /** operation codes, also the low 3 bits of the code the advice passes */
    public static final int PUT = 0;

    public static final int GET = 1;
    public static final int REMOVE = 2;
    public static final int RESIZE = 3;
    public static final int CLEAR = 4;

    private final int select;
    /** the one map of an INSTANCE selector; held strongly while the probe is armed */
    private final Object target;

    private final String className;
    /** bit (1 << op) for each operation the probe asked for */
    private final int ops;

    private Class<?> yes;
    private Class<?> no;

    protected ProbeHook(int ops, int select, Object target, String className) {
        this.ops = ops;
        this.select = select;
        this.target = target;
        this.className = className;
    }

    /** True if this probe wants operation {@code op} on {@code map}. Allocates nothing. */
    final boolean wants(int op, Object map) {
        if ((ops & (1 << op)) == 0) {
            return false;
        }
        if (select == INSTANCE) {
            return map == target;
        }
        if (select == ANY) {
            return true;
        }
        Class<?> c = map.getClass();
        if (c == yes) {
            return true;
        }
        if (c == no) {
            return false;
        }
        boolean match = c.getName().equals(className) || c.getSimpleName().equals(className);
        if (match) {
            yes = c; // plain store: a benign race (see above)
        } else {
            no = c;
        }
        return match;
    }

    /**
     * A wanted operation. {@code code} is {@code family << 3 | op}; {@code hash} is the map's spread hash when
     * the advised method has it ({@link MapWatch#NO_HASH} otherwise); {@code table} the hash table when the
     * map has one; {@code seed} and {@code b} GoMap's hash0 and B. Must not throw.
     */
    public abstract void hit(
            int code, Object map, Object key, Object value, int hash, Object[] table, long seed, int b);
}
