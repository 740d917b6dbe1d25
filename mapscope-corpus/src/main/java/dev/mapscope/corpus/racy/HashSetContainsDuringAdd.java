package dev.mapscope.corpus.racy;

import dev.mapscope.corpus.Program;
import dev.mapscope.corpus.Race;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A set of seen request ids ({@code HashSet}) checked with {@code contains} by one thread while another adds
 * to it. The added id collides with one already there, so {@code HashMap.putVal} compares them with
 * {@code equals}, and that {@code equals} holds the adding thread inside the write until the check is done:
 * the overlap is certain by construction.
 */
@Race(
        kinds = {Race.CONCURRENT_READ, Race.UNSYNCHRONIZED_READ},
        overlapping = true,
        method = "add",
        reader = "seen")
public final class HashSetContainsDuringAdd implements Program {
    private final Set<Id> ids = new HashSet<>();
    private int round;

    /** A request id whose {@code equals}, while {@code hold} is set, waits for the reader (inside putVal). */
    static final class Id {
        final String name;
        final CountDownLatch inside;
        final CountDownLatch looked;

        Id(String name, CountDownLatch inside, CountDownLatch looked) {
            this.name = name;
            this.inside = inside;
            this.looked = looked;
        }

        @Override
        public int hashCode() {
            return 42; // every id in one bin: an add compares with equals
        }

        @Override
        public boolean equals(Object o) {
            if (inside != null && inside.getCount() > 0) {
                inside.countDown();
                try {
                    looked.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return o instanceof Id && ((Id) o).name.equals(name);
        }
    }

    @Override
    public void run() throws InterruptedException {
        int r = round++;
        if (r == 0) {
            ids.add(new Id("anchor", null, null));
        }
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch looked = new CountDownLatch(1);
        Id held = new Id("request-" + r, inside, looked);
        Thread adder = new Thread(() -> add(held), "ids-add");
        Thread checker = new Thread(() -> checkWhenInside(inside, looked), "ids-check");
        adder.start();
        checker.start();
        adder.join();
        checker.join();
    }

    private void add(Id id) {
        ids.add(id);
    }

    private void checkWhenInside(CountDownLatch inside, CountDownLatch looked) {
        try {
            if (inside.await(1, TimeUnit.MINUTES)) {
                seen(new Id("anchor", null, null));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            looked.countDown();
        }
    }

    private boolean seen(Id id) {
        return ids.contains(id);
    }
}
