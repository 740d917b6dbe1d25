package dev.mapscope.corpus.racy;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The source of a {@code putAll} that holds the writing thread inside the target map's {@code putAll} until
 * another thread has looked at the target: the overlap of a read and a write made certain by construction,
 * not by timing. Half-way through its entries, its iterator says {@link #awaitInside() inside} and waits
 * until {@link #looked()} is called (at most a minute, so that a reader that failed cannot hang the
 * program). Iterated by one thread, once.
 */
final class HeldPutAll<K, V> extends AbstractMap<K, V> {
    private final List<Map.Entry<K, V>> entries = new ArrayList<>();
    private final CountDownLatch inside = new CountDownLatch(1);
    private final CountDownLatch looked = new CountDownLatch(1);

    HeldPutAll<K, V> with(K key, V value) {
        entries.add(new SimpleImmutableEntry<>(key, value));
        return this;
    }

    /** Waits until the writer is inside the target's putAll, half-way through these entries. */
    void awaitInside() throws InterruptedException {
        if (!inside.await(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the writer never reached the middle of its putAll");
        }
    }

    /** The reader has looked: the writer may finish its putAll. */
    void looked() {
        looked.countDown();
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<K, V>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < entries.size();
                    }

                    @Override
                    public Map.Entry<K, V> next() {
                        if (next == entries.size() / 2) {
                            inside.countDown();
                            try {
                                looked.await(1, TimeUnit.MINUTES);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return entries.get(next++);
                    }
                };
            }

            @Override
            public int size() {
                return entries.size();
            }
        };
    }
}
