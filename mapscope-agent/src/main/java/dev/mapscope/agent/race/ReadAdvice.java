package dev.mapscope.agent.race;

import dev.mapscope.agent.boot.race.MapWatch;
import net.bytebuddy.asm.Advice;

/**
 * Advice inlined into the JDK maps' lookups and iterations (Go's "concurrent map read and map write" and
 * "concurrent map iteration and map write"). Each makes one call into {@link MapWatch} and suppresses any
 * Throwable. Nothing here allocates: the operation name is a constant ({@code #m}), the map and table are
 * field reads ({@code this$0} is the map of an inner iterator or view, {@code map}/{@code tree} that of a
 * spliterator).
 */
final class ReadAdvice {
    /*
     * Where the hooks are, and why there (the same methods on JDK 17 and 25):
     *   - lookups at their exit, where the result says hit or miss: HashMap.getNode (get, getOrDefault,
     *     containsKey, HashSet.contains, LinkedHashMap.get), containsValue; TreeMap.getEntry and the
     *     navigation getters (get, containsKey, ceiling/floor/higher/lower, first/last); WeakHashMap and
     *     IdentityHashMap get/containsKey/containsValue.
     *   - an iteration's start, once per iteration: the constructors of the maps' iterator base classes
     *     (HashIterator, LinkedHashIterator, TreeMap.PrivateEntryIterator, WeakHashMap.HashIterator,
     *     IdentityHashMapIterator: what every view's iterator, AbstractMap.toString/hashCode/equals, putAll
     *     and the copy constructors use) and of their spliterator base classes (streams), forEach of the maps
     *     and of HashMap's and LinkedHashMap's views, HashMap's keysToArray/valuesToArray (toArray, new
     *     ArrayList<>(map.keySet())).
     *   - each step, tier 1 only: nextNode/nextEntry/prevEntry/nextIndex, tryAdvance and forEachRemaining,
     *     and the end of a forEach (a write that began during the loop and is still running).
     * Not hooked: TreeMap's sub-map iterators (their map is a field of the sub-map), LinkedHashMap's
     * sequenced views' extra methods, Map.Entry.getValue on a node.
     */
    private ReadAdvice() {}

    /** HashMap.getNode(Object key): the table is the map's, the result says hit or miss. */
    static final class HashLookup {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(
                @Advice.This Object map,
                @Advice.Origin("#m") String op,
                @Advice.Argument(0) Object key,
                @Advice.Return Object node,
                @Advice.FieldValue("table") Object[] table) {
            MapWatch.read(map, op, key, node != null, table);
        }
    }

    /** WeakHashMap get/getEntry, IdentityHashMap get: the key first, a table, a result (null: a miss). */
    static final class TableLookup {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(
                @Advice.This Object map,
                @Advice.Origin("#m") String op,
                @Advice.Argument(0) Object key,
                @Advice.Return Object result,
                @Advice.FieldValue("table") Object[] table) {
            MapWatch.read(map, op, key, result != null, table);
        }
    }

    /** IdentityHashMap.containsKey. */
    static final class TableContains {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(
                @Advice.This Object map,
                @Advice.Origin("#m") String op,
                @Advice.Argument(0) Object key,
                @Advice.Return boolean found,
                @Advice.FieldValue("table") Object[] table) {
            MapWatch.read(map, op, key, found, table);
        }
    }

    /** TreeMap.getEntry and the navigation getters with a key. */
    static final class KeyedLookup {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(
                @Advice.This Object map,
                @Advice.Origin("#m") String op,
                @Advice.Argument(0) Object key,
                @Advice.Return Object entry) {
            MapWatch.read(map, op, key, entry != null, null);
        }
    }

    /** containsValue, TreeMap getFirstEntry/getLastEntry: a read with no key. */
    static final class Lookup {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object map, @Advice.Origin("#m") String op) {
            MapWatch.read(map, op, null, true, null);
        }
    }

    /** The end of an iterator's constructor (inner class of the map: {@code this$0}). */
    static final class IteratorMade {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("this$0") Object map) {
            MapWatch.iterationStarts(map, "iterator", null);
        }
    }

    /** The end of a spliterator's constructor (HashMap, WeakHashMap, IdentityHashMap: field {@code map}). */
    static final class SpliteratorMade {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("map") Object map) {
            MapWatch.iterationStarts(map, "spliterator", null);
        }
    }

    /** The end of a TreeMap spliterator's constructor (field {@code tree}). */
    static final class TreeSpliteratorMade {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("tree") Object map) {
            MapWatch.iterationStarts(map, "spliterator", null);
        }
    }

    /** A map's forEach, keysToArray, valuesToArray: an iteration starts here and is checked again at its end. */
    static final class MapLoop {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object map, @Advice.Origin("#m") String op) {
            MapWatch.iterationStarts(map, op, null);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object map, @Advice.Origin("#m") String op) {
            MapWatch.iterationStep(map, op);
        }
    }

    /** A view's forEach (inner class of the map: {@code this$0}). */
    static final class ViewLoop {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("this$0") Object map, @Advice.Origin("#m") String op) {
            MapWatch.iterationStarts(map, op, null);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("this$0") Object map, @Advice.Origin("#m") String op) {
            MapWatch.iterationStep(map, op);
        }
    }

    /** An iterator's step (inner class of the map: {@code this$0}). */
    static final class IteratorStep {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("this$0") Object map, @Advice.Origin("#m") String op) {
            MapWatch.iterationStep(map, op);
        }
    }

    /** A spliterator's tryAdvance or forEachRemaining (field {@code map}), checked on entry and exit. */
    static final class SpliteratorStep {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("map") Object map, @Advice.Origin("#m") String op) {
            MapWatch.iterationStep(map, op);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("map") Object map, @Advice.Origin("#m") String op) {
            MapWatch.iterationStep(map, op);
        }
    }

    /** A TreeMap spliterator's tryAdvance or forEachRemaining (field {@code tree}). */
    static final class TreeSpliteratorStep {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("tree") Object map, @Advice.Origin("#m") String op) {
            MapWatch.iterationStep(map, op);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("tree") Object map, @Advice.Origin("#m") String op) {
            MapWatch.iterationStep(map, op);
        }
    }
}
