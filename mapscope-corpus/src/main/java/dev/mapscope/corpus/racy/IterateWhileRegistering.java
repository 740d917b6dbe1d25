package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.HashMap;
import java.util.Map;

/**
 * A listener registry (a plain {@code HashMap}) that one thread notifies by iterating its values while
 * another registers a batch of listeners: the shutdown-hook pattern, where the notifying loop throws
 * {@code ConcurrentModificationException} or skips listeners. The notifier iterates while the registering
 * thread is provably inside its {@code putAll}.
 */
@Race(
        kinds = {Race.CONCURRENT_ITERATION, Race.UNSYNCHRONIZED_ITERATION},
        overlapping = true,
        method = "register",
        reader = "announce")
public final class IterateWhileRegistering implements Program {
    private final Map<String, Runnable> listeners = new HashMap<>();
    private int round;
    private int calls;

    @Override
    public void run() throws InterruptedException {
        int r = round++;
        HeldPutAll<String, Runnable> batch = new HeldPutAll<>();
        for (int i = 0; i < 16; i++) {
            batch.with("r" + r + "-listener" + i, () -> calls++);
        }
        Thread registrar = new Thread(() -> register(batch), "registrar");
        Thread notifier = new Thread(() -> notifyWhenInside(batch), "notifier");
        registrar.start();
        notifier.start();
        registrar.join();
        notifier.join();
    }

    private void register(Map<String, Runnable> batch) {
        listeners.putAll(batch);
    }

    private void notifyWhenInside(HeldPutAll<String, Runnable> batch) {
        try {
            batch.awaitInside();
            announce();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            batch.looked();
        }
    }

    private int announce() {
        int n = 0;
        for (String name : listeners.keySet()) {
            n += name.length();
        }
        return n;
    }
}
