package dev.mapscope.agent.probe;

import dev.mapscope.agent.protocol.AtomicFiles;
import dev.mapscope.agent.protocol.Json;
import dev.mapscope.agent.protocol.MapRegistry;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code inspect}: a snapshot of a live map's table (per bucket the chain length, tree bins, empties; for
 * GoMap the tophash bytes, overflow chains and growth state), read without modifying the map or blocking its
 * users, written as ID.json.
 */
final class Inspector {
    /*
     * No lock is taken and nothing is written: the table and its nodes are read with plain (reflective)
     * loads while the application goes on. A chain walk stops after MAX_CHAIN nodes, so a chain that a racing
     * writer has turned into a cycle (it happens to racy HashMaps) cannot hold the reader. Before and after
     * the walk the reader compares what a writer changes (HashMap: modCount and the table; ConcurrentHashMap:
     * the table, its size and no ForwardingNode seen; GoMap: count, B, nevacuate and the bucket array): if
     * anything moved, it reads again, up to RETRIES times, and otherwise reports "consistent":false.
     */
    static final int RETRIES = 3;
    static final int MAX_CHAIN = 1 << 16;
    /** GoMap tophash bytes are written for maps of at most this many buckets (the JSON stays readable). */
    static final int MAX_TOPHASH_BUCKETS = 4096;

    private Inspector() {}

    static String unknownId(String id) {
        return "no map with id " + id
                + " is known to the agent: ids come from findings, profiles or probes of this session";
    }

    static void request(Instrumentation inst, Path dir, String id, String args) {
        Map<String, String> kv = ProbeRequest.pairs(args);
        String field = null;
        String mapId = null;
        for (Map.Entry<String, String> e : kv.entrySet()) {
            switch (e.getKey()) {
                case "field":
                    field = e.getValue();
                    break;
                case "map":
                    mapId = e.getValue();
                    break;
                default:
                    throw new IllegalArgumentException(
                            "inspect has no argument " + e.getKey() + " (in " + e.getKey() + "=" + e.getValue() + ")");
            }
        }
        if ((field == null) == (mapId == null)) {
            throw new IllegalArgumentException(
                    "inspect needs exactly one of field=CLASS.STATICFIELD[.FIELD...] and map=MAPID");
        }
        Object map;
        if (field != null) {
            map = FieldPath.resolve(inst, field, "field=" + field);
            if (!(map instanceof Map)) {
                throw new IllegalArgumentException(
                        "field " + field + " holds a " + map.getClass().getName() + ", not a map");
            }
        } else {
            map = MapRegistry.find(mapId);
            if (map == null) {
                throw new IllegalArgumentException(unknownId(mapId));
            }
        }
        int family = Probes.family(map.getClass());
        if (family < 0 || family == ProbeAdvice.TREE) {
            throw new IllegalArgumentException("inspect reads the tables of HashMap, LinkedHashMap, ConcurrentHashMap"
                    + " and GoMap; " + (field != null ? "field " + field : "map " + mapId) + " holds a "
                    + map.getClass().getName());
        }
        MapRegistry.remember(map);
        String json = inspect(inst, map, family);
        AtomicFiles.write(dir.resolve(id + ".json"), json);
        AtomicFiles.write(dir.resolve(id + ".done"), "{}\n");
    }

