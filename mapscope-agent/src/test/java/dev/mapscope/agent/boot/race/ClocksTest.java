package dev.mapscope.agent.boot.race;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The clocks' release/acquire, including FastTrack's shortcuts: whatever path a release or an acquire
 * takes, an acquirer learns every epoch released into the clock before it. Each thread is a single-thread
 * executor, so the test decides the order of the steps (Future.get between them).
 */
class ClocksTest {
    static final ExecutorService A = Executors.newSingleThreadExecutor();
    static final ExecutorService B = Executors.newSingleThreadExecutor();

    @AfterAll
    static void stop() {
        A.shutdown();
        B.shutdown();
    }

    static <T> T on(ExecutorService thread, Callable<T> step) throws Exception {
        return thread.submit(step).get();
    }

    static int[] state() {
        ThreadState t = ThreadState.tracked();
        return new int[] {t.idx, t.clock};
    }

    static int knows(int idx) {
        int[] vc = ThreadState.tracked().vc;
        return idx < vc.length ? vc[idx] : 0;
    }

    /** A clock that reaches its maximum stays there (never wraps to a negative epoch) and is counted once. */
    @Test
    void aClockStopsAtItsMaximumAndIsCountedOnce() throws Exception {
        Object sync = new Object();
        long before = ThreadState.saturated();
        int[] last = new int[2];
        Thread t = new Thread(() -> {
            ThreadState me = ThreadState.tracked();
            me.clock = ThreadState.MAX_CLOCK - 2;
            me.vc[me.idx] = me.clock;
            for (int i = 0; i < 5; i++) {
                Clocks.release(sync);
            }
            last[0] = me.idx;
            last[1] = me.clock;
        });
        t.start();
        t.join();
        assertThat(last[1]).isEqualTo(ThreadState.MAX_CLOCK);
        assertThat(ThreadState.saturated() - before).isEqualTo(1);
        assertThat(on(B, () -> {
                    Clocks.acquire(sync);
                    return knows(last[0]);
                }))
                .isEqualTo(ThreadState.MAX_CLOCK);
    }

    @Test
    void anAcquirerLearnsEveryReleaseBeforeIt() throws Exception {
        Object sync = new Object();
        int[] a = on(A, ClocksTest::state);
        int[] b = on(B, ClocksTest::state);
        on(A, () -> {
            Clocks.release(sync);
            return null;
        });
        assertThat(on(B, () -> {
                    Clocks.acquire(sync);
                    return knows(a[0]);
                }))
                .isEqualTo(a[1]);
        // A releases twice more with nothing learnt in between: the second takes the one-store fast path.
        int released = on(A, () -> {
            Clocks.acquire(sync);
            Clocks.release(sync);
            Clocks.release(sync);
            return ThreadState.tracked().clock - 1;
        });
        assertThat(on(B, () -> {
                    Clocks.acquire(sync);
                    return knows(a[0]);
                }))
                .isEqualTo(released);
        // B releases without A knowing; A, who released last before, must still learn B's epoch.
        int bReleased = on(B, () -> {
            Clocks.release(sync);
            return ThreadState.tracked().clock - 1;
        });
        assertThat(on(A, () -> {
                    Clocks.acquire(sync);
                    return knows(b[0]);
                }))
                .isEqualTo(bReleased);
        // A acquiring again with no release in between learns nothing new and keeps what it knew.
        assertThat(on(A, () -> {
                    Clocks.acquire(sync);
                    return knows(b[0]);
                }))
                .isEqualTo(bReleased);
    }

    @Test
    void theEndOfAStaticInitializerIsJoinedBeforeAConclusion() throws Exception {
        int[] a = on(A, () -> {
            Clocks.classInitialized(ThreadState.tracked());
            return new int[] {ThreadState.tracked().idx, ThreadState.tracked().clock - 1};
        });
        assertThat(on(B, () -> {
                    Clocks.joinClassInits(ThreadState.tracked());
                    return knows(a[0]);
                }))
                .isGreaterThanOrEqualTo(a[1]);
    }
}
