package dev.mapscope.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapscope.agent.boot.probe.ProbeHook;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The probe's own pieces, without instrumentation: request parsing, the hit queue, the same-bucket table. */
class ProbeRequestTest {
    @Test
    void parsesEveryKeyAndDecodesValues() {
        ProbeRequest r = ProbeRequest.parse("on=put map=class%3AHashMap if=bucket+%3D%3D+17 capture=thread%2Ckey"
                + " limit=7 rate=9 duration=1500 stack=4 same-bucket-within=1000");
        assertThat(r.ops).isEqualTo(1 << ProbeHook.PUT);
        assertThat(r.map).isEqualTo("class:HashMap");
        assertThat(r.condition).isEqualTo("bucket == 17");
        assertThat(r.capture).isEqualTo("thread,key");
        assertThat(r.limit).isEqualTo(7);
        assertThat(r.rate).isEqualTo(9);
        assertThat(r.durationMillis).isEqualTo(1500);
        assertThat(r.stack).isEqualTo(4);
        assertThat(r.sameBucketMicros).isEqualTo(1000);
        assertThat(ProbeRequest.parse("on=get,clear,resize").ops)
                .isEqualTo(1 << ProbeHook.GET | 1 << ProbeHook.CLEAR | 1 << ProbeHook.RESIZE);
        ProbeRequest d = ProbeRequest.parse("");
        assertThat(d.limit).isEqualTo(100);
        assertThat(d.rate).isEqualTo(1000);
        assertThat(d.capture).isEqualTo("thread,op,keyHash,bucket");
    }

    @Test
    void refusesWithOneSentence() {
        assertThatThrownBy(() -> ProbeRequest.parse("stack=300"))
                .hasMessage("stack must be between 1 and 256; got stack=300");
        assertThatThrownBy(() -> ProbeRequest.parse("rate=fast"))
                .hasMessage("rate must be a whole number; got rate=fast");
        assertThatThrownBy(() -> ProbeRequest.parse("limit"))
                .hasMessage("request arguments are key=value pairs; got limit");
        assertThatThrownBy(() -> ProbeRequest.parse("if=%zz"))
                .hasMessage("the value of if is not percent-encoded: %zz");
        assertThatThrownBy(() -> ProbeCheck.of("bucket ==", "thread", false))
                .hasMessageStartingWith("if=bucket == is not a valid condition: ");
    }

    @Test
    void hitQueueKeepsOrderAndRefusesWhenFull() throws Exception {
        HitQueue q = new HitQueue(4);
        assertThat(q.poll()).isNull();
        for (int i = 0; i < 4; i++) {
            assertThat(q.offer("h" + i)).isTrue();
        }
        assertThat(q.offer("h4")).isFalse();
        assertThat(q.poll()).isEqualTo("h0");
        assertThat(q.offer("h5")).isTrue();
        List<String> rest = new ArrayList<>();
        for (String s = q.poll(); s != null; s = q.poll()) {
            rest.add(s);
        }
        assertThat(rest).containsExactly("h1", "h2", "h3", "h5");

        // four producers, one consumer: every line offered and accepted is polled exactly once
        HitQueue shared = new HitQueue(64);
        Thread[] producers = new Thread[4];
        int[] accepted = new int[4];
        for (int p = 0; p < 4; p++) {
            int me = p;
            producers[p] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (shared.offer(me + ":" + i)) {
                        accepted[me]++;
                    }
                }
            });
            producers[p].start();
        }
        int polled = 0;
        boolean alive = true;
        while (alive) {
            alive = false;
            for (Thread t : producers) {
                alive |= t.isAlive();
            }
            for (String s = shared.poll(); s != null; s = shared.poll()) {
                polled++;
            }
        }
        for (String s = shared.poll(); s != null; s = shared.poll()) {
            polled++;
        }
        assertThat(polled).isEqualTo(accepted[0] + accepted[1] + accepted[2] + accepted[3]);
    }

    @Test
    void sameBucketReportsAnotherThreadWithinTheWindowOnly() throws Exception {
        SameBucket d = new SameBucket(2_000_000_000L); // 2 s: the writes below are well within it
        Object map = new Object();
        Thread me = Thread.currentThread();
        Thread other = new Thread(() -> {});
        assertThat(d.write(map, 3, me, System.nanoTime())).isNull();
        assertThat(d.write(map, 3, me, System.nanoTime())).as("same thread").isNull();
        SameBucket.Earlier e = d.write(map, 3, other, System.nanoTime());
        assertThat(e).isNotNull();
        assertThat(e.thread).isSameAs(me);
        assertThat(e.gapNanos).isBetween(0L, 2_000_000_000L);
        assertThat(d.write(map, 4, me, System.nanoTime())).as("another bucket").isNull();
        assertThat(d.write(new Object(), 3, me, System.nanoTime()))
                .as("another map")
                .isNull();
        assertThat(d.write(map, -1, me, System.nanoTime())).as("no bucket").isNull();

        SameBucket narrow = new SameBucket(1_000_000); // 1 ms
        assertThat(narrow.write(map, 3, me, System.nanoTime())).isNull();
        Thread.sleep(20);
        assertThat(narrow.write(map, 3, other, System.nanoTime()))
                .as("outside the window")
                .isNull();
    }
}
