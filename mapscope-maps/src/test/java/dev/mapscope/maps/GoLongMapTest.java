package dev.mapscope.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** GoLongMap's Go facts, its primitive API, its inspection API and its concurrent-access checks. */
class GoLongMapTest {

    @Test
    void growsLikeGoMapAndReportsEveryStepToTheListener() {
        GoLongMap<Long> map = new GoLongMap<>();
        List<String> events = GoMapTest.recordGrowth(map::setGrowthListener, () -> map.count);
        for (long i = 0; i < 1000; i++) {
            assertThat(map.put(i * 1_000_003L, Long.valueOf(i))).isNull();
            if (i < 300 || i % 37 == 0) {
                map.checkInvariants();
            }
        }
        // The same growth points as GoMap's (GoMapTest): count+1 > 8 and > 6.5 * 2^B.
        assertThat(events.stream().filter(e -> e.startsWith("start")).toList())
                .containsExactly(
                        "start 0->1 count=8",
                        "start 1->2 count=13",
                        "start 2->3 count=26",
                        "start 3->4 count=52",
                        "start 4->5 count=104",
                        "start 5->6 count=208",
                        "start 6->7 count=416",
                        "start 7->8 count=832");
        GoMapSnapshot s = map.snapshot();
        assertThat(s.count()).isEqualTo(1000);
        int live = 0;
        for (int b = 0; b < s.bucketCount(); b++) {
            live += s.liveEntries(b);
        }
        for (int b = 0; s.growing() && b < s.oldBucketCount(); b++) {
            live += s.oldLiveEntries(b);
        }
        assertThat(live).isEqualTo(1000);
        for (long i = 0; i < 1000; i++) {
            assertThat(map.get(i * 1_000_003L)).isEqualTo(i);
        }
    }

    /**
     * Go's same-size growth, deterministically (the model test meets it in only about 2% of its random tries, too
     * few to require there): nine keys sharing a bucket and a tophash overflow it, removing them leaves the
     * overflow bucket behind, and once 2^B buckets have overflowed the next insertion grows at the same size. The
     * keys are built from the hashes they should have, under a fixed seed (GoLongMapModelTest.unhash).
     */
    @Test
    void sparseOverflowChainsTriggerASameSizeGrowth() {
        long seed = 0x5EED_0000_0000_0016L;
        GoLongMap<Long> map = new GoLongMap<>(0, seed, true);
        List<String> grows = new ArrayList<>();
        map.setGrowthListener(new GoGrowthListener() {
            @Override
            public void growStarted(int oldB, int newB, boolean sameSize) {
                grows.add(oldB + "->" + newB + (sameSize ? " same" : ""));
            }
        });
        long anchor = GoLongMapModelTest.unhash(0x7FL << 56, seed);
        map.put(anchor, Long.valueOf(0));
        for (long group = 0; group < 4 && grows.stream().noneMatch(g -> g.endsWith("same")); group++) {
            for (long j = 0; j < 9; j++) {
                // Bucket: the low bits (group); tophash: the top byte; j keeps the keys distinct.
                long key = GoLongMapModelTest.unhash(((0x80L | group) << 56) | (j << 20) | group, seed);
                map.put(key, Long.valueOf(j));
                map.checkInvariants();
            }
            for (long j = 0; j < 9; j++) {
                long key = GoLongMapModelTest.unhash(((0x80L | group) << 56) | (j << 20) | group, seed);
                assertThat(map.remove(key)).isEqualTo(j);
                map.checkInvariants();
            }
        }
        assertThat(grows).containsExactly("0->1", "1->1 same");
        assertThat(map).containsOnlyKeys(anchor);
    }

