package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A tally whose methods are all {@code synchronized}, called by four threads: the classic thread-safe class
 * of Java's first decade.
 */
public final class SynchronizedMethods implements Program {
    private final Tally tally = new Tally();

    static final class Tally {
        private final Map<String, Integer> votes = new HashMap<>();

        synchronized void vote(String candidate) {
            votes.merge(candidate, 1, Integer::sum);
        }

        synchronized void withdraw(String candidate) {
            votes.remove(candidate);
        }
    }

    @Override
    public void run() throws InterruptedException {
        List<Thread> voters = new ArrayList<>();
        for (int v = 0; v < 4; v++) {
            int id = v;
            voters.add(new Thread(() -> vote(id), "voter-" + v));
        }
        for (Thread t : voters) {
            t.start();
        }
        for (Thread t : voters) {
            t.join();
        }
    }

    private void vote(int voter) {
        for (int i = 0; i < 3_000; i++) {
            tally.vote("candidate" + (i + voter) % 30);
            if (i % 100 == 0) {
                tally.withdraw("candidate" + voter);
            }
        }
    }
}
