package dev.mapscope.maps;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * The collection views shared by {@link SyncMap}, {@link RwLockMap}, {@link ShardedMap} and {@link SerialMap}.
 *
 * <p>Each subclass supplies {@link #entryIterator()}, an iterator over entries that is safe to use while the map
 * is changed by other threads (a snapshot or a weakly consistent walk; each subclass says which). The views
 * built here never hold a lock while user code runs: {@code Iterator.remove} and {@code Entry.setValue} write
 * through the map's own atomic operations, like {@link java.util.concurrent.ConcurrentHashMap}'s views.
 */
abstract class AbstractSafeMap<K, V> extends AbstractMap<K, V> implements ConcurrentMap<K, V> {

    /** Entries to iterate; may be a snapshot or weakly consistent, never fails on concurrent change. */
    abstract Iterator<Map.Entry<K, V>> entryIterator();

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
        return new EntrySet();
    }

    @Override
    public Set<K> keySet() {
        return new KeySet();
    }

    @Override
    public Collection<V> values() {
        return new Values();
    }

    @Override
    public boolean containsValue(Object value) {
        Objects.requireNonNull(value, "value");
        Iterator<Map.Entry<K, V>> it = entryIterator();
        while (it.hasNext()) {
            if (value.equals(it.next().getValue())) {
                return true;
            }
        }
        return false;
    }

    /** Iterator over {@link #entryIterator()} whose {@code remove} and {@code setValue} write through. */
    private final class ViewIterator implements Iterator<Map.Entry<K, V>> {
        private final Iterator<Map.Entry<K, V>> it = entryIterator();
        private WriteThroughEntry last;

        @Override
        public boolean hasNext() {
            return it.hasNext();
        }

        @Override
        public Map.Entry<K, V> next() {
            Map.Entry<K, V> e = it.next();
            last = new WriteThroughEntry(e.getKey(), e.getValue());
            return last;
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException("remove() without a preceding next()");
            }
            AbstractSafeMap.this.remove(last.getKey());
            last = null;
        }
    }

    /** An entry seen by an iterator; {@code setValue} stores into the map, as ConcurrentHashMap's entries do. */
    private final class WriteThroughEntry extends AbstractMap.SimpleEntry<K, V> {
        WriteThroughEntry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            Objects.requireNonNull(value, "value");
            V previous = super.setValue(value);
            AbstractSafeMap.this.put(getKey(), value);
            return previous;
        }
    }

    private final class EntrySet extends AbstractSet<Map.Entry<K, V>> {
        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
            return new ViewIterator();
        }

        @Override
        public int size() {
            return AbstractSafeMap.this.size();
        }

        @Override
        public boolean isEmpty() {
            return AbstractSafeMap.this.isEmpty();
        }

        @Override
        public boolean contains(Object o) {
            if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null || e.getValue() == null) {
                return false;
            }
            V v = get(e.getKey());
            return v != null && v.equals(e.getValue());
        }

        @Override
        public boolean remove(Object o) {
            if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null || e.getValue() == null) {
                return false;
            }
            return AbstractSafeMap.this.remove(e.getKey(), e.getValue());
        }

        @Override
        public void clear() {
            AbstractSafeMap.this.clear();
        }
    }

    private final class KeySet extends AbstractSet<K> {
        @Override
        public Iterator<K> iterator() {
            ViewIterator it = new ViewIterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public K next() {
                    return it.next().getKey();
                }

                @Override
                public void remove() {
                    it.remove();
                }
            };
        }

        @Override
        public int size() {
            return AbstractSafeMap.this.size();
        }

        @Override
        public boolean isEmpty() {
            return AbstractSafeMap.this.isEmpty();
        }

        @Override
        public boolean contains(Object o) {
            return containsKey(o);
        }

        @Override
        public boolean remove(Object o) {
            return AbstractSafeMap.this.remove(o) != null;
        }

        @Override
        public void clear() {
            AbstractSafeMap.this.clear();
        }
    }

    private final class Values extends AbstractCollection<V> {
        @Override
        public Iterator<V> iterator() {
            ViewIterator it = new ViewIterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public V next() {
                    return it.next().getValue();
                }

                @Override
                public void remove() {
                    it.remove();
                }
            };
        }

        @Override
        public int size() {
            return AbstractSafeMap.this.size();
        }

        @Override
        public boolean isEmpty() {
            return AbstractSafeMap.this.isEmpty();
        }

        @Override
        public boolean contains(Object o) {
            return containsValue(o);
        }

        @Override
        public void clear() {
            AbstractSafeMap.this.clear();
        }
    }
}
