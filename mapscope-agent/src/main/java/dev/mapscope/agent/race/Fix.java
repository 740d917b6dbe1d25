package dev.mapscope.agent.race;

import dev.mapscope.agent.boot.race.Race;
import dev.mapscope.agent.protocol.Json;

/**
 * What to replace a racy map with, chosen from what the map was seen doing ({@link Usage}), with the reason in
 * numbers and, for a hash map, a {@code mapscope bench} command line at the observed mix. A pure function of the
 * finding's kind, the map's class, the collection it backs, and the usage (null when not counted).
 */
public record Fix(String advice, String because, String bench) {
    /*
     * The first rule that applies wins, most specific first: an access-ordered LinkedHashMap (every get is a
     * write: no concurrent map keeps access order), a sorted map (only a skip list stays sorted and concurrent),
     * maps with no concurrent counterpart (WeakHashMap, IdentityHashMap), check-then-act (replacing the map alone
     * keeps the race between the check and the put), iteration during writes, then the read/write mix.
     * Read-mostly is 90% reads or more (SyncMap's measured sweet spot, docs/SAFE-MAPS.md); write-heavy is half
     * the operations or more.
     */

    /** reads per write from which a map is read-mostly */
    static final int READ_MOSTLY = 9;

    /** The advice for a finding of {@code kind} on {@code mapClass} (backing {@code backingOf}, or null). */
    public static Fix of(String kind, String mapClass, String backingOf, Usage u) {
        String set = backingOf;
        String shape = u == null ? null : shape(u);
        if (u != null && u.accessOrder) {
            return new Fix(
                    "guard the whole cache with one lock (every get reorders an access-ordered LinkedHashMap, so a"
                            + " read lock is not enough), or use a concurrent cache library such as Caffeine",
                    "an access-ordered LinkedHashMap (an LRU cache): " + shape,
                    null);
        }
        if (mapClass.equals("java.util.TreeMap")) {
            return new Fix(
                    set != null
                            ? "use a ConcurrentSkipListSet: sorted, and safe for concurrent readers and writers"
                            : "use a ConcurrentSkipListMap: sorted, and safe for concurrent readers and writers",
                    sortedReason(u, shape, set != null),
                    null);
        }
        if (mapClass.equals("java.util.WeakHashMap")) {
            return new Fix(
                    "guard every access with one lock (Collections.synchronizedMap), or use a concurrent cache with"
                            + " weak keys (Caffeine's weakKeys()); the JDK has no concurrent WeakHashMap",
                    u == null ? kindReason(kind) : shape,
                    null);
        }
        if (mapClass.equals("java.util.IdentityHashMap")) {
            return new Fix(
                    "guard every access with one lock; or a ConcurrentHashMap if the keys' equals is identity anyway",
                    u == null ? kindReason(kind) : shape,
                    null);
        }
        String concurrent = set != null ? "ConcurrentHashMap.newKeySet()" : "a ConcurrentHashMap";
        if (mapClass.equals("java.util.LinkedHashMap") && u == null) {
            return new Fix(
                    "guard every access with one lock if the insertion order matters; otherwise use " + concurrent,
                    kindReason(kind),
                    null);
        }
        if (u == null) {
            return new Fix(kindAdvice(kind, concurrent), kindReason(kind), null);
        }
        String bench = bench(u);
        if (u.checkThenAct > 0) {
            return new Fix(
                    set != null
                            ? "use ConcurrentHashMap.newKeySet() and act on add()'s result (true: the element was"
                                    + " absent), one atomic step instead of contains() then add()"
                            : "use a ConcurrentHashMap and computeIfAbsent (one atomic step instead of get or"
                                    + " containsKey, then put: with a concurrent map alone, two threads still both"
                                    + " miss and both put)",
                    u.checkThenAct + " of " + u.writes + " writes followed a miss of the same key by the same"
                            + " thread (check-then-act); " + shape,
                    bench);
        }
        if (u.iterations > 0 && u.writes > 0 && (isIteration(kind) || u.iterations * 10 >= u.reads + u.iterations)) {
            return new Fix(
                    "use " + concurrent + " (its iterators are weakly consistent: no ConcurrentModificationException,"
                            + " each entry seen at most once), or iterate a copy taken under the lock that guards the"
                            + " writes",
                    u.iterations + " iteration" + plural(u.iterations) + " while " + u.writerThreads + " thread"
                            + plural(u.writerThreads) + " wrote it; " + shape,
                    bench);
        }
        long reads = u.reads + u.iterations;
        if (reads >= READ_MOSTLY * u.writes) {
            return new Fix(
                    set != null
                            ? "use ConcurrentHashMap.newKeySet(): reads take no lock"
                            : "use a ConcurrentHashMap (reads take no lock), or mapscope's SyncMap if keys are written"
                                    + " once and then only read",
                    "read-mostly: " + shape,
                    bench);
        }
        if (u.writes >= reads) {
            return new Fix(
                    "use " + concurrent + " (writers lock only their own bin; run the bench to compare mapscope's"
                            + " ShardedMap)",
                    "write-heavy: " + shape,
                    bench);
        }
        return new Fix("use " + concurrent + " (safe for concurrent readers and writers)", "mixed: " + shape, bench);
    }

