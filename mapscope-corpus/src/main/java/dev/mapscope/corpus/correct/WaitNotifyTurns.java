package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.Map;

/**
 * Two threads take turns on one map, ping-pong style. The turn is handed over with {@code wait}/{@code notifyAll}
 * on a monitor, but the map is written outside it: each write follows the monitor enter that saw the turn,
 * which follows the other thread's monitor exit after its write. Correct, and common in older code.
 */
public final class WaitNotifyTurns implements Program {
    private static final int TURNS = 2_000;

    private final Object turnLock = new Object();
    private final Map<String, Integer> board = new HashMap<>();
    private int turn; // guarded by turnLock: 0 = ping's turn, 1 = pong's

    @Override
    public void run() throws InterruptedException {
        Thread ping = new Thread(() -> play(0), "turns-ping");
        Thread pong = new Thread(() -> play(1), "turns-pong");
        ping.start();
        pong.start();
        ping.join();
        pong.join();
    }

    private void play(int me) {
        try {
            for (int i = 0; i < TURNS; i++) {
                synchronized (turnLock) {
                    while (turn != me) {
                        turnLock.wait();
                    }
                }
                move(me, i); // outside the monitor: ordered by the enter above and the exit below
                synchronized (turnLock) {
                    turn = 1 - me;
                    turnLock.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void move(int me, int i) {
        board.merge(me == 0 ? "ping" : "pong", 1, Integer::sum);
        board.put("last", i);
    }
}
