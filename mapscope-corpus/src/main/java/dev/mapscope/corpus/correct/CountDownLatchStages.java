package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A pipeline of stages, each on its own thread, gated by {@code CountDownLatch}es: the loader fills the
 * record, counts down; the validator awaits, writes, counts down; the caller awaits and writes last. Actions
 * before {@code countDown} happen-before a successful return from {@code await}.
 */
public final class CountDownLatchStages implements Program {
    @Override
    public void run() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            pipeline(i);
        }
    }

    private void pipeline(int id) throws InterruptedException {
        Map<String, Integer> record = new HashMap<>();
        CountDownLatch loaded = new CountDownLatch(1);
        CountDownLatch validated = new CountDownLatch(1);
        Thread loader = new Thread(
                () -> {
                    load(record, id);
                    loaded.countDown();
                },
                "latch-loader");
        Thread validator = new Thread(
                () -> {
                    try {
                        loaded.await();
                        validate(record);
                        validated.countDown();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "latch-validator");
        validator.start();
        loader.start();
        validated.await();
        store(record);
        loader.join();
        validator.join();
    }

    private static void load(Map<String, Integer> record, int id) {
        record.put("id", id);
        record.put("amount", id * 10);
    }

    private static void validate(Map<String, Integer> record) {
        record.put("valid", record.get("amount") >= 0 ? 1 : 0);
    }

    private static void store(Map<String, Integer> record) {
        record.put("stored", 1);
    }
}
