package dev.mapscope.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SerialMap's lifecycle: close stops the owner thread, calls after close fail clearly, nothing hangs. No verdict
 * here depends on how fast the machine is: threads are joined without a time limit, the GC test counts rounds,
 * and the class timeout only turns a real hang into a failure, with minutes to spare on a loaded machine.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SerialMapCloseTest {

    @Test
    void closeEndsTheOwnerThreadAndLaterCallsFailWithAClearMessage() {
        SerialMap<String, Integer> map = new SerialMap<>();
        map.put("a", 1);
        Thread owner = map.ownerThread();
        assertThat(owner.isAlive()).isTrue();
        assertThat(owner.isDaemon()).isTrue();
        assertThat(owner.getName()).startsWith("mapscope-serial-map-");

        map.close();

        assertThat(owner.isAlive())
                .as("owner thread ended when close() returned")
                .isFalse();
        assertThat(map.isClosed()).isTrue();
        assertThatThrownBy(() -> map.get("a"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("serial map is closed");
        assertThatThrownBy(() -> map.put("b", 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("serial map is closed");
        assertThatThrownBy(map::size).isInstanceOf(IllegalStateException.class);
        map.close(); // idempotent
    }

    @Test
    void closeAnswersCommandsQueuedBeforeIt() throws Exception {
        SerialMap<Integer, Integer> map = new SerialMap<>();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Block the owner inside a compute so that more commands queue up behind it.
        Thread blocker = new Thread(() -> map.compute(0, (k, v) -> {
            inside.countDown();
            awaitQuietly(release);
            return 1;
        }));
        blocker.start();
        inside.await();
        AtomicInteger answered = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            int k = i;
            Thread t = new Thread(() -> {
                map.put(k, k);
                answered.incrementAndGet();
            });
            t.start();
            callers.add(t);
        }
        while (map.ownerThread().getState() != Thread.State.WAITING || queued(map) < 4) {
            Thread.onSpinWait(); // wait until the four puts are queued behind the compute
        }
        Thread closer = new Thread(map::close);
        closer.start();
        while (!map.isClosed()) {
            Thread.onSpinWait();
        }
        release.countDown();
        closer.join();
        blocker.join();
        for (Thread t : callers) {
            t.join();
        }
        assertThat(answered.get()).isEqualTo(4);
        assertThat(map.ownerThread().isAlive()).isFalse();
    }

    private static int queued(SerialMap<?, ?> map) {
        try {
            java.lang.reflect.Field f = SerialMap.class.getDeclaredField("owner");
            f.setAccessible(true);
            return ((SerialMap.Owner<?, ?>) f.get(map)).queue.size();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void callersRacingCloseGetAnAnswerOrTheClosedErrorAndNeverHang() throws Exception {
        for (int round = 0; round < 20; round++) {
            SerialMap<Integer, Integer> map = new SerialMap<>();
            int threads = 4;
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger closedErrors = new AtomicInteger();
            List<Thread> ts = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int id = i;
                Thread t = new Thread(() -> {
                    awaitQuietly(start);
                    for (int n = 0; ; n++) {
                        try {
                            map.merge(id, 1, Integer::sum);
                        } catch (IllegalStateException e) {
                            assertThat(e).hasMessage("serial map is closed");
                            closedErrors.incrementAndGet();
                            return;
                        }
                    }
                });
                t.start();
                ts.add(t);
            }
            start.countDown();
            Thread.sleep(2);
            map.close();
            for (Thread t : ts) {
                t.join(); // a caller that hangs after close trips the class timeout
            }
            assertThat(closedErrors.get()).isEqualTo(threads);
            assertThat(map.ownerThread().isAlive()).isFalse();
        }
    }

    @Test
    void aCallFromInsideAComputeFunctionIsRefusedInsteadOfDeadlocking() {
        try (SerialMap<String, Integer> map = new SerialMap<>()) {
            map.put("a", 1);
            assertThatThrownBy(() -> map.compute("b", (k, v) -> map.get("a")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("owner thread")
                    .hasMessageContaining("deadlock");
            assertThat(map).containsOnlyKeys("a"); // the failed compute changed nothing, the map still works
        }
    }

    @Test
    void anExceptionFromAFunctionReachesTheCallerAndTheOwnerKeepsServing() {
        try (SerialMap<String, Integer> map = new SerialMap<>()) {
            map.put("a", 1);
            assertThatThrownBy(() -> map.computeIfPresent("a", (k, v) -> {
                        throw new ArithmeticException("boom");
                    }))
                    .isInstanceOf(ArithmeticException.class)
                    .hasMessage("boom");
            assertThat(map.get("a")).isEqualTo(1);
            assertThat(map.ownerThread().isAlive()).isTrue();
        }
    }

    @Test
    void anInterruptedCallerStillGetsItsAnswerAndKeepsItsInterruptStatus() {
        try (SerialMap<String, Integer> map = new SerialMap<>()) {
            Thread.currentThread().interrupt();
            assertThat(map.put("a", 1)).isNull();
            assertThat(Thread.interrupted()).isTrue();
            assertThat(map.get("a")).isEqualTo(1);
        }
    }

    /**
     * The Cleaner stops the owner once the map is unreachable. Up to 1,000 rounds of {@code System.gc()}, each
     * followed by a wait for the owner, counted rather than timed: a loaded machine makes each round slower,
     * never fewer.
     */
    @Test
    void anUnreachableMapThatWasNeverClosedStopsItsThreadAfterGc() throws Exception {
        Thread owner = startAndForget();
        for (int round = 0; round < 1_000 && owner.isAlive(); round++) {
            System.gc();
            owner.join(100);
        }
        assertThat(owner.isAlive())
                .as("owner thread of an unreachable SerialMap")
                .isFalse();
    }

    private static Thread startAndForget() {
        SerialMap<String, String> map = new SerialMap<>();
        map.put("k", "v");
        return map.ownerThread();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
