package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A session table (a {@code HashMap}) whose every access, reads and iterations included, holds one monitor:
 * {@code get}, {@code containsKey}, iteration, {@code toString} and {@code put} by four threads at once.
 * The monitor orders every read after the writes before it.
 */
public final class ReadsUnderOneLock implements Program {
    private final Map<String, Integer> sessions = new HashMap<>();
    private final Object lock = new Object();

    @Override
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int me = t;
            threads.add(new Thread(() -> work(me), "locked-" + t));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void work(int me) {
        long seen = 0;
        for (int i = 0; i < 2_000; i++) {
            String key = "session" + (i * 4 + me) % 300;
            synchronized (lock) {
                if (!sessions.containsKey(key)) {
                    sessions.put(key, i);
                }
                Integer v = sessions.get(key);
                seen += v == null ? 0 : v;
                if (i % 500 == 0) {
                    for (Integer x : sessions.values()) {
                        seen += x;
                    }
                    seen += sessions.toString().length();
                }
            }
        }
        if (seen == 42) {
            System.out.println("unlikely");
        }
    }
}
