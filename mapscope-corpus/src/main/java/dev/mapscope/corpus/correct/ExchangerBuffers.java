package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Exchanger;

/**
 * The double-buffering of {@code Exchanger}'s own javadoc, with maps: the filler fills a buffer and swaps it
 * for the drainer's empty one; the drainer totals the full one, clears it and swaps it back. Both threads
 * write both maps; what each did before {@code exchange} happens-before the other's return from it.
 */
public final class ExchangerBuffers implements Program {
    private static final int SWAPS = 2_000;

    private final Exchanger<Map<String, Integer>> exchanger = new Exchanger<>();
    private long total; // read by run() after join

    @Override
    public void run() throws InterruptedException {
        Thread filler = new Thread(this::fillLoop, "exchange-filler");
        Thread drainer = new Thread(this::drainLoop, "exchange-drainer");
        filler.start();
        drainer.start();
        filler.join();
        drainer.join();
    }

    private void fillLoop() {
        Map<String, Integer> buffer = new HashMap<>();
        try {
            for (int i = 0; i < SWAPS; i++) {
                fill(buffer, i);
                buffer = exchanger.exchange(buffer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drainLoop() {
        Map<String, Integer> buffer = new HashMap<>();
        try {
            for (int i = 0; i < SWAPS; i++) {
                buffer = exchanger.exchange(buffer);
                drain(buffer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fill(Map<String, Integer> buffer, int i) {
        for (int k = 0; k < 8; k++) {
            buffer.put("reading" + k, i + k);
        }
    }

    private void drain(Map<String, Integer> buffer) {
        for (int v : buffer.values()) {
            total += v;
        }
        buffer.clear();
    }
}