    /** "120 reads, 3 writes (98% reads) from 8 reader and 2 writer threads in 1.2 s" */
    static String shape(Usage u) {
        long total = u.reads + u.writes + u.iterations;
        StringBuilder b = new StringBuilder();
        b.append(u.reads).append(" read").append(plural(u.reads)).append(", ");
        if (u.iterations > 0) {
            b.append(u.iterations)
                    .append(" iteration")
                    .append(plural(u.iterations))
                    .append(", ");
        }
        b.append(u.writes).append(" write").append(plural(u.writes));
        if (total > 0) {
            b.append(" (").append(percent(u.reads + u.iterations, total)).append("% reads)");
        }
        b.append(" from ")
                .append(u.readerThreads)
                .append(" reader and ")
                .append(u.writerThreads)
                .append(" writer thread")
                .append(plural(u.writerThreads))
                .append(" in ")
                .append(u.millis < 1000 ? u.millis + " ms" : String.format("%.1f s", u.millis / 1000.0));
        return b.toString();
    }

    /** {@code mapscope bench --mix R/W --threads N} at the observed mix, or null when there is nothing to mix. */
    static String bench(Usage u) {
        long reads = u.reads + u.iterations;
        long total = reads + u.writes;
        if (total == 0) {
            return null;
        }
        int r = percent(reads, total);
        if (reads > 0 && u.writes > 0) {
            r = Math.max(1, Math.min(99, r)); // both kinds happened: keep both in the mix
        }
        int threads = Math.max(2, Math.max(u.readerThreads, u.writerThreads));
        return "mapscope bench --mix " + r + "/" + (100 - r) + " --threads " + threads;
    }

    private static String sortedReason(Usage u, String shape, boolean set) {
        String what = set ? "a TreeSet" : "a TreeMap";
        return u == null ? what + " (sorted): a concurrent hash map would lose its order" : what + ": " + shape;
    }

    private static boolean isIteration(String kind) {
        return kind.equals(Race.CONCURRENT_ITERATION) || kind.equals(Race.UNSYNCHRONIZED_ITERATION);
    }

    /** The advice from the kind alone (the usage was not counted). */
    private static String kindAdvice(String kind, String concurrent) {
        switch (kind) {
            case Race.CONCURRENT_READ:
            case Race.UNSYNCHRONIZED_READ:
                return "use " + concurrent + ", or take the lock that guards the writes for every read too";
            case Race.CONCURRENT_ITERATION:
            case Race.UNSYNCHRONIZED_ITERATION:
                return "use " + concurrent + " (weakly consistent iterators), or iterate a copy taken under the"
                        + " lock that guards the writes";
            case Race.UNSYNCHRONIZED:
                return "use " + concurrent + ", or guard every access with one lock (a read lock is not enough),"
                        + " or hand the map over through Thread.start/join, a BlockingQueue or a Future and stop"
                        + " writing it";
            default:
                return "use " + concurrent + ", or guard every access with one lock";
        }
    }

    /** What the kind says happened, when there are no numbers. */
    static String kindReason(String kind) {
        switch (kind) {
            case Race.CONCURRENT:
                return "two threads were inside a write at once: entries can be lost or the table corrupted";
            case Race.UNSYNCHRONIZED:
                return "two threads wrote it with no happens-before order: a write can be lost or half seen";
            case Race.CONCURRENT_READ:
                return "a read met a write in progress: it can miss a present key or loop in a damaged bin";
            case Race.UNSYNCHRONIZED_READ:
                return "a read and a write with no happens-before order: the reader can see a stale or"
                        + " half-built table";
            case Race.CONCURRENT_ITERATION:
                return "an iteration met a write in progress: ConcurrentModificationException, or entries"
                        + " skipped or seen twice";
            case Race.UNSYNCHRONIZED_ITERATION:
                return "an iteration and a write with no happens-before order: a"
                        + " ConcurrentModificationException or a stale view";
            default:
                return "reported as " + kind;
        }
    }

    private static int percent(long part, long total) {
        return (int) Math.round(100.0 * part / total);
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }

    /** The finding's {@code fix} object of AGENT-PROTOCOL.md. */
    String json() {
        return "{\"advice\":" + Json.str(advice) + ",\"because\":" + Json.str(because) + ",\"bench\":" + Json.str(bench)
                + '}';
    }
}
