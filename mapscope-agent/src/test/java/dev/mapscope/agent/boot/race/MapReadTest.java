package dev.mapscope.agent.boot.race;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reads and iterations, called directly as the advice would call them (MapWatch.read, iterationStarts,
 * iterationStep), without instrumentation. The "maps" are plain objects with a table array of their own,
 * as the HashMap family passes its table.
 */
class MapReadTest {
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

    private static void put(Object map, Object[] table, String key) {
        MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", key, key.hashCode(), table), table);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aReaderFindsAWriterInsideTheMap() throws Exception {
        Object map = new Object();
        Object[] table = new Object[16];
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread writer = run("writer", () -> {
            Object token = MapWatch.enter(map, "putVal", "k", 7, table);
            inside.countDown();
            await(release);
            MapWatch.exit(map, "putVal", token, table);
        });
        inside.await();
        Thread reader = run("reader", () -> MapWatch.read(map, "getNode", "j", false, table));
        reader.join();
        release.countDown();
        writer.join();
        assertThat(races()).anySatisfy(r -> {
            assertThat(r.kind).isEqualTo(Race.CONCURRENT_READ);
            assertThat(r.thread).isSameAs(reader);
            assertThat(r.other).isSameAs(writer);
            assertThat(r.otherStackAt)
                    .as("completed by the writer at the end of its write")
                    .isEqualTo(Race.AT_WRITE);
            assertThat(r.otherStack).anyMatch(e -> e.getMethodName().startsWith("lambda$aReaderFindsAWriter"));
        });
    }

    @Test
    void anIterationStepFindsAWriterInsideTheMap() throws Exception {
        Object map = new Object();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread writer = run("writer", () -> {
            Object token = MapWatch.enter(map, "putMapEntries", null, MapWatch.NO_HASH, null);
            inside.countDown();
            await(release);
            MapWatch.exit(map, "putMapEntries", token, null);
        });
        inside.await();
        Thread reader = run("iterator", () -> MapWatch.iterationStep(map, "nextNode"));
        reader.join();
        release.countDown();
        writer.join();
        assertThat(races())
                .anyMatch(r -> r.kind.equals(Race.CONCURRENT_ITERATION) && r.thread == reader && r.other == writer);
    }

    @Test
    void aReadInsideTheThreadsOwnWriteIsNotARace() {
        Object map = new Object();
        Object token = MapWatch.enter(map, "remove", "k", MapWatch.NO_HASH, null);
        MapWatch.read(map, "getEntry", "k", true, null); // TreeMap.remove finds the entry first
        MapWatch.iterationStep(map, "nextEntry");
        MapWatch.exit(map, "remove", token, null);
        assertThat(races()).isEmpty();
    }

