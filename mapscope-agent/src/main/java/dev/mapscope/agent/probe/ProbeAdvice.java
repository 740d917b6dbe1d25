package dev.mapscope.agent.probe;

import dev.mapscope.agent.boot.probe.ProbeGate;
import dev.mapscope.agent.boot.probe.ProbeHook;
import dev.mapscope.agent.boot.race.MapWatch;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;

/**
 * The probe advice: one call into {@link ProbeGate} on entry, with the probe's slot inlined as a constant
 * ({@link Slot}), any Throwable suppressed. Each class is one method shape; the map family and the operation
 * are constants of the code passed along ({@code family << 3 | op}), so nothing here allocates.
 */
final class ProbeAdvice {
    /** HashMap, LinkedHashMap and their subclasses: the spread hash is (h ^ h >>> 16), buckets index table. */
    static final int HASH = 0;
    /** ConcurrentHashMap: spread hash (h ^ h >>> 16) & 0x7fffffff. */
    static final int CONCURRENT = 1;
    /** TreeMap: no hash table; keyHash is the key's hashCode, bucket -1. */
    static final int TREE = 2;
    /** GoMap: Go's 64-bit hash of (key, hash0); bucket = hash & (2^B - 1). */
    static final int GO = 3;

    private ProbeAdvice() {}

