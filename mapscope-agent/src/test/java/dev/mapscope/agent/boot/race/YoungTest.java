package dev.mapscope.agent.boot.race;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The packed young state: what its words hold, and what counts as evidence when two claims tear them apart. */
class YoungTest {
    @RegisterExtension
    final RecordedRaces recorded = new RecordedRaces();

    @Test
    void theFirstWordKeepsTheHashTheWriterAndTheEpoch() {
        int[] hashes = {1, Sharing.STRIPES - 1, Sharing.STRIPES, 0x2bad_cafe, Integer.MAX_VALUE};
        int[] writers = {0, 1, ThreadState.MAX_THREADS - 1};
        int[] epochs = {1, 65, ThreadState.MAX_CLOCK};
        for (int h : hashes) {
            for (int idx : writers) {
                for (int e : epochs) {
                    long w = Young.tag(h, idx, e);
                    assertThat(w).isNotZero();
                    assertThat(Young.names(w, h)).isTrue();
                    assertThat(Young.names(w, h + Sharing.STRIPES)).isFalse(); // same stripe, another map
                    assertThat(Young.writer(w)).isEqualTo(idx);
                    assertThat(Young.epoch(w)).isEqualTo(e);
                }
            }
        }
    }

    @Test
    void aTableIdentityCountsOnlyForTheThreadThatStoredIt() {
        int b = Young.base(77);
        Young.claim(b, Young.tag(77, 5, 3), "putVal", ThreadState.current());
        long x = Young.x(b);
        assertThat(Young.fpBy(x, 5)).isZero();
        assertThat(Young.op(x)).isEqualTo("putVal");
        Young.fp(b, x, 0x1234_5678, 5);
        assertThat(Young.fpBy(Young.x(b), 5)).isEqualTo(0x1234_5678);
        assertThat(Young.fpBy(Young.x(b), 6)).isZero();
        assertThat(Young.epochs(Young.x(b))).isEqualTo(1);
        Young.set(b, 0, 0);
    }

    @Test
    void anUnorderedSecondWriterHoldsARaceWhenTheTableIsTheFirstWritersOwn() throws Exception {
        assertThat(twoWritersOfOneTable(false)).singleElement().satisfies(r -> {
            assertThat(r.kind).isEqualTo(Race.UNSYNCHRONIZED);
            assertThat(r.otherStackAt).isEqualTo(Race.AT_UNKNOWN);
            assertThat(r.other.getName()).isEqualTo("first");
        });
    }

    /**
     * Two claims of one stripe at the same instant can leave one thread's first word with another thread's second:
     * the table identity there is then not the writer's, and must not make the writer's write this map's.
     */
    @Test
    void aTableIdentityLeftByAnotherThreadIsNoEvidence() throws Exception {
        assertThat(twoWritersOfOneTable(true)).isEmpty();
    }

    private List<Race> twoWritersOfOneTable(boolean tornByAnotherThread) throws Exception {
        Object map = new Object();
        Object[] table = new Object[16];
        int b = Young.base(System.identityHashCode(map));
        AtomicInteger firstIdx = new AtomicInteger();
        Thread first = start("first", () -> {
            Object token = MapWatch.enter(map, "putVal", "k", 1, table);
            MapWatch.exit(map, "putVal", token, table);
            firstIdx.set(ThreadState.current().idx);
        });
        first.join(); // without the advice: no edge from the writer to the next thread
        if (tornByAnotherThread) {
            int other = (firstIdx.get() + 1) % ThreadState.MAX_THREADS;
            Young.claim(b, Young.w(b), "putVal", ThreadState.current());
            Young.fp(b, Young.x(b), System.identityHashCode(table), other);
        }
        start("second", () -> MapWatch.exit(map, "putVal", MapWatch.enter(map, "putVal", "j", 2, table), table))
                .join();
        Sharing.flushHeld();
        List<Race> ofThisMap = new ArrayList<>();
        for (Race r : recorded.all()) {
            if (r.mapHash == System.identityHashCode(map)) {
                ofThisMap.add(r); // flushHeld also reports what other tests of this JVM left held
            }
        }
        return ofThisMap;
    }

    private static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        MapWatch.threadStarting(t);
        t.start();
        return t;
    }
}
