package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Defaults filled in a static initializer, overridden later by worker threads under a lock. The class is
 * first used by one of the workers, so its initializer runs on that worker, outside the lock; class
 * initialization happens-before any use of the class by another thread (JLS 12.4.2), and the later writes
 * are ordered by the lock.
 */
public final class StaticInitializerThenLock implements Program {
    private final Object settingsLock = new Object();

    /** Initialized on first use, by whichever worker gets there first. */
    static final class Settings {
        static final Map<String, String> VALUES = new HashMap<>();

        static {
            for (int i = 0; i < 50; i++) {
                VALUES.put("setting." + i, "default");
            }
        }

        private Settings() {}
    }

    @Override
    public void run() throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            workers.add(new Thread(() -> override(id), "settings-" + w));
        }
        for (Thread t : workers) {
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
    }

    private void override(int worker) {
        Map<String, String> values = Settings.VALUES; // may initialize the class, outside the lock
        for (int i = 0; i < 500; i++) {
            synchronized (settingsLock) {
                values.put("setting." + (i % 60), "worker" + worker);
            }
        }
    }
}
