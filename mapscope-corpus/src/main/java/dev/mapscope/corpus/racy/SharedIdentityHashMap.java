package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * An {@code IdentityHashMap} of visited nodes, as a graph walker keeps, shared by two walker threads
 * without synchronisation.
 */
@Race(
        kinds = {Race.CONCURRENT_WRITE, Race.UNSYNCHRONIZED_WRITE},
        overlapping = true,
        method = "visit")
public final class SharedIdentityHashMap implements Program {
    private final Map<Object, Integer> visited = new IdentityHashMap<>();
    private final Object[] nodes = new Object[3_000];

    public SharedIdentityHashMap() {
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = new Object();
        }
    }

    @Override
    public void run() throws InterruptedException {
        Thread a = new Thread(() -> work(0), "identity-a");
        Thread b = new Thread(() -> work(1), "identity-b");
        a.start();
        b.start();
        a.join();
        b.join();
    }

    private void work(int writer) {
        for (int i = 0; i < 5_000; i++) {
            visit(writer, i);
        }
    }

    private void visit(int writer, int i) {
        visited.put(nodes[(i * 2 + writer) % nodes.length], i);
        if (i % 1_000 == 999) {
            visited.remove(nodes[writer]);
        }
    }
}
