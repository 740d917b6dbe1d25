package dev.mapscope.agent.boot.race;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bootstrap API's logic, called directly as the advice would call it, without instrumentation. The
 * "maps" are plain objects: MapWatch only uses their identity.
 */
class MapWatchTest {
    @RegisterExtension
    final RecordedRaces recorded = new RecordedRaces();

    private List<Race> races() {
        return recorded.all();
    }

    private static Thread run(String name, Runnable r) throws InterruptedException {
        Thread t = new Thread(r, name);
        MapWatch.threadStarting(t); // what the Thread.start advice does
        t.start();
        return t;
    }

    @Test
    void aWriterInsideTheMapIsFoundByTheNextOne() throws Exception {
        Object map = new Object();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread a = run("writer-a", () -> {
            Object token = MapWatch.enter(map, "putVal", "k", 7, new Object[16]);
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            MapWatch.exit(map, "putVal", token, null);
        });
        inside.await();
        Thread b = run(
                "writer-b",
                () -> MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "j", 9, new Object[16]), null));
        b.join();
        release.countDown();
        a.join();
        List<Race> found = races();
        assertThat(found)
                .anyMatch(r -> r.kind.equals(Race.CONCURRENT)
                        && r.thread == b
                        && r.other == a
                        && r.keyHash == 9
                        && r.bucket == 9);
        Race r = found.stream().filter(x -> x.thread == b).findFirst().orElseThrow();
        assertThat(r.otherStackAt)
                .as("completed by the writer at the end of its write")
                .isEqualTo(Race.AT_WRITE);
        assertThat(r.otherStack)
                .as("the other writer's own stack, inside its write")
                .anyMatch(e -> e.getMethodName().startsWith("lambda$aWriterInsideTheMapIsFoundByTheNextOne"));
        assertThat(r.stack)
                .anyMatch(e -> e.getMethodName().startsWith("lambda$aWriterInsideTheMapIsFoundByTheNextOne"));
    }

    /**
     * A thread that never leaves the map (a loop in a damaged tree bin) still gets its stack into the race:
     * the flusher completes it after {@link MapWatch#PENDING_NANOS}, with the stack where the thread is.
     */
    @Test
    void aWriterThatNeverLeavesIsCompletedWhereItIs() throws Exception {
        Object map = new Object();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread a = run("spinner", () -> {
            Object token = MapWatch.enter(map, "putVal", "k", 7, null);
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            MapWatch.exit(map, "putVal", token, null);
        });
        inside.await();
        run("writer", () -> MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "j", 9, null), null))
                .join();
        assertThat(races()).as("waits for the spinner's stack").isEmpty();
        MapWatch.completeOverdue(System.nanoTime() + MapWatch.PENDING_NANOS + 1);
        release.countDown();
        a.join();
        assertThat(races()).singleElement().satisfies(r -> {
            assertThat(r.otherStackAt).isEqualTo(Race.AT_STILL_INSIDE);
            assertThat(r.other).isSameAs(a);
            assertThat(r.otherStack).isNotEmpty();
        });
    }

    /**
     * Two threads writing two different maps that share a tier-1 stripe, at the same instant, millions of
     * times: never a race (the stripe was once a torn (map, thread) pair that named one thread inside the
     * other's map).
     */
    @Test
    void twoMapsOfOneStripeAreNeverConfused() throws Exception {
        Object[] pair = sameStripe();
        MapWatch.stop();
        MapWatch.start(false, recorded); // tier 1 only
        java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
        Thread[] ts = new Thread[2];
        for (int n = 0; n < 2; n++) {
            Object map = pair[n];
            ts[n] = run("own-map-" + n, () -> {
                try {
                    go.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < 2_000_000; i++) {
                    MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null), null);
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(races()).isEmpty();
    }

    /** Two objects whose identity hashes fall in one tier-1 stripe. */
    private static Object[] sameStripe() {
        java.util.Map<Integer, Object> byStripe = new java.util.HashMap<>();
        while (true) {
            Object o = new Object();
            Object seen = byStripe.putIfAbsent(System.identityHashCode(o) & (MapWatch.STRIPES - 1), o);
            if (seen != null) {
                return new Object[] {seen, o};
            }
        }
    }

    @Test
    void nestedWritesOfOneThreadAreNotARace() {
        Object map = new Object();
        Object outer = MapWatch.enter(map, "putAll", null, MapWatch.NO_HASH, null);
        Object inner = MapWatch.enter(map, "putVal", "k", 1, null);
        assertThat(outer).isNotSameAs(MapWatch.NOT_WATCHED);
        assertThat(inner).isSameAs(MapWatch.NOT_WATCHED);
        MapWatch.exit(map, "putVal", inner, null);
        MapWatch.exit(map, "putAll", outer, null);
        assertThat(races()).isEmpty();
        Object again = MapWatch.enter(map, "putVal", "k", 1, null);
        assertThat(again).as("the mark is free again").isNotSameAs(MapWatch.NOT_WATCHED);
        MapWatch.exit(map, "putVal", again, null);
    }

    @Test
    void aWriteNestedInAWriteOfAnotherMapRestoresTheOuterMark() {
        Object outerMap = new Object();
        Object innerMap = new Object();
        Object outer = MapWatch.enter(outerMap, "compute", null, MapWatch.NO_HASH, null);
        Object inner = MapWatch.enter(innerMap, "putVal", "k", 1, null);
        assertThat(inner).isSameAs(outerMap);
        assertThat(ThreadState.current().writing).isSameAs(innerMap);
        MapWatch.exit(innerMap, "putVal", inner, null);
        assertThat(ThreadState.current().writing).isSameAs(outerMap);
        MapWatch.exit(outerMap, "compute", outer, null);
        assertThat(ThreadState.current().writing).isNull();
    }

    @Test
    void writesOfThreadsStartedOneAfterAnotherAreUnsynchronized() throws Exception {
        Object map = new Object();
        for (int i = 0; i < 3; i++) {
            run("seed-" + i, () -> MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null), null))
                    .join();
            // join without the advice: no edge from the child back to this thread
        }
        // The first unordered change of writer only arms suspicion (a young state names a map by identity
        // hash and class); the second is a race between two writes of this very map, both stacks known.
        List<Race> found = races();
        assertThat(found).singleElement().satisfies(r -> {
            assertThat(r.kind).isEqualTo(Race.UNSYNCHRONIZED);
            assertThat(r.otherStackAt).isEqualTo(Race.AT_WRITE);
            assertThat(r.thread.getName()).isEqualTo("seed-2");
            assertThat(r.other.getName()).isEqualTo("seed-1");
            assertThat(r.otherStack)
                    .anyMatch(e -> e.getMethodName().startsWith("lambda$writesOfThreadsStartedOneAfterAnother"));
            assertThat(r.stack)
                    .anyMatch(e -> e.getMethodName().startsWith("lambda$writesOfThreadsStartedOneAfterAnother"));
        });
    }

    @Test
    void aReleaseAcquirePairOrdersTheWrites() throws Exception {
        Object map = new Object();
        Object lock = new Object();
        for (int i = 0; i < 3; i++) {
            run("locked-" + i, () -> {
                        MapWatch.acquired(lock, false);
                        MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null), null);
                        MapWatch.released(lock, false);
                    })
                    .join();
        }
        assertThat(races()).isEmpty();
    }

    @Test
    void aSharedReleaseOfALatchIsAnEdge() throws Exception {
        Object map = new Object();
        Object latch = new Object();
        run("builder", () -> {
                    MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null), null);
                    MapWatch.released(latch, true);
                })
                .join();
        run("user", () -> {
                    MapWatch.acquired(latch, true);
                    MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null), null);
                })
                .join();
        assertThat(races()).isEmpty();
    }

    @Test
    void aWriteAfterTheReleaseIsNotCoveredByIt() throws Exception {
        Object map = new Object();
        Object lock = new Object();
        run("a", () -> {
                    MapWatch.released(lock, false);
                    MapWatch.exit(
                            map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null), null); // after its release
                })
                .join();
        run("b", () -> {
                    MapWatch.acquired(lock, false);
                    MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null), null);
                })
                .join();
        assertThat(Sharing.suspected(map))
                .as("b's write is not ordered after a's")
                .isTrue();
        assertThat(races()).isEmpty();
    }

    /** A monitor as the happens-before rewrite reports it: acquired after monitorenter, released before monitorexit. */
    @Test
    void aCommonMonitorOrdersTheWrites() throws Exception {
        Object map = new Object();
        Object monitor = new Object();
        for (int i = 0; i < 4; i++) {
            run("monitor-" + i, () -> {
                        MapWatch.acquired(monitor, false);
                        MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null), null);
                        MapWatch.released(monitor, false);
                    })
                    .join();
        }
        assertThat(races()).isEmpty();
    }

    /** Each writer on its own monitor: the second unordered change of writer is a race with both stacks. */
    @Test
    void differentMonitorsAreFound() throws Exception {
        Object map = new Object();
        for (int i = 0; i < 3; i++) {
            Object own = new Object();
            run("own-" + i, () -> {
                        MapWatch.acquired(own, false);
                        MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null), null);
                        MapWatch.released(own, false);
                    })
                    .join();
        }
        assertThat(races()).singleElement().satisfies(r -> {
            assertThat(r.kind).isEqualTo(Race.UNSYNCHRONIZED);
            assertThat(r.otherStackAt).isEqualTo(Race.AT_WRITE);
            assertThat(r.thread.getName()).isEqualTo("own-2");
            assertThat(r.other.getName()).isEqualTo("own-1");
        });
    }

    @Test
    void aThrowingSinkDoesNotReachTheApplication() throws Exception {
        MapWatch.start(true, new Sink() {
            @Override
            public long report(Race race) {
                throw new IllegalStateException("sink failure");
            }

            @Override
            public void repeat(long key) {
                throw new IllegalStateException("sink failure");
            }
        });
        Object map = new Object();
        for (int i = 0; i < 3; i++) {
            run("t-" + i, () -> MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null), null))
                    .join();
        }
    }

    @Test
    void stoppedMeansNothingIsRecorded() throws Exception {
        MapWatch.stop();
        Object map = new Object();
        assertThat(MapWatch.enter(map, "putVal", "k", 1, null)).isSameAs(MapWatch.NOT_WATCHED);
        for (int i = 0; i < 3; i++) {
            run("t-" + i, () -> MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null), null))
                    .join();
        }
        assertThat(races()).isEmpty();
    }

    @Test
    void clocksJoinElementwise() {
        assertThat(Clocks.join(new int[] {1, 5}, new int[] {3, 2, 7})).containsExactly(3, 5, 7);
    }

    /**
     * Tier 2 names a young map by (identity hash, class): two threads each writing its own map, where both
     * maps have one hash and one class (a birthday collision among millions of short-lived maps), are never
     * reported, however they interleave.
     */
    @Test
    void mapsWithOneHashAndClassAreNeverConfusedByTier2() throws Exception {
        Object[] maps = {new Object(), new Object()};
        int h = 12345;
        java.util.concurrent.CyclicBarrier turn = new java.util.concurrent.CyclicBarrier(2);
        Thread[] ts = new Thread[2];
        for (int n = 0; n < 2; n++) {
            Object map = maps[n];
            int me = n;
            ts[n] = run("own-" + n, () -> {
                try {
                    for (int round = 0; round < 40; round++) {
                        turn.await(); // invisible to the detector here: no edge between the two threads
                        if (round % 2 == me) {
                            for (int i = 0; i < 3; i++) {
                                Sharing.write(map, h, "putVal", "k", 1, null, ThreadState.current());
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(races()).isEmpty();
    }

    /**
     * A thread started after thousands of others ended still gets a tier-2 index (theirs are reclaimed), and
     * its clock continues where the index's old owner stopped, so what others know of the old owner never
     * covers a write of the new one.
     */
    @Test
    void indicesOfEndedThreadsAreReused() throws Exception {
        Object lock = new Object();
        for (int i = 0; i < ThreadState.MAX_THREADS + 100; i++) {
            Thread t = new Thread(() -> MapWatch.released(lock, false)); // clock 1 -> 2
            t.start();
            t.join();
        }
        ThreadState[] last = new ThreadState[1];
        Thread t = new Thread(() -> last[0] = ThreadState.tracked());
        t.start();
        t.join();
        assertThat(last[0].idx).isGreaterThanOrEqualTo(0);
        assertThat(MapWatch.reclaimedThreads()).isPositive();
        assertThat(last[0].clock).as("continues after the old owner's clock").isGreaterThanOrEqualTo(3);
        assertThat(last[0].vc[last[0].idx]).isEqualTo(last[0].clock);
    }

    /**
     * Indices of ended threads are reused, but not at once: a thread never gets the index of any of the
     * QUARANTINE threads that ended just before it, so a thread racing with one that ended shortly before (the
     * seed program) is never taken for its continuation. A reused index's clock starts well past the old
     * owner's last clock.
     */
    @Test
    void anEndedThreadsIndexWaitsBeforeItIsReused() throws Exception {
        Object lock = new Object();
        int n = ThreadState.QUARANTINE + 50;
        ThreadState[] owners = new ThreadState[n];
        int[] lastClock = new int[n]; // each thread's clock after its one release
        for (int i = 0; i < n; i++) {
            int k = i;
            Thread t = new Thread(() -> {
                MapWatch.released(lock, false);
                owners[k] = ThreadState.peek();
                lastClock[k] = owners[k].clock;
                MapWatch.threadExiting();
            });
            t.start();
            t.join();
        }
        java.util.Map<Integer, Integer> lastUser = new java.util.HashMap<>();
        for (int k = 0; k < n; k++) {
            Integer before = lastUser.put(owners[k].idx, k);
            if (before != null) {
                assertThat(k - before)
                        .as("thread " + k + " reuses the index of thread " + before)
                        .isGreaterThan(ThreadState.QUARANTINE);
                assertThat(lastClock[k] - 1) // its first clock (the release above ticked once)
                        .as("continues past the old owner's last clock")
                        .isGreaterThanOrEqualTo(owners[before].clock + ThreadState.STALE_TICKS);
            }
        }
    }
}
