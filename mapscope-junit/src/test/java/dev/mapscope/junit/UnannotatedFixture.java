package dev.mapscope.junit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No mapscope annotation: watched only when the extension is registered automatically. Run by the tests through
 * the engine, not by Surefire (no Test suffix).
 */
class UnannotatedFixture {
    /** The seed program: must fail. */
    @Test
    void tenThreadsWriteOneMap() throws InterruptedException {
        RacyFixture.race();
    }

    /** Handed over by start and join: must pass. */
    @Test
    void handOffByStartAndJoin() throws InterruptedException {
        Map<String, Integer> map = new HashMap<>();
        map.put("a", 1);
        Thread t = new Thread(() -> map.put("b", 2), "helper");
        t.start();
        t.join();
        map.put("c", 3);
    }

    /** A race made on purpose and declared: must pass. */
    @Test
    @ExpectMapRace
    void expectedRace() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        Map<Integer, Integer> map = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            int k = i;
            threads.add(new Thread(() -> map.put(k, k), "expected-" + i));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** Declares a race and makes none: must fail. */
    @Test
    @ExpectMapRace
    void expectedRaceThatNeverHappens() {
        new HashMap<String, String>().put("alone", "1");
    }
}
