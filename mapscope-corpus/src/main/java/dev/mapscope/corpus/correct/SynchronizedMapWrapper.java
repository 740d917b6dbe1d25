package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code Collections.synchronizedMap} over a {@code HashMap}, written by four threads through the wrapper
 * only, and iterated under the wrapper's monitor as its javadoc requires.
 */
public final class SynchronizedMapWrapper implements Program {
    private final Map<String, Integer> sessions = Collections.synchronizedMap(new HashMap<>());

    @Override
    public void run() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int id = w;
            threads.add(new Thread(() -> serve(id), "syncmap-" + w));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void serve(int worker) {
        for (int i = 0; i < 3_000; i++) {
            sessions.merge("session" + (i % 200), 1, Integer::sum);
            if (i % 500 == 0) {
                expire(worker);
            }
        }
    }

    private void expire(int worker) {
        synchronized (sessions) {
            sessions.keySet().removeIf(s -> s.hashCode() % 4 == worker);
        }
    }
}
