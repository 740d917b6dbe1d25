package dev.mapscope.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Go facts and GoMap's own API, one at a time. */
class GoMapTest {

    /** A key with a chosen hash code. */
    record Key(int id, int hash) {
        @Override
        public int hashCode() {
            return hash;
        }
    }

    @Test
    void sizeHintPicksBLikeMakemap() {
        // makemap: the smallest B with hint <= 6.5 * 2^B, and at least 8 entries fit in one bucket.
        assertThat(new GoMap<>(0).snapshot().B()).isEqualTo(0);
        assertThat(new GoMap<>(8).snapshot().B()).isEqualTo(0);
        assertThat(new GoMap<>(9).snapshot().B()).isEqualTo(1);
        assertThat(new GoMap<>(13).snapshot().B()).isEqualTo(1);
        assertThat(new GoMap<>(14).snapshot().B()).isEqualTo(2);
        assertThat(new GoMap<>(1_000_000).snapshot().B()).isEqualTo(18);
        assertThatThrownBy(() -> new GoMap<>(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("map size hint must not be negative: -1");
    }

    @Test
    void growsAtLoadFactorSixAndAHalfAndEvacuatesEveryOldBucketOnce() {
        GoMap<Integer, Integer> map = new GoMap<>();
        List<String> events = recordGrowth(map);
        for (int i = 0; i < 1000; i++) {
            map.put(i, i);
            if (i < 300 || i % 37 == 0) {
                map.checkInvariants();
            }
        }
        // Growth starts when inserting entry count+1 with count+1 > 8 and > 6.5 * 2^B: at 9, 14, 27, 53, 105, 209, 417,
        // 833.
        List<String> starts = events.stream().filter(e -> e.startsWith("start")).toList();
        assertThat(starts)
                .containsExactly(
                        "start 0->1 count=8",
                        "start 1->2 count=13",
                        "start 2->3 count=26",
                        "start 3->4 count=52",
                        "start 4->5 count=104",
                        "start 5->6 count=208",
                        "start 6->7 count=416",
                        "start 7->8 count=832");
        assertEachOldBucketEvacuatedOnce(events, map);
    }

    /**
     * From {@link GoMap#inOrderFromBuckets} old buckets on, a write evacuates several old buckets in order (Go: one):
     * still each exactly once, every entry moved, the map consistent in the middle of a growth, and the growth
     * over after a bounded number of writes.
     */
    @Test
    void aLargeTableEvacuatesSeveralBucketsInOrderPerWriteAndEachOnce() {
        GoMap<Integer, Integer> map = new GoMap<>();
        List<String> events = recordGrowth(map);
        int[] writesWhileGrowing = new int[1];
        int n = 26_000; // past the growths 10->11 (at 6,657 entries) and 11->12 (13,313), before 12->13 (26,625)
        for (int i = 0; i < n; i++) {
            map.put(i * 7919, i);
            if (map.growing() && map.noldbuckets() >= GoMap.inOrderFromBuckets) {
                writesWhileGrowing[0]++;
                if (writesWhileGrowing[0] % 29 == 1) {
                    map.checkInvariants();
                }
            }
        }
        assertThat(events.stream().filter(e -> e.startsWith("start")).toList())
                .endsWith("start 10->11 count=6656", "start 11->12 count=13312");
        assertEachOldBucketEvacuatedOnce(events, map);
        // 1024 + 2048 old buckets, at least evacuateInOrder of them per write (nevacuate always names one not yet
        // evacuated), one growth per table; Go's one per write would take at least 1536 writes.
        assertThat(writesWhileGrowing[0]).isLessThanOrEqualTo((1024 + 2048) / GoMap.evacuateInOrder + 2);
        map.checkInvariants();
        for (int i = 0; i < n; i++) {
            assertThat(map.get(i * 7919)).isEqualTo(i);
        }
    }

    private static List<String> recordGrowth(GoMap<Integer, Integer> map) {
        return recordGrowth(map::setGrowthListener, () -> map.count);
    }

    /**
     * Registers, through {@code register}, a listener that writes each growth event into the returned list: "start
     * oldB->newB[ same] count=N" (N from {@code count}), "evac oldBucket moved", "done B". For GoMap and GoLongMap.
     */
    static List<String> recordGrowth(
            java.util.function.Consumer<GoGrowthListener> register, java.util.function.IntSupplier count) {
        List<String> events = new ArrayList<>();
        register.accept(new GoGrowthListener() {
            @Override
            public void growStarted(int oldB, int newB, boolean sameSize) {
                events.add("start " + oldB + "->" + newB + (sameSize ? " same" : "") + " count=" + count.getAsInt());
            }

            @Override
            public void bucketEvacuated(int oldBucket, int toX, int toY) {
                events.add("evac " + oldBucket + " " + (toX + toY));
            }

            @Override
            public void growFinished(int B) {
                events.add("done " + B);
            }
        });
        return events;
    }

    /** Between a start and its done, each old bucket is evacuated exactly once, moving all of its entries. */
    private static void assertEachOldBucketEvacuatedOnce(List<String> events, GoMap<?, ?> map) {
        int i = 0;
        while (i < events.size()) {
            String start = events.get(i);
            int oldB = Integer.parseInt(start.substring(6, start.indexOf("->")));
            int moved = 0;
            Set<Integer> evacuated = new HashSet<>();
            i++;
            while (i < events.size() && events.get(i).startsWith("evac")) {
                String[] parts = events.get(i).split(" ");
                assertThat(evacuated.add(Integer.parseInt(parts[1]))).isTrue();
                moved += Integer.parseInt(parts[2]);
                i++;
            }
            if (i < events.size() && events.get(i).startsWith("done")) {
                assertThat(evacuated).hasSize(1 << oldB);
                assertThat(moved).isEqualTo(Integer.parseInt(start.substring(start.indexOf("count=") + 6)));
                i++;
            } else {
                assertThat(map.growing()).isTrue(); // the last growth is still in progress
            }
        }
    }

    /** A key that counts its hashCode() calls and can be told to throw from one of them. */
    static final class CountingKey {
        final int id;
        int hashCalls;
        int throwAtCall;

        CountingKey(int id) {
            this.id = id;
        }

        @Override
        public int hashCode() {
            if (++hashCalls == throwAtCall) {
                throw new IllegalStateException("hashCode is broken");
            }
            return id * 0x61C88647;
        }
    }

    /**
     * Evacuation decides X or Y from the hash bits kept in the bucket arrays (GoBuckets.hashBits), so a growing map
     * calls hashCode() once per put, plus once more for a key that has moved seven times since it was hashed.
     * 20,000 keys end in 2^12 buckets: keys put from entry 104 on (into 2^5 buckets or more) move at most seven
     * times and are hashed once; the first eight (put into one bucket) are hashed again at the doubling from 2^7
     * buckets, and only then.
     */
    @Test
    void evacuationHashesAKeyAgainOnlyAfterSevenMoves() {
        GoMap<CountingKey, Integer> map = new GoMap<>();
        CountingKey[] keys = new CountingKey[20_000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new CountingKey(i);
            map.put(keys[i], i);
        }
        assertThat(map.growing()).isFalse();
        assertThat(map.snapshot().B()).isEqualTo(12);
        for (int i = 0; i < 8; i++) {
            assertThat(keys[i].hashCalls).as("hashCode() calls of key %d", i).isEqualTo(2);
        }
        for (int i = 104; i < keys.length; i++) {
            assertThat(keys[i].hashCalls).as("hashCode() calls of key %d", i).isEqualTo(1);
        }
        int extra = 0;
        for (CountingKey k : keys) {
            extra += k.hashCalls - 1;
        }
        assertThat(extra).isBetween(8, 104);
        map.checkInvariants(); // (which calls hashCode() itself)
    }

    /** A hashCode() that throws when evacuation hashes a key again leaves every entry where a lookup finds it. */
    @Test
    void aHashCodeThatThrowsDuringGrowthLeavesTheMapConsistent() {
        GoMap<CountingKey, Integer> map = new GoMap<>();
        List<CountingKey> keys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            keys.add(new CountingKey(i));
            map.put(keys.get(i), i);
        }
        for (CountingKey k : keys) {
            k.throwAtCall = 2; // at the doubling from 2^7 buckets, the first to hash them again; one throws
        }
        int thrown = 0;
        for (int i = 8; i < 3000; i++) {
            CountingKey k = new CountingKey(i);
            try {
                map.put(k, i);
                keys.add(k);
            } catch (IllegalStateException e) {
                assertThat(e).hasMessage("hashCode is broken");
                thrown++;
                keys.forEach(x -> x.throwAtCall = 0);
                map.checkInvariants();
            }
        }
        map.checkInvariants();
        assertThat(thrown).isEqualTo(1);
        assertThat(map).hasSize(keys.size());
        for (CountingKey k : keys) {
            assertThat(map.get(k)).isEqualTo(k.id);
        }
    }

    @Test
    void sparseOverflowChainsTriggerASameSizeGrowth() {
        GoMap<Key, Integer> map = new GoMap<>();
        List<String> grows = new ArrayList<>();
        map.setGrowthListener(new GoGrowthListener() {
            @Override
            public void growStarted(int oldB, int newB, boolean sameSize) {
                grows.add(oldB + "->" + newB + (sameSize ? " same" : ""));
            }
        });
        // Nine keys sharing a hash code overflow their bucket; removing them leaves the overflow bucket behind.
        // Groups land in random buckets; once 2^B buckets have overflowed, the next insertion grows at the same size.
        map.put(new Key(-1, -1), 0);
        for (int group = 0; group < 64 && grows.stream().noneMatch(g -> g.endsWith("same")); group++) {
            for (int j = 0; j < 9; j++) {
                map.put(new Key(group * 100 + j, group), j);
                map.checkInvariants();
            }
            for (int j = 0; j < 9; j++) {
                map.remove(new Key(group * 100 + j, group));
                map.checkInvariants();
            }
        }
        assertThat(grows).contains("1->1 same");
        assertThat(map).containsOnlyKeys(new Key(-1, -1));
    }

    @Test
    void seedIsRedrawnWhenTheMapBecomesEmpty() {
        GoMap<String, Integer> map = new GoMap<>();
        map.put("a", 1);
        long seed = map.hash0;
        map.remove("a");
        assertThat(map.hash0).isNotEqualTo(seed);
        map.put("a", 1);
        seed = map.hash0;
        map.clear();
        assertThat(map.hash0).isNotEqualTo(seed);
        assertThat(map).isEmpty();
    }

    @Test
    void iterationStartsAtARandomPlace() {
        GoMap<Integer, Integer> map = new GoMap<>();
        for (int i = 0; i < 100; i++) {
            map.put(i, i);
        }
        Set<Integer> firstKeys = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            firstKeys.add(map.keySet().iterator().next());
        }
        assertThat(firstKeys).hasSizeGreaterThan(1);
    }

