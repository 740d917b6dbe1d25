package dev.mapscope.junit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Run by {@link MapscopeExtensionTest} through the engine test kit, not by Surefire (no Test suffix). */
@DetectMapRaces
class RacyFixture {
    /** The seed program: must fail. */
    @Test
    void tenThreadsWriteOneMap() throws InterruptedException {
        race();
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

    /** The article's seed: ten threads put one key each into one HashMap, no lock. */
    static void race() throws InterruptedException {
        Map<String, Integer> map = new HashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int k = i;
            threads.add(new Thread(() -> map.put("k" + k, k), "writer-" + i));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
