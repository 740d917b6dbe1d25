package dev.mapscope.agent.boot.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The profile's boot logic, called directly (no instrumentation): sampling, shared maps, same-bucket writes. */
class ProfileGateTest {
    /** Records what reaches the sink; uses a map itself, as the real one does. */
    static final class Recording implements ProfileSink {
        final List<String> events = new ArrayList<>();
        final HashMap<String, Integer> byKind = new HashMap<>();
        long samples;

        @Override
        public synchronized void sample(Object map, int family, int op, int bucket, int capacity) {
            samples++;
            byKind.merge(ProfileGate.OPS[op] + " " + bucket, 1, Integer::sum);
        }

        @Override
        public synchronized void sharedWrite(
                Object map,
                int family,
                int op,
                int bucket,
                int capacity,
                Thread previousWriter,
                Thread sameBucket,
                long gapNanos) {
            events.add("shared " + bucket + (previousWriter != null ? " after " + previousWriter.getName() : "")
                    + (sameBucket != null ? " same-bucket " + sameBucket.getName() : ""));
        }

        @Override
        public synchronized void resize(
                Object map, int kind, int oldCapacity, int newCapacity, long startNanos, long durationNanos) {
            events.add(ProfileGate.KINDS[kind] + " " + oldCapacity + "->" + newCapacity);
        }
    }

    @AfterEach
    void stop() {
        ProfileGate.stop();
    }

    @Test
    void oneOperationInNIsSampledOnAverage() {
        for (int n : new int[] {1, 16, 1024}) {
            Recording r = new Recording();
            ProfileGate.start(r, n, 1000);
            Object map = new Object();
            int ops = 2_000_000;
            for (int i = 0; i < ops; i++) {
                ProfileGate.read(map, ProfileGate.HASH_MAP, i, 0L, 64);
            }
            assertThat(ProfileGate.operations()).isEqualTo(ops);
            // uniform countdown in [1, 2N-1]: the estimate samples x N is within a few percent
            assertThat((double) r.samples * n)
                    .as("N = " + n)
                    .isCloseTo(ops, org.assertj.core.data.Percentage.withPercentage(5));
        }
    }

    @Test
    void aSampledReadComputesTheBucketAsTheMapDoes() {
        Recording r = new Recording();
        ProfileGate.start(r, 1, 1000);
        Object map = new Object();
        ProfileGate.read(map, ProfileGate.HASH_MAP, "key", 0L, 64);
        int h = "key".hashCode();
        assertThat(r.byKind).containsOnlyKeys("get " + ((h ^ (h >>> 16)) & 63));
        ProfileGate.write(map, ProfileGate.HASH_MAP, ProfileGate.PUT, "key", 17 + 64, 0L, 64);
        assertThat(r.byKind).containsKey("put 17");
        ProfileGate.write(map, ProfileGate.HASH_MAP, ProfileGate.CLEAR, null, ProfileGate.NO_HASH, 0L, 64);
        assertThat(r.byKind).containsKey("clear -1");
    }

    @Test
    void nothingReachesTheSinkWhenStoppedOrFromABusyThread() {
        Recording r = new Recording();
        ProfileGate.start(r, 1, 1000);
        boolean was = ProfileGate.busy(true);
        ProfileGate.read(new Object(), ProfileGate.HASH_MAP, 1, 0L, 16);
        ProfileGate.busy(was);
        ProfileGate.stop();
        ProfileGate.read(new Object(), ProfileGate.HASH_MAP, 1, 0L, 16);
        ProfileGate.resized(new Object(), ProfileGate.HASH_MAP_RESIZE, 16, 32, ProfileGate.begin());
        assertThat(r.samples).isZero();
        assertThat(r.events).isEmpty();
    }

    @Test
    void aSecondWriterMakesTheMapSharedAndAWriteToItsBucketWithinTheWindowIsReported() throws Exception {
        Recording r = new Recording();
        ProfileGate.start(r, 1_000_000, 60_000_000_000L);
        Object map = new Object();
        ProfileGate.write(map, ProfileGate.HASH_MAP, ProfileGate.PUT, null, 5, 0L, 16);
        ProfileGate.write(map, ProfileGate.HASH_MAP, ProfileGate.PUT, null, 5, 0L, 16);
        assertThat(r.events).as("one writer: not shared").isEmpty();
        Thread other = new Thread(
                () -> ProfileGate.write(map, ProfileGate.HASH_MAP, ProfileGate.PUT, null, 21, 0L, 16), "other");
        other.start();
        other.join();
        ProfileGate.write(map, ProfileGate.HASH_MAP, ProfileGate.PUT, null, 6, 0L, 16);
        ProfileGate.write(map, ProfileGate.HASH_MAP, ProfileGate.PUT, null, 5, 0L, 16);
        String me = Thread.currentThread().getName();
        // bucket 5 (hash 21 & 15): other wrote it, then I did within the window
        assertThat(r.events)
                .containsExactly("shared 5 after " + me, "shared 6 after other", "shared 5 same-bucket other");
    }

    @Test
    void aWriteOutsideTheWindowIsNotASameBucketWrite() throws Exception {
        Recording r = new Recording();
        ProfileGate.start(r, 1_000_000, 0);
        Object map = new Object();
        CountDownLatch done = new CountDownLatch(1);
        ProfileGate.write(map, ProfileGate.HASH_MAP, ProfileGate.PUT, null, 3, 0L, 16);
        new Thread(
                        () -> {
                            ProfileGate.write(map, ProfileGate.HASH_MAP, ProfileGate.PUT, null, 3, 0L, 16);
                            done.countDown();
                        },
                        "other")
                .start();
        done.await();
        Thread.sleep(2);
        ProfileGate.write(map, ProfileGate.HASH_MAP, ProfileGate.PUT, null, 3, 0L, 16);
        assertThat(r.events).noneMatch(e -> e.contains("same-bucket"));
    }

    @Test
    void resizeStepsReachTheSinkWithTheirCapacities() {
        Recording r = new Recording();
        ProfileGate.start(r, 1, 1000);
        ProfileGate.resized(new Object(), ProfileGate.GO_GROW, 8, 16, ProfileGate.begin());
        ProfileGate.resized(new Object(), ProfileGate.HASH_MAP_RESIZE, 16, 32, 0L); // began before the profile
        assertThat(r.events).containsExactly("GoMap.grow 8->16");
    }

    /** The copy of GoMap's hash in ProfileGate (the agent does not link to mapscope-maps) against the original. */
    @Test
    void goMapsBucketFollowsGoMapsHash() throws Exception {
        java.lang.reflect.Method hash =
                dev.mapscope.maps.GoMap.class.getDeclaredMethod("hash", Object.class, long.class);
        hash.setAccessible(true);
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 1000; i++) {
            long seed = r.nextLong();
            Object key = i % 2 == 0 ? (Object) r.nextInt() : "k" + r.nextInt();
            long expected = (long) hash.invoke(null, key, seed);
            assertThat(ProfileGate.bucket(ProfileGate.GO_MAP, key, ProfileGate.NO_HASH, seed, 1 << 20, ProfileGate.GET))
                    .isEqualTo((int) expected & ((1 << 20) - 1));
        }
    }
}
