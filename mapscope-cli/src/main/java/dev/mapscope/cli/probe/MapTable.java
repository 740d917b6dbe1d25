package dev.mapscope.cli.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mapscope.cli.console.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The agent's snapshot of one live map's table, as {@code inspect} writes it to {@code ID.json}
 * (docs/AGENT-PROTOCOL.md, "Probes and inspect"): chain length per bucket, the tree bins, and for GoMap the tophash bytes, overflow
 * chains and growth state.
 *
 * @param chains entries per bucket; -1 where the agent could not read the bucket
 * @param trees buckets that are red-black tree bins (HashMap, ConcurrentHashMap)
 * @param go GoMap's own state, or {@code null} for the JDK maps
 */
public record MapTable(
        String map,
        String mapClass,
        String kind,
        long size,
        int capacity,
        long threshold,
        int[] chains,
        Set<Integer> trees,
        int empty,
        int longest,
        Go go,
        boolean consistent,
        int retries,
        long readNanos) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * GoMap's header and buckets. {@code tophash[i]} holds bucket i's tophash bytes followed by those of its
     * overflow buckets (8 per bucket); {@code overflow[i]} is the length of bucket i's overflow chain.
     */
    record Go(
            int b,
            long count,
            boolean growing,
            boolean sameSizeGrow,
            int oldB,
            long nevacuate,
            long noverflow,
            int[][] tophash,
            int[] overflow,
            int[][] oldTophash,
            boolean[] oldEvacuated) {
        /** Slots of a bucket (Go's bucketCnt). */
        static final int SLOTS = 8;
        /** Go's minTopHash: tophash values below it mark empty (0, 1) or evacuated (2, 3, 4) slots. */
        static final int MIN_TOPHASH = 5;

        /** Occupied slots of bucket {@code i} (with its overflow buckets) in {@code table}; -1 when unread. */
        static int occupied(int[][] table, int i) {
            if (table == null || i >= table.length || table[i] == null) {
                return -1;
            }
            int n = 0;
            for (int t : table[i]) {
                if (t >= MIN_TOPHASH) {
                    n++;
                }
            }
            return n;
        }

        /**
         * Whether old bucket {@code i} has been evacuated: as the agent says, else by Go's own test (the first
         * tophash carries an evacuated mark, 2, 3 or 4).
         */
        boolean evacuated(int i) {
            if (oldEvacuated != null && i < oldEvacuated.length) {
                return oldEvacuated[i];
            }
            if (oldTophash == null || i >= oldTophash.length || oldTophash[i] == null || oldTophash[i].length == 0) {
                return false;
            }
            int t = oldTophash[i][0];
            return t >= 2 && t <= 4;
        }
    }

    /** Reads {@code ID.json}; a file that is not the contract's object is a {@link UserError} naming it. */
    public static MapTable read(Path file) {
        JsonNode n;
        try {
            n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserError("cannot read the agent's answer " + file + ": " + e.getMessage());
        }
        if (n == null || !n.isObject() || !n.path("chains").isArray()) {
            throw new UserError("the agent's answer " + file + " is not an inspection (no \"chains\" array); is the"
                    + " agent jar from the same build as this mapscope?");
        }
        return parse(n);
    }

    static MapTable parse(JsonNode n) {
        int[] chains = ints(n.path("chains"));
        Set<Integer> trees = new TreeSet<>();
        for (JsonNode t : n.path("trees")) {
            trees.add(t.asInt());
        }
        int capacity = n.path("capacity").asInt(chains.length);
        int empty = 0;
        int longest = 0;
        for (int c : chains) {
            empty += c == 0 ? 1 : 0;
            longest = Math.max(longest, c);
        }
        Go go = null;
        JsonNode g = n.path("go");
        if (g.isObject()) {
            boolean[] evacuated = null;
            if (g.path("oldEvacuated").isArray()) {
                evacuated = new boolean[g.path("oldEvacuated").size()];
                for (int i = 0; i < evacuated.length; i++) {
                    evacuated[i] = g.path("oldEvacuated").get(i).asBoolean();
                }
            }
            go = new Go(
                    g.path("B").asInt(),
                    g.path("count").asLong(n.path("size").asLong()),
                    g.path("growing").asBoolean(),
                    g.path("sameSizeGrow").asBoolean(),
                    g.path("oldB").asInt(-1),
                    g.path("nevacuate").asLong(),
                    g.path("noverflow").asLong(),
                    g.path("tophash").isArray() ? table(g.path("tophash")) : null,
                    ints(g.path("overflow")),
                    g.path("oldTophash").isArray() ? table(g.path("oldTophash")) : null,
                    evacuated);
        }
        return new MapTable(
                n.path("map").asText("?"),
                n.path("class").asText("?"),
                n.path("kind").asText("hash"),
                n.path("size").asLong(),
                capacity,
                n.path("threshold").asLong(-1),
                chains,
                trees,
                n.path("empty").asInt(empty),
                n.path("longest").asInt(longest),
                go,
                n.path("consistent").asBoolean(true),
                n.path("retries").asInt(),
                n.path("readNanos").asLong(-1));
    }

    private static int[] ints(JsonNode array) {
        int[] a = new int[array.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = array.get(i).asInt(-1);
        }
        return a;
    }

    private static int[][] table(JsonNode array) {
        int[][] t = new int[array.size()][];
        for (int i = 0; i < t.length; i++) {
            JsonNode row = array.get(i);
            t[i] = row.isArray() ? ints(row) : null;
        }
        return t;
    }

    /** Entries per bucket: the chain lengths, or for GoMap the occupied slots when the agent sent tophash bytes. */
    long[] perBucket() {
        long[] v = new long[chains.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = chains[i];
            if (go != null && go.tophash() != null && i < go.tophash().length) {
                v[i] = Go.occupied(go.tophash(), i);
            }
        }
        return v;
    }

    /** Buckets ordered by entries, most first; at most {@code n}, only non-empty ones. */
    List<Integer> fullest(int n) {
        long[] v = perBucket();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            if (v[i] > 0) {
                order.add(i);
            }
        }
        order.sort((a, b) -> v[a] != v[b] ? Long.compare(v[b], v[a]) : Integer.compare(a, b));
        return order.subList(0, Math.min(n, order.size()));
    }

    /**
     * The bucket whose keys collide: the fullest one, when it holds at least 4 entries and a tenth or more of 8 or
     * more entries (with well-spread hashes no bucket of a table at load 0.75 comes near that); -1 otherwise.
     */
    public int collidedBucket() {
        long[] v = perBucket();
        long entries = 0;
        for (long x : v) {
            entries += Math.max(0, x);
        }
        List<Integer> top = fullest(1);
        if (top.isEmpty()) {
            return -1;
        }
        int k = top.get(0);
        return entries >= 8 && v[k] >= 4 && v[k] * 10 >= entries ? k : -1;
    }

    /** The short class name, for titles: {@code HashMap}, {@code GoMap}. */
    String simpleClass() {
        int dot = mapClass.lastIndexOf('.');
        return dot < 0 ? mapClass : mapClass.substring(dot + 1);
    }
}