    /** Reads {@code map} and returns the JSON object of ID.json. */
    static String inspect(Instrumentation inst, Object map, int family) {
        try {
            switch (family) {
                case ProbeAdvice.HASH:
                    return new HashRead(inst, map).run();
                case ProbeAdvice.CONCURRENT:
                    return new ConcurrentRead(inst, map).run();
                default:
                    return new GoRead(inst, map).run();
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the table of " + MapRegistry.id(map) + " could not be read: " + e);
        }
    }

    static Field field(Instrumentation inst, Class<?> c, String name) throws NoSuchFieldException {
        Field f = c.getDeclaredField(name);
        FieldPath.open(inst, f);
        return f;
    }

    /** The common part of a snapshot: per-bucket counts and the summary fields. */
    abstract static class Read {
        final Instrumentation inst;
        final Object map;
        int[] chains = new int[0];
        List<Integer> trees = new ArrayList<>();
        boolean consistent;
        int retries;
        long size;
        long capacity;
        long threshold;

        Read(Instrumentation inst, Object map) {
            this.inst = inst;
            this.map = map;
        }

        /** One attempt; returns true if nothing moved while reading. */
        abstract boolean attempt() throws ReflectiveOperationException;

        abstract String kind();

        void extra(StringBuilder b) throws ReflectiveOperationException {}

        String run() throws ReflectiveOperationException {
            long t0 = System.nanoTime();
            for (retries = 0; ; retries++) {
                trees = new ArrayList<>();
                consistent = attempt();
                if (consistent || retries == RETRIES) {
                    break;
                }
                Thread.onSpinWait();
            }
            long readNanos = System.nanoTime() - t0;
            StringBuilder b = new StringBuilder(64 + chains.length * 3);
            Json.str(b.append("{\"map\":"), MapRegistry.id(map));
            Json.str(b.append(",\"class\":"), map.getClass().getName());
            Json.str(b.append(",\"kind\":"), kind());
            b.append(",\"size\":")
                    .append(size)
                    .append(",\"capacity\":")
                    .append(capacity)
                    .append(",\"threshold\":")
                    .append(threshold)
                    .append(",\"chains\":[");
            int empty = 0;
            int longest = 0;
            for (int i = 0; i < chains.length; i++) {
                b.append(i == 0 ? "" : ",").append(chains[i]);
                if (chains[i] == 0) {
                    empty++;
                }
                longest = Math.max(longest, chains[i]);
            }
            b.append("],\"trees\":[");
            for (int i = 0; i < trees.size(); i++) {
                b.append(i == 0 ? "" : ",").append(trees.get(i));
            }
            b.append("],\"empty\":").append(empty).append(",\"longest\":").append(longest);
            extra(b);
            b.append(",\"consistent\":")
                    .append(consistent)
                    .append(",\"retries\":")
                    .append(retries)
                    .append(",\"readNanos\":")
                    .append(readNanos)
                    .append("}\n");
            return b.toString();
        }
    }

    /** HashMap and LinkedHashMap: chains of Node through next; a bin whose first node is a TreeNode is a tree. */
    static final class HashRead extends Read {
        private final Field table;
        private final Field modCount;
        private final Field sizeField;
        private final Field thresholdField;
        private final Field next;

        HashRead(Instrumentation inst, Object map) throws ReflectiveOperationException {
            super(inst, map);
            table = field(inst, java.util.HashMap.class, "table");
            modCount = field(inst, java.util.HashMap.class, "modCount");
            sizeField = field(inst, java.util.HashMap.class, "size");
            thresholdField = field(inst, java.util.HashMap.class, "threshold");
            next = field(inst, Class.forName("java.util.HashMap$Node", false, null), "next");
        }

        @Override
        String kind() {
            return trees.isEmpty() ? "hash" : "tree-bins";
        }

        @Override
        boolean attempt() throws ReflectiveOperationException {
            int mc0 = modCount.getInt(map);
            Object[] tab = (Object[]) table.get(map);
            size = sizeField.getInt(map);
            threshold = thresholdField.getInt(map);
            capacity = tab == null ? 0 : tab.length;
            chains = new int[tab == null ? 0 : tab.length];
            boolean ok = true;
            for (int i = 0; i < chains.length; i++) {
                Object e = tab[i];
                if (e == null) {
                    continue;
                }
                if (e.getClass().getName().equals("java.util.HashMap$TreeNode")) {
                    trees.add(i);
                }
                int n = 0;
                for (; e != null && n < MAX_CHAIN; e = next.get(e)) {
                    n++;
                }
                if (e != null) {
                    ok = false; // a cycle, or a chain still growing: unread
                    n = -1;
                }
                chains[i] = n;
            }
            return ok && modCount.getInt(map) == mc0 && table.get(map) == tab;
        }
    }

    /** ConcurrentHashMap: Node chains, TreeBin (hash -2) through its first TreeNode, ForwardingNode (-1). */
    static final class ConcurrentRead extends Read {
        static final int MOVED = -1;
        static final int TREEBIN = -2;
        private final Field table;
        private final Field sizeCtl;
        private final Field next;
        private final Field hash;
        private Field first;
        private boolean resizing;

        ConcurrentRead(Instrumentation inst, Object map) throws ReflectiveOperationException {
            super(inst, map);
            Class<?> chm = java.util.concurrent.ConcurrentHashMap.class;
            Class<?> node = Class.forName("java.util.concurrent.ConcurrentHashMap$Node", false, null);
            table = field(inst, chm, "table");
            sizeCtl = field(inst, chm, "sizeCtl");
            next = field(inst, node, "next");
            hash = field(inst, node, "hash");
        }

        @Override
        String kind() {
            return "concurrent";
        }

        @Override
        boolean attempt() throws ReflectiveOperationException {
            Object[] tab = (Object[]) table.get(map);
            long size0 = ((Map<?, ?>) map).size();
            int sc = sizeCtl.getInt(map);
            size = size0;
            threshold = sc > 0 ? sc : 0;
            capacity = tab == null ? 0 : tab.length;
            chains = new int[tab == null ? 0 : tab.length];
            resizing = false;
            boolean ok = true;
            for (int i = 0; i < chains.length; i++) {
                Object e = tab[i];
                if (e == null) {
                    continue;
                }
                int h = hash.getInt(e);
                if (h == MOVED) {
                    resizing = true; // this bin already moved to the next table
                    chains[i] = -1;
                    ok = false;
                    continue;
                }
                if (h == TREEBIN) {
                    if (first == null) {
                        first = field(inst, e.getClass(), "first");
                    }
                    trees.add(i);
                    e = first.get(e);
                }
                int n = 0;
                for (; e != null && n < MAX_CHAIN; e = next.get(e)) {
                    if (hash.getInt(e) >= 0) {
                        n++;
                    }
                }
                if (e != null) {
                    ok = false;
                    n = -1;
                }
                chains[i] = n;
            }
            return ok && table.get(map) == tab && ((Map<?, ?>) map).size() == size0;
        }

        @Override
        void extra(StringBuilder b) {
            b.append(",\"resizing\":").append(resizing);
        }
    }

    /** GoMap: its own snapshot() (tophash bytes of every chain), checked against the header before and after. */
    static final class GoRead extends Read {
        private final Field count;
        private final Field bField;
        private final Field nevacuate;
        private final Field buckets;
        private final Method snapshot;
        private Object snap;

        GoRead(Instrumentation inst, Object map) throws ReflectiveOperationException {
            super(inst, map);
            Class<?> c = map.getClass();
            while (!c.getName().equals(ProbeInstaller.GO_MAP)) {
                c = c.getSuperclass();
            }
            count = field(inst, c, "count");
            bField = field(inst, c, "B");
            nevacuate = field(inst, c, "nevacuate");
            buckets = field(inst, c, "buckets");
            snapshot = c.getMethod("snapshot");
        }

        @Override
        String kind() {
            return "gomap";
        }

        @Override
        boolean attempt() throws ReflectiveOperationException {
            int c0 = count.getInt(map);
            int b0 = bField.getInt(map);
            int n0 = nevacuate.getInt(map);
            Object t0 = buckets.get(map);
            Object s;
            try {
                s = snapshot.invoke(map);
            } catch (java.lang.reflect.InvocationTargetException e) {
                return false; // a write in progress (ConcurrentMapError) or arrays replaced under the copy
            }
            snap = s;
            size = c0;
            capacity = 1L << b0;
            threshold = 13L * (1L << b0) / 2;
            int n = call(s, "bucketCount");
            chains = new int[n];
            Method live = s.getClass().getMethod("liveEntries", int.class);
            for (int i = 0; i < n; i++) {
                chains[i] = (Integer) live.invoke(s, i);
            }
            return count.getInt(map) == c0
                    && bField.getInt(map) == b0
                    && nevacuate.getInt(map) == n0
                    && buckets.get(map) == t0;
        }

        private static int call(Object s, String method) throws ReflectiveOperationException {
            return (Integer) s.getClass().getMethod(method).invoke(s);
        }

        @Override
        void extra(StringBuilder b) throws ReflectiveOperationException {
            Object s = snap;
            if (s == null) {
                b.append(",\"go\":null");
                return;
            }
            Class<?> sc = s.getClass();
            boolean growing = (Boolean) sc.getMethod("growing").invoke(s);
            int n = call(s, "bucketCount");
            b.append(",\"go\":{\"B\":")
                    .append(call(s, "B"))
                    .append(",\"count\":")
                    .append(call(s, "count"))
                    .append(",\"growing\":")
                    .append(growing)
                    .append(",\"sameSizeGrow\":")
                    .append(sc.getMethod("sameSizeGrow").invoke(s))
                    .append(",\"oldB\":")
                    .append(call(s, "oldB"))
                    .append(",\"nevacuate\":")
                    .append(call(s, "nevacuate"))
                    .append(",\"noverflow\":")
                    .append(call(s, "noverflow"))
                    .append(",\"flags\":")
                    .append(call(s, "flags"));
            Method chainLength = sc.getMethod("chainLength", int.class);
            b.append(",\"overflow\":[");
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : ",").append((Integer) chainLength.invoke(s, i) - 1);
            }
            b.append(']');
            if (n <= MAX_TOPHASH_BUCKETS) {
                tophash(b.append(",\"tophash\":"), s, sc.getMethod("tophash", int.class), n);
                if (growing) {
                    tophash(
                            b.append(",\"oldTophash\":"),
                            s,
                            sc.getMethod("oldTophash", int.class),
                            call(s, "oldBucketCount"));
                    Method evacuated = sc.getMethod("oldEvacuated", int.class);
                    b.append(",\"oldEvacuated\":[");
                    int m = call(s, "oldBucketCount");
                    for (int i = 0; i < m; i++) {
                        b.append(i == 0 ? "" : ",").append(evacuated.invoke(s, i));
                    }
                    b.append(']');
                }
            } else {
                b.append(",\"tophashOmitted\":true");
            }
            b.append('}');
        }

        private static void tophash(StringBuilder b, Object s, Method m, int n) throws ReflectiveOperationException {
            b.append('[');
            for (int i = 0; i < n; i++) {
                byte[] t = (byte[]) m.invoke(s, i);
                b.append(i == 0 ? "[" : ",[");
                for (int j = 0; j < t.length; j++) {
                    b.append(j == 0 ? "" : ",").append(t[j] & 0xFF);
                }
                b.append(']');
            }
            b.append(']');
        }
    }
}