    @Test
    void weakHashCodesStillSpreadOverBucketsAndTophash() {
        // Hash codes that differ only in their top 12 bits (think Float.hashCode of small integers).
        GoMap<Key, Integer> map = new GoMap<>();
        for (int i = 0; i < 1000; i++) {
            map.put(new Key(i, i << 20), i);
        }
        GoMapSnapshot s = map.snapshot();
        int maxLive = 0;
        Set<Byte> tophashes = new HashSet<>();
        for (int b = 0; b < s.bucketCount(); b++) {
            maxLive = Math.max(maxLive, s.liveEntries(b));
            for (byte t : s.tophash(b)) {
                tophashes.add(t);
            }
        }
        assertThat(s.B()).isEqualTo(8);
        assertThat(maxLive).isLessThanOrEqualTo(16);
        assertThat(tophashes).hasSizeGreaterThan(200);
    }

    @Test
    void checksNameBothThreadsWhenAnotherWriterHoldsTheFlag() throws Exception {
        GoMap<String, Integer> map = new GoMap<>();
        map.put("a", 1);
        CountDownLatch done = new CountDownLatch(1);
        Thread other = new Thread(
                () -> {
                    try {
                        done.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "other-writer");
        other.start();
        try {
            // Pretend other-writer is inside a write, exactly what a real race leaves behind.
            map.flags |= GoMap.hashWriting;
            map.writer = other.getId();
            String me = Thread.currentThread().getName();
            assertThatThrownBy(() -> map.put("b", 2))
                    .isInstanceOf(ConcurrentMapError.class)
                    .hasMessageStartingWith("concurrent map writes: thread \"" + me + "\"")
                    .hasMessageContaining("ran into thread \"other-writer\"");
            assertThatThrownBy(() -> map.get("a"))
                    .isInstanceOf(ConcurrentMapError.class)
                    .hasMessageStartingWith("concurrent map read and map write: thread \"" + me + "\"");
            assertThatThrownBy(() -> map.remove("a")).hasMessageStartingWith("concurrent map writes");
            assertThatThrownBy(() -> map.clear()).hasMessageStartingWith("concurrent map writes");
            Iterator<String> it = map.keySet().iterator();
            assertThatThrownBy(it::hasNext)
                    .isInstanceOf(ConcurrentMapError.class)
                    .hasMessageStartingWith("concurrent map iteration and map write");
            ConcurrentMapError e = catchError(() -> map.put("c", 3));
            assertThat(e.otherThread()).isEqualTo("other-writer");
            assertThat(e.detectingThread()).isEqualTo(me);
            // An Error, so that catch (Exception e) does not swallow it.
            assertThat(Exception.class.isInstance(e)).isFalse();
            // Once the other writer is done, the map works again.
            map.flags &= ~GoMap.hashWriting;
            assertThat(map.getOrDefault(null, 0)).isEqualTo(0);
            map.put("b", 2);
            assertThat(map).containsEntry("b", 2);
        } finally {
            done.countDown();
            other.join();
        }
    }

    private static ConcurrentMapError catchError(Runnable r) {
        try {
            r.run();
        } catch (ConcurrentMapError e) {
            return e;
        }
        throw new AssertionError("no ConcurrentMapError");
    }

    @Test
    void aThrowingEqualsDoesNotLeaveTheMapMarkedAsWritten() {
        record Bad(int hash) {
            @Override
            public boolean equals(Object o) {
                throw new IllegalStateException("equals is broken");
            }

            @Override
            public int hashCode() {
                return hash;
            }
        }
        GoMap<Object, Integer> map = new GoMap<>();
        map.put(new Bad(1), 1);
        assertThatThrownBy(() -> map.put(new Bad(1), 2)).isInstanceOf(IllegalStateException.class);
        map.put("fine", 3);
        assertThat(map.get("fine")).isEqualTo(3);
        map.checkInvariants();
    }

    @Test
    void snapshotShowsGrowthInProgressAndRendersAHeatMap() {
        GoMap<Integer, Integer> map = new GoMap<>();
        for (int i = 0; i <= 6 * 64 + 32; i++) { // past 6.5 * 64: growth 6 -> 7 starts and is still in progress
            map.put(i, i);
        }
        GoMapSnapshot s = map.snapshot();
        assertThat(s.growing()).isTrue();
        assertThat(s.B()).isEqualTo(7);
        assertThat(s.oldB()).isEqualTo(6);
        assertThat(s.nevacuate()).isBetween(1, 63);
        int live = 0;
        for (int b = 0; b < s.bucketCount(); b++) {
            live += s.liveEntries(b);
        }
        for (int b = 0; b < s.oldBucketCount(); b++) {
            live += s.oldLiveEntries(b);
            assertThat(s.oldEvacuated(b) || b >= s.nevacuate()).isTrue();
        }
        assertThat(live).isEqualTo(s.count()).isEqualTo(map.size());
        String text = s.render(1024);
        assertThat(text)
                .startsWith("GoMap B=7 buckets=128 count=" + map.size())
                .contains("growing oldB=6 nevacuate=")
                .contains("buckets (one cell per bucket")
                .contains("old buckets (one cell per bucket")
                .contains("x")
                .contains("chain lengths: 1x");
        assertThat(s.render(16)).contains("(one cell per 8 buckets");
        assertThat(s.toString()).isEqualTo(text.substring(0, text.indexOf('\n')));
        // The snapshot is a copy: later writes do not change it.
        map.clear();
        assertThat(s.count()).isNotZero();
    }

    @Test
    void entriesWriteThroughAndIteratorsFollowTheJavaProtocol() {
        GoMap<String, Integer> map = new GoMap<>(Map.of("a", 1, "b", 2, "c", 3));
        for (Map.Entry<String, Integer> e : map.entrySet()) {
            e.setValue(e.getValue() * 10);
        }
        assertThat(map).isEqualTo(Map.of("a", 10, "b", 20, "c", 30));
        Iterator<String> it = map.keySet().iterator();
        assertThatThrownBy(it::remove).isInstanceOf(IllegalStateException.class);
        it.next();
        it.remove();
        assertThatThrownBy(it::remove).isInstanceOf(IllegalStateException.class);
        it.next();
        it.next();
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        assertThat(map).hasSize(2);
        assertThat(new GoMap<>(Map.of("k", "v")).toString()).isEqualTo("{k=v}");
        assertThat(new GoMap<>().toString()).isEqualTo("{}");
    }

    @Test
    void nullKeysAndValuesBehaveLikeHashMap() {
        GoMap<String, String> map = new GoMap<>();
        Map<String, String> model = new HashMap<>();
        for (Map<String, String> m : List.of(map, model)) {
            m.put(null, null);
            m.putIfAbsent(null, "x");
            m.put("k", null);
            m.merge("k", "y", String::concat);
            m.computeIfPresent(null, (k, v) -> v + "!");
            m.compute("z", (k, v) -> v == null ? "new" : null);
        }
        assertThat(map).isEqualTo(model);
        assertThat(map.containsKey(null)).isTrue();
        assertThat(map.get(null)).isEqualTo("x!");
    }

    @Test
    void clearDuringIterationEndsTheIteration() {
        GoMap<Integer, Integer> map = new GoMap<>();
        for (int i = 0; i < 500; i++) {
            map.put(i, i);
        }
        Iterator<Integer> it = map.keySet().iterator();
        it.next();
        map.clear();
        assertThat(it.hasNext()).isFalse();
    }
}