    /**
     * The lookup trusts the key compare to reject a false SWAR match (GoLongMap.mapaccess2_fast64): a slot whose
     * tophash byte is top ^ 1 above a slot whose byte is top matches falsely. Built here in one bucket under a
     * fixed seed: D has tophash 0x90 (slot 0), B has 0x91 (slot 1, the false match for 0x90), and C, absent, has
     * 0x90 like D. Looking C up meets D's true match and B's false one, and must find nothing; after C is put, and
     * after D is removed (slot 0 becomes emptyOne), each key still finds its own elem.
     */
    @Test
    void aFalseTophashMatchIsRejectedByTheKeyCompare() {
        long seed = 0x5EED_0000_0000_0090L;
        GoLongMap<String> map = new GoLongMap<>(0, seed, true);
        long d = GoLongMapModelTest.unhash((0x90L << 56) | 1, seed);
        long b = GoLongMapModelTest.unhash((0x91L << 56) | 2, seed);
        long c = GoLongMapModelTest.unhash((0x90L << 56) | 3, seed);
        map.put(d, "d");
        map.put(b, "b");
        assertThat(map.snapshot().tophash(0)).startsWith((byte) 0x90, (byte) 0x91);
        assertThat(map.get(c)).isNull();
        assertThat(map.containsKey(c)).isFalse();
        assertThat(map.get(b)).isEqualTo("b");
        assertThat(map.get(d)).isEqualTo("d");
        map.put(c, "c");
        assertThat(map.get(c)).isEqualTo("c");
        assertThat(map.remove(d)).isEqualTo("d");
        assertThat(map.get(d)).isNull();
        assertThat(map.get(b)).isEqualTo("b");
        assertThat(map.get(c)).isEqualTo("c");
        map.checkInvariants();
    }

    /** In a large table a write evacuates several old buckets in order (GoMap.evacuateInOrder); checked mid-growth. */
    @Test
    void aLargeTableGrowsConsistentlyWithSeveralEvacuationsPerWrite() {
        GoLongMap<Long> map = new GoLongMap<>();
        int checked = 0;
        for (long i = 0; i < 20_000; i++) {
            assertThat(map.put(i * 1_000_003L, Long.valueOf(i))).isNull();
            if (map.growing() && map.noldbuckets() >= GoMap.inOrderFromBuckets && i % 13 == 0) {
                map.checkInvariants();
                checked++;
            }
        }
        assertThat(checked).as("checks in the middle of a large growth").isPositive();
        map.checkInvariants();
        for (long i = 0; i < 20_000; i++) {
            assertThat(map.get(i * 1_000_003L)).isEqualTo(i);
        }
    }

