package dev.mapscope.agent.boot.race;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap API's logic, called directly as the advice would call it, without instrumentation. The
 * "maps" are plain objects: MapWatch only uses their identity.
 */
class MapWatchTest {
    private final List<Race> races = new ArrayList<>();

    @BeforeEach
    void start() {
        MapWatch.start(true, new Sink() {
            @Override
            public long report(Race race) {
                synchronized (races) {
                    races.add(race);
                    return races.size();
                }
            }

            @Override
            public void repeat(long key) {}
        });
    }

    @AfterEach
    void stop() {
        MapWatch.stop();
    }

    private List<Race> races() {
        synchronized (races) {
            return new ArrayList<>(races);
        }
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
            int token = MapWatch.enter(map, "putVal", "k", 7, new Object[16]);
            inside.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            MapWatch.exit(map, "putVal", token);
        });
        inside.await();
        Thread b = run(
                "writer-b", () -> MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "j", 9, new Object[16])));
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
    }

    @Test
    void nestedWritesOfOneThreadAreNotARace() {
        Object map = new Object();
        int outer = MapWatch.enter(map, "putAll", null, MapWatch.NO_HASH, null);
        int inner = MapWatch.enter(map, "putVal", "k", 1, null);
        assertThat(outer).isNotZero();
        assertThat(inner).isZero();
        MapWatch.exit(map, "putVal", inner);
        MapWatch.exit(map, "putAll", outer);
        assertThat(races()).isEmpty();
        assertThat(MapWatch.enter(map, "putVal", "k", 1, null))
                .as("the stripe is free again")
                .isNotZero();
    }

    @Test
    void writesOfThreadsStartedOneAfterAnotherAreUnsynchronized() throws Exception {
        Object map = new Object();
        for (int i = 0; i < 3; i++) {
            run("seed-" + i, () -> MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null)))
                    .join();
            // join without the advice: no edge from the child back to this thread
        }
        List<Race> found = races();
        assertThat(found).hasSize(2).allMatch(r -> r.kind.equals(Race.UNSYNCHRONIZED));
        assertThat(found.get(0).otherStackAt).isEqualTo(Race.AT_UNKNOWN);
        assertThat(found.get(1).otherStackAt).as("recorded once the map raced").isEqualTo(Race.AT_WRITE);
        assertThat(found.get(1).otherStack).isNotEmpty();
    }

    @Test
    void aReleaseAcquirePairOrdersTheWrites() throws Exception {
        Object map = new Object();
        Object lock = new Object();
        for (int i = 0; i < 3; i++) {
            run("locked-" + i, () -> {
                        MapWatch.acquired(lock, false);
                        MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null));
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
                    MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null));
                    MapWatch.released(latch, true);
                })
                .join();
        run("user", () -> {
                    MapWatch.acquired(latch, true);
                    MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null));
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
                    MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null)); // after its release
                })
                .join();
        run("b", () -> {
                    MapWatch.acquired(lock, false);
                    MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null));
                })
                .join();
        assertThat(races()).hasSize(1);
    }

    @Test
    void aCommonMonitorIsACommonLock() throws Exception {
        Object map = new Object();
        Object monitor = new Object();
        for (int i = 0; i < 4; i++) {
            run("monitor-" + i, () -> {
                        synchronized (monitor) {
                            MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null));
                        }
                    })
                    .join();
        }
        assertThat(races()).isEmpty();
    }

    @Test
    void differentMonitorsAreFoundAtTheThirdWriter() throws Exception {
        Object map = new Object();
        for (int i = 0; i < 3; i++) {
            Object own = new Object();
            run("own-" + i, () -> {
                        synchronized (own) {
                            MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null));
                        }
                    })
                    .join();
        }
        assertThat(races()).hasSize(1);
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
            run("t-" + i, () -> MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null)))
                    .join();
        }
    }

    @Test
    void stoppedMeansNothingIsRecorded() throws Exception {
        MapWatch.stop();
        Object map = new Object();
        assertThat(MapWatch.enter(map, "putVal", "k", 1, null)).isZero();
        for (int i = 0; i < 3; i++) {
            run("t-" + i, () -> MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "k", 1, null)))
                    .join();
        }
        assertThat(races()).isEmpty();
    }

    @Test
    void intersectionOfSortedSets() {
        assertThat(Locks.intersect(new int[] {1, 3, 5, 9}, new int[] {2, 3, 9, 10}))
                .containsExactly(3, 9);
        assertThat(Locks.intersect(new int[] {1}, new int[] {})).isEmpty();
    }

    @Test
    void clocksJoinElementwise() {
        assertThat(Clocks.join(new int[] {1, 5}, new int[] {3, 2, 7})).containsExactly(3, 5, 7);
    }
}