    /** Bound to the probe's slot number by {@code Advice.withCustomMapping()}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Slot {}

    /** HashMap.putVal(int hash, K key, V value, ...). */
    static final class HashPut {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Slot int slot,
                @Advice.This Object map,
                @Advice.Argument(0) int hash,
                @Advice.Argument(1) Object key,
                @Advice.Argument(2) Object value,
                @Advice.FieldValue("table") Object[] table) {
            ProbeGate.on(slot, HASH << 3 | ProbeHook.PUT, map, key, value, hash, table, 0L, 0);
        }
    }

    /** HashMap computeIfAbsent, compute, merge (key first): puts whose hash the map computes inside. */
    static final class HashKeyedPut {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Slot int slot,
                @Advice.This Object map,
                @Advice.Argument(0) Object key,
                @Advice.FieldValue("table") Object[] table) {
            ProbeGate.on(slot, HASH << 3 | ProbeHook.PUT, map, key, null, MapWatch.NO_HASH, table, 0L, 0);
        }
    }

    /** HashMap.getNode(Object key): get, containsKey, getOrDefault, LinkedHashMap.get. */
    static final class HashGet {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Slot int slot,
                @Advice.This Object map,
                @Advice.Argument(0) Object key,
                @Advice.FieldValue("table") Object[] table) {
            ProbeGate.on(slot, HASH << 3 | ProbeHook.GET, map, key, null, MapWatch.NO_HASH, table, 0L, 0);
        }
    }

    /** HashMap.removeNode(int hash, Object key, ...). */
    static final class HashRemove {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Slot int slot,
                @Advice.This Object map,
                @Advice.Argument(0) int hash,
                @Advice.Argument(1) Object key,
                @Advice.FieldValue("table") Object[] table) {
            ProbeGate.on(slot, HASH << 3 | ProbeHook.REMOVE, map, key, null, hash, table, 0L, 0);
        }
    }

    /** HashMap.resize(): the table before the resize. */
    static final class HashResize {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Slot int slot, @Advice.This Object map, @Advice.FieldValue("table") Object[] table) {
            ProbeGate.on(slot, HASH << 3 | ProbeHook.RESIZE, map, null, null, MapWatch.NO_HASH, table, 0L, 0);
        }
    }

    /** HashMap.clear(). */
    static final class HashClear {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Slot int slot, @Advice.This Object map, @Advice.FieldValue("table") Object[] table) {
            ProbeGate.on(slot, HASH << 3 | ProbeHook.CLEAR, map, null, null, MapWatch.NO_HASH, table, 0L, 0);
        }
    }

    /** ConcurrentHashMap.putVal(K key, V value, boolean onlyIfAbsent). */
    static final class ChmPut {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Slot int slot,
                @Advice.This Object map,
                @Advice.Argument(0) Object key,
                @Advice.Argument(1) Object value,
                @Advice.FieldValue("table") Object[] table) {
            ProbeGate.on(slot, CONCURRENT << 3 | ProbeHook.PUT, map, key, value, MapWatch.NO_HASH, table, 0L, 0);
        }
    }

    /** ConcurrentHashMap computeIfAbsent, compute, merge. */
    static final class ChmKeyedPut {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Slot int slot,
                @Advice.This Object map,
                @Advice.Argument(0) Object key,
                @Advice.FieldValue("table") Object[] table) {
            ProbeGate.on(slot, CONCURRENT << 3 | ProbeHook.PUT, map, key, null, MapWatch.NO_HASH, table, 0L, 0);
        }
    }

    /** ConcurrentHashMap.get(Object key): get, containsKey, getOrDefault. */
    static final class ChmGet {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Slot int slot,
                @Advice.This Object map,
                @Advice.Argument(0) Object key,
                @Advice.FieldValue("table") Object[] table) {
            ProbeGate.on(slot, CONCURRENT << 3 | ProbeHook.GET, map, key, null, MapWatch.NO_HASH, table, 0L, 0);
        }
    }

    /**
     * ConcurrentHashMap.replaceNode(Object key, V value, Object cv): a remove when value is null (remove(k),
     * remove(k, v)), else a replace, which counts as a put.
     */
    static final class ChmReplaceNode {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Slot int slot,
                @Advice.This Object map,
                @Advice.Argument(0) Object key,
                @Advice.Argument(1) Object value,
                @Advice.FieldValue("table") Object[] table) {
            ProbeGate.on(
                    slot,
                    CONCURRENT << 3 | (value == null ? ProbeHook.REMOVE : ProbeHook.PUT),
                    map,
                    key,
                    value,
                    MapWatch.NO_HASH,
                    table,
                    0L,
                    0);
        }
    }

    /**
     * ConcurrentHashMap.transfer(tab, nextTab): the thread that starts a resize passes nextTab == null;
     * threads that help later pass the new table and are not reported again.
     */
    static final class ChmTransfer {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Slot int slot,
                @Advice.This Object map,
                @Advice.Argument(0) Object[] tab,
                @Advice.Argument(1) Object[] nextTab) {
            if (nextTab == null) {
                ProbeGate.on(slot, CONCURRENT << 3 | ProbeHook.RESIZE, map, null, null, MapWatch.NO_HASH, tab, 0L, 0);
            }
        }
    }

    /** ConcurrentHashMap.clear(). */
    static final class ChmClear {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Slot int slot, @Advice.This Object map, @Advice.FieldValue("table") Object[] table) {
            ProbeGate.on(slot, CONCURRENT << 3 | ProbeHook.CLEAR, map, null, null, MapWatch.NO_HASH, table, 0L, 0);
        }
    }

    /** TreeMap.put(K, V, boolean): put and putIfAbsent. */
    static final class TreePut {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Slot int slot,
                @Advice.This Object map,
                @Advice.Argument(0) Object key,
                @Advice.Argument(1) Object value) {
            ProbeGate.on(slot, TREE << 3 | ProbeHook.PUT, map, key, value, MapWatch.NO_HASH, null, 0L, 0);
        }
    }

    /** TreeMap.get(Object) and containsKey(Object). */
    static final class TreeGet {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Slot int slot, @Advice.This Object map, @Advice.Argument(0) Object key) {
            ProbeGate.on(slot, TREE << 3 | ProbeHook.GET, map, key, null, MapWatch.NO_HASH, null, 0L, 0);
        }
    }

    /** TreeMap.remove(Object). */
    static final class TreeRemove {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Slot int slot, @Advice.This Object map, @Advice.Argument(0) Object key) {
            ProbeGate.on(slot, TREE << 3 | ProbeHook.REMOVE, map, key, null, MapWatch.NO_HASH, null, 0L, 0);
        }
    }

    static final class TreeClear {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Slot int slot, @Advice.This Object map) {
            ProbeGate.on(slot, TREE << 3 | ProbeHook.CLEAR, map, null, null, MapWatch.NO_HASH, null, 0L, 0);
        }
    }

    /** GoMap.mapassign(key, elem, mode): put, putIfAbsent, replace, putAll, replaceAll. */
    static final class GoPut {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Slot int slot,
                @Advice.This Object map,
                @Advice.Argument(0) Object key,
                @Advice.Argument(1) Object value,
                @Advice.FieldValue("hash0") long seed,
                @Advice.FieldValue("B") int b) {
            ProbeGate.on(slot, GO << 3 | ProbeHook.PUT, map, key, value, MapWatch.NO_HASH, null, seed, b);
        }
    }

    /** GoMap.mapaccess2(key): get, getOrDefault, containsKey. */
    static final class GoGet {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Slot int slot,
                @Advice.This Object map,
                @Advice.Argument(0) Object key,
                @Advice.FieldValue("hash0") long seed,
                @Advice.FieldValue("B") int b) {
            ProbeGate.on(slot, GO << 3 | ProbeHook.GET, map, key, null, MapWatch.NO_HASH, null, seed, b);
        }
    }

    /** GoMap.mapdelete(key, matchElem, elem). */
    static final class GoRemove {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Slot int slot,
                @Advice.This Object map,
                @Advice.Argument(0) Object key,
                @Advice.FieldValue("hash0") long seed,
                @Advice.FieldValue("B") int b) {
            ProbeGate.on(slot, GO << 3 | ProbeHook.REMOVE, map, key, null, MapWatch.NO_HASH, null, seed, b);
        }
    }

    /** GoMap.hashGrow(): B before the growth. */
    static final class GoGrow {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Slot int slot, @Advice.This Object map, @Advice.FieldValue("B") int b) {
            ProbeGate.on(slot, GO << 3 | ProbeHook.RESIZE, map, null, null, MapWatch.NO_HASH, null, 0L, b);
        }
    }

    /** GoMap.mapclear(). */
    static final class GoClear {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Slot int slot, @Advice.This Object map, @Advice.FieldValue("B") int b) {
            ProbeGate.on(slot, GO << 3 | ProbeHook.CLEAR, map, null, null, MapWatch.NO_HASH, null, 0L, b);
        }
    }
}
