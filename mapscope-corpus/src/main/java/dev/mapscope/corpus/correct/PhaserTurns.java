package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Phaser;

/**
 * Four parties advance through phases of a {@code Phaser}; in each phase exactly one of them (phase modulo
 * four) updates the shared schedule. Arriving happens-before the phase advances and every party returns from
 * {@code arriveAndAwaitAdvance}, so consecutive phases' writers are ordered.
 */
public final class PhaserTurns implements Program {
    private static final int PARTIES = 4;
    private static final int PHASES = 400;

    private final Phaser phaser = new Phaser(PARTIES);
    private final Map<Integer, Integer> schedule = new HashMap<>();

    @Override
    public void run() throws InterruptedException {
        List<Thread> parties = new ArrayList<>();
        for (int p = 0; p < PARTIES; p++) {
            int id = p;
            parties.add(new Thread(() -> take(id), "phaser-" + p));
        }
        for (Thread t : parties) {
            t.start();
        }
        for (Thread t : parties) {
            t.join();
        }
    }

    private void take(int party) {
        for (int phase = 0; phase < PHASES; phase++) {
            if (phase % PARTIES == party) {
                plan(phase, party);
            }
            phaser.arriveAndAwaitAdvance();
        }
    }

    private void plan(int phase, int party) {
        schedule.put(phase, party);
        schedule.remove(phase - 8);
    }
}
