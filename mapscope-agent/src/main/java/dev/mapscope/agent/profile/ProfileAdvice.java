package dev.mapscope.agent.profile;

import dev.mapscope.agent.boot.profile.ProfileGate;
import net.bytebuddy.asm.Advice;

/**
 * Advice of the map profile, inlined while a profile runs (ProfileInstaller). Each makes one call into
 * {@link ProfileGate} and suppresses any Throwable. Nothing here allocates: kinds are constants, capacities
 * field reads.
 */
final class ProfileAdvice {
    private ProfileAdvice() {}

    /** HashMap.getNode(Object key): every get, containsKey, getOrDefault of HashMap and LinkedHashMap. */
    static final class HashRead {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Advice.This Object map, @Advice.Argument(0) Object key, @Advice.FieldValue("table") Object[] table) {
            ProfileGate.read(map, ProfileGate.HASH_MAP, key, 0L, table == null ? 0 : table.length);
        }
    }

    /** HashMap.putVal(int hash, K key, ...). */
    static final class HashPut {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Advice.This Object map,
                @Advice.Argument(0) int hash,
                @Advice.Argument(1) Object key,
                @Advice.FieldValue("table") Object[] table) {
            ProfileGate.write(
                    map, ProfileGate.HASH_MAP, ProfileGate.PUT, key, hash, 0L, table == null ? 0 : table.length);
        }
    }

    /** HashMap.removeNode(int hash, Object key, ...). */
    static final class HashRemove {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Advice.This Object map,
                @Advice.Argument(0) int hash,
                @Advice.Argument(1) Object key,
                @Advice.FieldValue("table") Object[] table) {
            ProfileGate.write(
                    map, ProfileGate.HASH_MAP, ProfileGate.REMOVE, key, hash, 0L, table == null ? 0 : table.length);
        }
    }

    /** HashMap.clear(), ConcurrentHashMap.clear(). */
    static final class Clear {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object map, @Advice.FieldValue("table") Object[] table) {
            int family = map instanceof java.util.HashMap ? ProfileGate.HASH_MAP : ProfileGate.CONCURRENT;
            ProfileGate.write(
                    map, family, ProfileGate.CLEAR, null, ProfileGate.NO_HASH, 0L, table == null ? 0 : table.length);
        }
    }

    /** HashMap.resize(): a doubling when there was a table (the first allocation is not reported). */
    static final class HashResize {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@Advice.FieldValue("table") Object[] table, @Advice.Local("oldCapacity") int oldCapacity) {
            if (table == null) {
                return 0L;
            }
            oldCapacity = table.length;
            return ProfileGate.begin();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @Advice.This Object map,
                @Advice.Enter long start,
                @Advice.Local("oldCapacity") int oldCapacity,
                @Advice.FieldValue("table") Object[] table) {
            if (start != 0L) {
                ProfileGate.resized(
                        map, ProfileGate.HASH_MAP_RESIZE, oldCapacity, table == null ? 0 : table.length, start);
            }
        }
    }

    /** ConcurrentHashMap.get(Object key). */
    static final class ConcurrentRead {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Advice.This Object map, @Advice.Argument(0) Object key, @Advice.FieldValue("table") Object[] table) {
            ProfileGate.read(map, ProfileGate.CONCURRENT, key, 0L, table == null ? 0 : table.length);
        }
    }

    /** ConcurrentHashMap.putVal(K key, V value, boolean onlyIfAbsent). */
    static final class ConcurrentPut {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Advice.This Object map, @Advice.Argument(0) Object key, @Advice.FieldValue("table") Object[] table) {
            ProfileGate.write(
                    map,
                    ProfileGate.CONCURRENT,
                    ProfileGate.PUT,
                    key,
                    ProfileGate.NO_HASH,
                    0L,
                    table == null ? 0 : table.length);
        }
    }

    /** ConcurrentHashMap.replaceNode(Object key, V value, Object cv): remove when value is null, else replace. */
    static final class ConcurrentReplace {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Advice.This Object map,
                @Advice.Argument(0) Object key,
                @Advice.Argument(1) Object value,
                @Advice.FieldValue("table") Object[] table) {
            ProfileGate.write(
                    map,
                    ProfileGate.CONCURRENT,
                    value == null ? ProfileGate.REMOVE : ProfileGate.PUT,
                    key,
                    ProfileGate.NO_HASH,
                    0L,
                    table == null ? 0 : table.length);
        }
    }

    /**
     * ConcurrentHashMap.transfer(tab, nextTab): the thread that starts a resize passes nextTab null; threads
     * that help pass the new table and are not reported. The duration is the starting thread's share.
     */
    static final class ConcurrentTransfer {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(
                @Advice.Argument(0) Object[] tab,
                @Advice.Argument(1) Object[] nextTab,
                @Advice.Local("oldCapacity") int oldCapacity) {
            if (nextTab != null || tab == null) {
                return 0L;
            }
            oldCapacity = tab.length;
            return ProfileGate.begin();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @Advice.This Object map, @Advice.Enter long start, @Advice.Local("oldCapacity") int oldCapacity) {
            if (start != 0L) {
                ProfileGate.resized(map, ProfileGate.CHM_TRANSFER, oldCapacity, oldCapacity << 1, start);
            }
        }
    }

    /** GoMap.mapaccess2(Object key): get, containsKey, getOrDefault. */
    static final class GoRead {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Advice.This Object map,
                @Advice.Argument(0) Object key,
                @Advice.FieldValue("hash0") long seed,
                @Advice.FieldValue("B") int b) {
            ProfileGate.read(map, ProfileGate.GO_MAP, key, seed, 1 << b);
        }
    }

    /** GoMap.assignLocked(key, elem, mode, long hash): every insert and overwrite, inside hashWriting. */
    static final class GoPut {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Advice.This Object map,
                @Advice.Argument(0) Object key,
                @Advice.Argument(3) long hash,
                @Advice.FieldValue("B") int b) {
            ProfileGate.write(map, ProfileGate.GO_MAP, ProfileGate.PUT, key, hash, 0L, 1 << b);
        }
    }

    /** GoMap.deleteLocked(key, matchElem, elem, long hash). */
    static final class GoRemove {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Advice.This Object map,
                @Advice.Argument(0) Object key,
                @Advice.Argument(3) long hash,
                @Advice.FieldValue("B") int b) {
            ProfileGate.write(map, ProfileGate.GO_MAP, ProfileGate.REMOVE, key, hash, 0L, 1 << b);
        }
    }

    /** GoMap.mapclear(). */
    static final class GoClear {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object map, @Advice.FieldValue("B") int b) {
            ProfileGate.write(map, ProfileGate.GO_MAP, ProfileGate.CLEAR, null, ProfileGate.NO_HASH, 0L, 1 << b);
        }
    }

    /** GoMap.hashGrow(): the growth starts (2^oldB to 2^B buckets, or the same size). */
    static final class GoGrow {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@Advice.FieldValue("B") int b, @Advice.Local("oldB") int oldB) {
            oldB = b;
            return ProfileGate.begin();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @Advice.This Object map,
                @Advice.Enter long start,
                @Advice.Local("oldB") int oldB,
                @Advice.FieldValue("B") int b) {
            ProfileGate.resized(map, ProfileGate.GO_GROW, 1 << oldB, 1 << b, start);
        }
    }

    /** GoMap.evacuate(int oldbucket): one old bucket (with its overflow chain) moved, incrementally. */
    static final class GoEvacuate {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return ProfileGate.begin();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @Advice.This Object map,
                @Advice.Enter long start,
                @Advice.Argument(0) int oldbucket,
                @Advice.FieldValue("B") int b) {
            ProfileGate.resized(map, ProfileGate.GO_EVACUATE, oldbucket, 1 << b, start);
        }
    }

    /** GoMap.advanceEvacuationMark(newbit): the growth is done when it has dropped oldbuckets. */
    static final class GoGrowDone {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return ProfileGate.begin();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(
                @Advice.This Object map,
                @Advice.Enter long start,
                @Advice.Argument(0) int newbit,
                @Advice.FieldValue("oldbuckets") Object oldbuckets,
                @Advice.FieldValue("B") int b) {
            if (oldbuckets == null) {
                ProfileGate.resized(map, ProfileGate.GO_GROW_DONE, newbit, 1 << b, start);
            }
        }
    }
}
