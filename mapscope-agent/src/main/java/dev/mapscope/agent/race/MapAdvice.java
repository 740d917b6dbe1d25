package dev.mapscope.agent.race;

import dev.mapscope.agent.boot.race.MapWatch;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into the mutating methods of the JDK maps. Each makes one call into {@link MapWatch} on
 * entry and one on exit, and suppresses any Throwable: nothing the agent does can throw into the map.
 * Nothing here allocates: the operation name is a constant ({@code #m}), the table a field read.
 */
final class MapAdvice {
    private MapAdvice() {}

    /** HashMap.putVal(int hash, K key, ...) and removeNode(int hash, Object key, ...): the hash is given. */
    static final class HashedWrite {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(
                @Advice.This Object map,
                @Advice.Origin("#m") String op,
                @Advice.Argument(0) int hash,
                @Advice.Argument(1) Object key,
                @Advice.FieldValue("table") Object[] table) {
            return MapWatch.enter(map, op, key, hash, table);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @Advice.This Object map,
                @Advice.Origin("#m") String op,
                @Advice.Enter Object token,
                @Advice.FieldValue("table") Object[] table) {
            MapWatch.exit(map, op, token, table);
        }
    }

    /** HashMap compute*, merge, replace: the key is the first argument. */
    static final class KeyedHashWrite {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(
                @Advice.This Object map,
                @Advice.Origin("#m") String op,
                @Advice.Argument(0) Object key,
                @Advice.FieldValue("table") Object[] table) {
            return MapWatch.enter(map, op, key, MapWatch.NO_HASH, table);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @Advice.This Object map,
                @Advice.Origin("#m") String op,
                @Advice.Enter Object token,
                @Advice.FieldValue("table") Object[] table) {
            MapWatch.exit(map, op, token, table);
        }
    }

    /** HashMap clear, resize, replaceAll; LinkedHashMap afterNodeAccess: no key. */
    static final class HashWrite {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(
                @Advice.This Object map, @Advice.Origin("#m") String op, @Advice.FieldValue("table") Object[] table) {
            return MapWatch.enter(map, op, null, MapWatch.NO_HASH, table);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @Advice.This Object map,
                @Advice.Origin("#m") String op,
                @Advice.Enter Object token,
                @Advice.FieldValue("table") Object[] table) {
            MapWatch.exit(map, op, token, table);
        }
    }

    /** TreeMap, WeakHashMap, IdentityHashMap operations whose first argument is the key. */
    static final class KeyedWrite {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object map, @Advice.Origin("#m") String op, @Advice.Argument(0) Object key) {
            return MapWatch.enter(map, op, key, MapWatch.NO_HASH, null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object map, @Advice.Origin("#m") String op, @Advice.Enter Object token) {
            MapWatch.exit(map, op, token, null);
        }
    }

    /** Any other mutating operation: no key, no table. */
    static final class Write {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object map, @Advice.Origin("#m") String op) {
            return MapWatch.enter(map, op, null, MapWatch.NO_HASH, null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object map, @Advice.Origin("#m") String op, @Advice.Enter Object token) {
            MapWatch.exit(map, op, token, null);
        }
    }
}