    /** The common case: a table built, then read by threads started after it; nothing kept, nothing said. */
    @Test
    void mapsBuiltBeforeTheReadersStartedAreSilentAndNeverSuspected() throws Exception {
        Object map = new Object();
        Object[] table = new Object[16];
        for (int i = 0; i < 100; i++) {
            put(map, table, "k" + i);
        }
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            readers.add(run("reader-" + r, () -> {
                for (int i = 0; i < 10_000; i++) {
                    MapWatch.read(map, "getNode", "k" + i % 120, i % 120 < 100, table);
                    if (i % 1_000 == 0) {
                        MapWatch.iterationStarts(map, "iterator", null);
                    }
                }
            }));
        }
        for (Thread t : readers) {
            t.join();
        }
        assertThat(races()).isEmpty();
        assertThat(Sharing.suspected(map))
                .as("reads alone never make a map suspected")
                .isFalse();
        assertThat(Sharing.usage(map)).isNull();
    }

    @Test
    void readsUnderTheWritersLockAreOrdered() throws Exception {
        Object map = new Object();
        Object[] table = new Object[16];
        Object lock = new Object();
        for (int round = 0; round < 3; round++) {
            run("writer-" + round, () -> {
                        MapWatch.acquired(lock, false);
                        put(map, table, "k");
                        MapWatch.released(lock, false);
                    })
                    .join();
            run("reader-" + round, () -> {
                        MapWatch.acquired(lock, false);
                        MapWatch.read(map, "getNode", "k", true, table);
                        MapWatch.released(lock, false);
                    })
                    .join();
        }
        assertThat(races()).isEmpty();
    }

    /**
     * A map published and then still written: the reader was started before the writes and nothing orders
     * them. The first unordered read keeps the map (the young state's table identity is this map's) and the
     * writer's next write records its stack; the next unordered read is a race with both stacks, counted.
     */
    @Test
    void anUnorderedReadIsReportedWithBothStacksAndTheMapsUsage() throws Exception {
        Object map = new Object();
        Object[] table = new Object[16];
        CountDownLatch[] turn = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
        // the latches are invisible to the detector here (no advice): nothing orders the two threads
        Thread reader = run("reader", () -> {
            await(turn[0]);
            MapWatch.read(map, "getNode", "a", true, table);
            MapWatch.read(map, "getNode", "missing", false, table);
            turn[1].countDown();
            await(turn[2]);
            MapWatch.read(map, "getNode", "b", true, table);
        });
        Thread writer = run("writer", () -> {
            put(map, table, "a");
            turn[0].countDown();
            await(turn[1]);
            put(map, table, "missing"); // the reader's miss is not this thread's: not check-then-act
            put(map, table, "b");
            turn[2].countDown();
        });
        reader.join();
        writer.join();
        assertThat(races()).singleElement().satisfies(r -> {
            assertThat(r.kind).isEqualTo(Race.UNSYNCHRONIZED_READ);
            assertThat(r.thread).isSameAs(reader);
            assertThat(r.other).isSameAs(writer);
            assertThat(r.otherStackAt).isEqualTo(Race.AT_WRITE);
            assertThat(r.stack).anyMatch(e -> e.getMethodName().startsWith("lambda$anUnorderedRead"));
            assertThat(r.otherStack).anyMatch(e -> e.getMethodName().startsWith("lambda$anUnorderedRead"));
            assertThat(r.usage).isNotNull();
            assertThat(r.usage.reads).isGreaterThanOrEqualTo(2);
            assertThat(r.usage.writes).isEqualTo(2);
            assertThat(r.usage.checkThenAct).isZero();
            assertThat(r.usage.readerThreads()).isEqualTo(1);
            assertThat(r.usage.writerThreads()).isEqualTo(1);
        });
        assertThat(Sharing.suspected(map)).isTrue();
    }

    @Test
    void anUnorderedIterationIsAnIterationRace() throws Exception {
        Object map = new Object();
        Object[] table = new Object[16];
        CountDownLatch[] turn = {new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1)};
        Thread reader = run("iterator", () -> {
            await(turn[0]);
            MapWatch.iterationStarts(map, "iterator", table);
            turn[1].countDown();
            await(turn[2]);
            MapWatch.iterationStarts(map, "iterator", table);
        });
        Thread writer = run("registrar", () -> {
            put(map, table, "a");
            turn[0].countDown();
            await(turn[1]);
            put(map, table, "b");
            turn[2].countDown();
        });
        reader.join();
        writer.join();
        assertThat(races()).singleElement().satisfies(r -> {
            assertThat(r.kind).isEqualTo(Race.UNSYNCHRONIZED_ITERATION);
            assertThat(r.usage.iterations).isEqualTo(2);
        });
    }

    /** A miss, then a put of the same key by the same thread, on a suspected map: check-then-act. */
    @Test
    void aPutOfAKeyThisThreadJustMissedIsCheckThenAct() throws Exception {
        Object map = new Object();
        Object[] table = new Object[16];
        run("first", () -> put(map, table, "x")).join();
        run("second", () -> put(map, table, "y")).join(); // unordered change of writer: suspected
        run("third", () -> {
                    MapWatch.read(map, "getNode", "z", false, table);
                    put(map, table, "z");
                    MapWatch.read(map, "getNode", "w", false, table);
                    put(map, table, "v"); // another key: not check-then-act
                })
                .join();
        Counts u = Sharing.usage(map);
        assertThat(u).isNotNull();
        assertThat(u.checkThenAct).isEqualTo(1);
        assertThat(u.writerThreads()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anAccessOrderedGetIsCounted() throws Exception {
        Object map = new Object();
        Object[] table = new Object[16];
        run("first", () -> put(map, table, "x")).join();
        run("second", () -> put(map, table, "y")).join();
        run(
                        "lru",
                        () -> MapWatch.exit(
                                map,
                                "afterNodeAccess",
                                MapWatch.enter(map, "afterNodeAccess", null, MapWatch.NO_HASH, table),
                                table))
                .join();
        assertThat(Sharing.usage(map).accessOrder).isTrue();
    }

    /**
     * FastTrack's other direction on a suspected map: a read ordered after the last write, then a write that
     * is not ordered after the read. The first such write asks for the reads' stacks; the next is a race with
     * both stacks, the writer's now and the reader's at its read.
     */
    @Test
    void aWriteAfterAnUnorderedReadIsReportedWithBothStacks() throws Exception {
        Object map = new Object();
        Object[] table = new Object[16];
        Object lock = new Object();
        CountDownLatch[] turn = new CountDownLatch[4];
        for (int i = 0; i < turn.length; i++) {
            turn[i] = new CountDownLatch(1); // invisible to the detector: only `lock` orders anything
        }
        run("first", () -> put(map, table, "a")).join();
        Thread writer = run("writer", () -> {
            put(map, table, "b"); // not ordered after "first": the map is suspected from here on
            MapWatch.released(lock, false);
            turn[0].countDown();
            await(turn[1]);
            put(map, table, "c"); // not ordered after the read: the reads' stacks are asked for
            MapWatch.released(lock, false);
            turn[2].countDown();
            await(turn[3]);
            put(map, table, "d"); // not ordered after the second read, whose stack is known: a race
        });
        Thread reader = run("reader", () -> {
            await(turn[0]);
            MapWatch.acquired(lock, false);
            MapWatch.read(map, "getNode", "b", true, table);
            turn[1].countDown();
            await(turn[2]);
            MapWatch.acquired(lock, false);
            MapWatch.read(map, "getNode", "c", true, table);
            turn[3].countDown();
        });
        writer.join();
        reader.join();
        assertThat(races()).singleElement().satisfies(r -> {
            assertThat(r.kind).isEqualTo(Race.UNSYNCHRONIZED_READ);
            assertThat(r.thread).isSameAs(writer);
            assertThat(r.other).isSameAs(reader);
            assertThat(r.otherOperation).isEqualTo("getNode");
            assertThat(r.otherStack).anyMatch(e -> e.getMethodName().startsWith("lambda$aWriteAfterAnUnorderedRead"));
            assertThat(r.stack).anyMatch(e -> e.getMethodName().startsWith("lambda$aWriteAfterAnUnorderedRead"));
        });
    }

    /** Readers ordered after the last write and before the next one (a lock around both): no race. */
    @Test
    void readsOrderedBeforeTheNextWriteAreNotARace() throws Exception {
        Object map = new Object();
        Object[] table = new Object[16];
        Object lock = new Object();
        run("first", () -> put(map, table, "a")).join();
        run("second", () -> {
                    put(map, table, "b"); // not ordered after "first": suspected, reads are recorded from here on
                    MapWatch.released(lock, false);
                })
                .join();
        for (int round = 0; round < 3; round++) {
            Thread[] readers = new Thread[2];
            for (int i = 0; i < readers.length; i++) {
                readers[i] = run("reader-" + round + "-" + i, () -> {
                    MapWatch.acquired(lock, false);
                    MapWatch.read(map, "getNode", "a", true, table);
                    MapWatch.released(lock, false);
                });
                readers[i].join();
            }
            run("writer-" + round, () -> {
                        MapWatch.acquired(lock, false);
                        put(map, table, "k");
                        MapWatch.released(lock, false);
                    })
                    .join();
        }
        assertThat(races()).noneMatch(r -> !r.kind.equals(Race.UNSYNCHRONIZED));
    }
}
