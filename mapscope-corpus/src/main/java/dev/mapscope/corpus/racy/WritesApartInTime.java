package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.HashMap;
import java.util.Map;

/**
 * Two threads write one map once each, the second 20 ms after the first: they never overlap in time, but
 * nothing orders them (a sleep is not synchronisation), so under the Java Memory Model this is a data race
 * and the second writer may see a stale table. Only the happens-before check can see it; the overlap check
 * cannot, by design.
 */
@Race(kinds = Race.UNSYNCHRONIZED_WRITE, overlapping = false, method = "write")
public final class WritesApartInTime implements Program {
    private final Map<String, Integer> shared = new HashMap<>();
    private int round;

    @Override
    public void run() throws InterruptedException {
        int r = round++;
        Thread early = new Thread(() -> write("early" + r), "apart-early");
        Thread late = new Thread(
                () -> {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    write("late" + r);
                },
                "apart-late");
        early.start();
        late.start();
        early.join();
        late.join();
    }

    private void write(String key) {
        shared.put(key, 1);
    }
}
