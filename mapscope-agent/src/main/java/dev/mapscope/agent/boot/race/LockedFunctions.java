package dev.mapscope.agent.boot.race;

import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The function a {@code ConcurrentHashMap}'s {@code compute}, {@code computeIfAbsent}, {@code computeIfPresent} or
 * {@code merge} runs while it holds the key's bin lock, wrapped so that tier 2 sees that lock. The lock is taken
 * inside java.base, which the rewrite does not reach, so advice on those methods replaces the caller's function
 * with one of these: an acquire on the map just before the function runs and a release just after it returns or
 * throws, both under the bin lock. A value changed inside the function (a list appended to, a map of counts
 * merged into) is then ordered after every function the map ran before and before every one it runs after, as
 * the lock orders them. One clock per map, as for the map's other edges: functions on different keys are ordered
 * too, which can hide a race between them, never invent one.
 */
public final class LockedFunctions {
    private LockedFunctions() {}

    /**
     * The function to pass on: {@code f} wrapped (a Function or BiFunction, as {@code f} is), or {@code f} itself
     * when it is null (the map's own check throws) or wrapped already.
     */
    public static Object wrap(Object map, Object f) {
        if (f instanceof BiFunction && !(f instanceof Bi)) {
            @SuppressWarnings("unchecked")
            BiFunction<Object, Object, Object> bf = (BiFunction<Object, Object, Object>) f;
            return new Bi(map, bf);
        }
        if (f instanceof Function && !(f instanceof Fn)) {
            @SuppressWarnings("unchecked")
            Function<Object, Object> uf = (Function<Object, Object>) f;
            return new Fn(map, uf);
        }
        return f;
    }

    static void before(Object map) {
        try {
            MapWatch.acquired(map, false);
        } catch (Throwable e) {
            // never into the application
        }
    }

    static void after(Object map) {
        try {
            MapWatch.released(map, false);
        } catch (Throwable e) {
            // never into the application
        }
    }

    /** computeIfAbsent's mapping function. */
    public static final class Fn implements Function<Object, Object> {
        private final Object map;
        private final Function<Object, Object> f;

        Fn(Object map, Function<Object, Object> f) {
            this.map = map;
            this.f = f;
        }

        @Override
        public Object apply(Object key) {
            before(map);
            try {
                return f.apply(key);
            } finally {
                after(map);
            }
        }
    }

    /** compute's, computeIfPresent's and merge's remapping function. */
    public static final class Bi implements BiFunction<Object, Object, Object> {
        private final Object map;
        private final BiFunction<Object, Object, Object> f;

        Bi(Object map, BiFunction<Object, Object, Object> f) {
            this.map = map;
            this.f = f;
        }

        @Override
        public Object apply(Object key, Object value) {
            before(map);
            try {
                return f.apply(key, value);
            } finally {
                after(map);
            }
        }
    }
}
