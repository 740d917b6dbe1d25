package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/** Four threads book seats in a plain map under one {@code ReentrantLock}, the lock/try/finally idiom. */
public final class ReentrantLockWrites implements Program {
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Integer, String> seats = new HashMap<>();

    @Override
    public void run() throws InterruptedException {
        List<Thread> agents = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            int id = a;
            agents.add(new Thread(() -> sell(id), "booking-" + a));
        }
        for (Thread t : agents) {
            t.start();
        }
        for (Thread t : agents) {
            t.join();
        }
    }

    private void sell(int agent) {
        for (int i = 0; i < 3_000; i++) {
            book(i % 500, "agent" + agent);
        }
    }

    private void book(int seat, String who) {
        lock.lock();
        try {
            seats.putIfAbsent(seat, who);
            if (seats.size() == 500) {
                seats.clear();
            }
        } finally {
            lock.unlock();
        }
    }
}