    @Test
    void sizeHintPicksBLikeMakemap() {
        assertThat(new GoLongMap<>(8).snapshot().B()).isEqualTo(0);
        assertThat(new GoLongMap<>(9).snapshot().B()).isEqualTo(1);
        assertThat(new GoLongMap<>(1_000_000).snapshot().B()).isEqualTo(18);
        assertThatThrownBy(() -> new GoLongMap<>(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("map size hint must not be negative: -1");
    }

    /** Keys that differ only in their high bits must still spread over the buckets (see the mixer's notes). */
    @Test
    void keysDifferingOnlyInHighBitsSpreadOverTheBuckets() {
        GoLongMap<Long> map = new GoLongMap<>(4096);
        for (long i = 0; i < 4096; i++) {
            map.put(i << 40, Long.valueOf(i));
        }
        GoMapSnapshot s = map.snapshot();
        int longest = 0;
        for (int b = 0; b < s.bucketCount(); b++) {
            longest = Math.max(longest, s.chainLength(b));
        }
        assertThat(longest)
                .as("longest chain, in buckets, for 4096 keys in %d buckets", s.bucketCount())
                .isLessThanOrEqualTo(3);
        map.checkInvariants();
    }

    @Test
    void primitiveAndBoxedViewsAgreeWithHashMapOnRandomOperations() {
        SplittableRandom random = new SplittableRandom(3);
        GoLongMap<Integer> map = new GoLongMap<>();
        Map<Long, Integer> model = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            long k = random.nextInt(5_000) - 2_500L;
            Integer v = random.nextInt(10) == 0 ? null : random.nextInt(100);
            switch (random.nextInt(6)) {
                case 0, 1 -> assertThat(map.put(k, v)).isEqualTo(model.put(k, v));
                case 2 -> assertThat(map.remove(k)).isEqualTo(model.remove(k));
                case 3 -> assertThat(map.containsKey(k)).isEqualTo(model.containsKey(k));
                case 4 -> assertThat(map.putIfAbsent(k, v)).isEqualTo(model.putIfAbsent(k, v));
                default -> assertThat(map.get(k)).isEqualTo(model.get(k));
            }
        }
        map.checkInvariants();
        assertThat(map).isEqualTo(model);
        assertThat(map.get("not a long")).isNull();
        assertThat(map.containsKey((Object) 1))
                .as("an Integer key is not a Long key")
                .isFalse();
        assertThatThrownBy(() -> map.put(null, 1)).isInstanceOf(NullPointerException.class);
        map.clear();
        assertThat(map).isEmpty();
        map.checkInvariants();
    }

    /**
     * Two writers putting until one of them is caught: holds in every run, since a try ends only when the two
     * ran at the same moment (or after a bound on puts, counted), and the tries stop at the first catch.
     */
    @Test
    void twoWritersAreCaughtWithGosMessage() throws Exception {
        ConcurrentMapError caught = null;
        for (int attempt = 0; attempt < 20 && caught == null; attempt++) {
            GoLongMap<Long> map = new GoLongMap<>();
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                long base = w * 1_000_000L;
                writers.add(new Thread(
                        () -> {
                            try {
                                start.await();
                                for (int i = 0; i < 50_000_000 && !stop.get(); i++) {
                                    map.put(base + i % 100_000, Long.valueOf(i));
                                }
                            } catch (Throwable t) {
                                failure.compareAndSet(null, t);
                            } finally {
                                stop.set(true);
                            }
                        },
                        "writer-" + w));
            }
            writers.forEach(Thread::start);
            for (Thread t : writers) {
                t.join();
            }
            if (failure.get() instanceof ConcurrentMapError e) {
                caught = e;
            }
        }
        assertThat(caught).isNotNull();
        assertThat(caught.goMessage()).isEqualTo(ConcurrentMapError.CONCURRENT_MAP_WRITES);
        assertThat(caught.getMessage()).startsWith("concurrent map writes: thread \"writer-");
    }

    @Test
    void aReadOrIterationDuringAWriteThrowsGosMessages() {
        GoLongMap<Long> map = new GoLongMap<>();
        map.put(1, 1L);
        map.setGrowthListener(new GoGrowthListener() {
            @Override
            public void growStarted(int oldB, int newB, boolean sameSize) {
                // Inside a write: the map holds hashWriting, so a read here is a read during a write.
                assertThatThrownBy(() -> map.get(1))
                        .isInstanceOf(ConcurrentMapError.class)
                        .hasMessageStartingWith(ConcurrentMapError.CONCURRENT_MAP_READ_AND_MAP_WRITE);
                assertThatThrownBy(() -> map.entrySet().iterator().next())
                        .isInstanceOf(ConcurrentMapError.class)
                        .hasMessageStartingWith(ConcurrentMapError.CONCURRENT_MAP_ITERATION_AND_MAP_WRITE);
                assertThatThrownBy(() -> map.put(2, 2L))
                        .isInstanceOf(ConcurrentMapError.class)
                        .hasMessageStartingWith(ConcurrentMapError.CONCURRENT_MAP_WRITES);
                throw new IllegalStateException("listener done");
            }
        });
        for (long i = 2; i <= 8; i++) {
            map.put(i * 31, Long.valueOf(i)); // eight entries: the next insertion grows the map
        }
        assertThatThrownBy(() -> map.put(1000, 0L))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("listener done");
        // The write that threw gave the flag back: the map is usable again.
        map.setGrowthListener(null);
        assertThat(map.get(1)).isEqualTo(1L);
        map.put(1000, 0L);
        map.checkInvariants();
    }
}
