package com.example;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Two page-hit counters: one a plain HashMap that request threads share (a race), one correct. */
public final class HitCounters {
    private HitCounters() {}

    /** Racy: request threads call this on one HashMap, with no lock. */
    public static void countRacy(Map<String, Integer> hits, String page) {
        hits.merge(page, 1, Integer::sum);
    }

    public static Map<String, Integer> newRacy() {
        return new HashMap<>();
    }

    /** Correct: ConcurrentHashMap.merge is atomic. */
    public static Map<String, Integer> newSafe() {
        return new ConcurrentHashMap<>();
    }
}
