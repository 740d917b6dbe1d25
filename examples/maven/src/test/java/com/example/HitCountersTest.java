package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No mapscope annotation: mapscope-junit on the test class path watches every test. */
class HitCountersTest {
    /** Four request threads, one page each, on one map. */
    private static void serve(Map<String, Integer> hits) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String page = "/page-" + i;
            threads.add(new Thread(() -> HitCounters.countRacy(hits, page), "request-" + i));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** Fails under mapscope: the threads write one HashMap with no order between them. */
    @Test
    void racyCounter() throws InterruptedException {
        Map<String, Integer> hits = HitCounters.newRacy();
        serve(hits);
        assertEquals(4, hits.size(), "a lost entry is rare; the race is there in every run");
    }

    /** Passes: the same code on a ConcurrentHashMap. */
    @Test
    void safeCounter() throws InterruptedException {
        Map<String, Integer> hits = HitCounters.newSafe();
        serve(hits);
        assertEquals(4, hits.size());
    }
}
