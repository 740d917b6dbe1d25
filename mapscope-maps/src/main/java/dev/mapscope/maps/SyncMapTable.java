package dev.mapscope.maps;

import dev.mapscope.maps.SyncMap.Entry;

/**
 * SyncMap's {@code dirty} map: an open-addressed table of entries (linear probing, at most a quarter full), in
 * the very format of the read map's table, so that promoting dirty to read is handing its array over (O(1), as
 * Go's {@code m.read.Store(&readOnly{m: m.dirty})}) rather than building a table from a HashMap (O(n)).
 *
 * <p>Only used under SyncMap's {@code mu}. Once {@link #handOver} has given the array to a read map, this
 * object is dropped and the array is never written again.
 */
final class SyncMapTable {
    private Entry[] table;
    private int size;

    /** An empty table of at least {@code capacity} slots (a power of two, rounded up). */
    SyncMapTable(int capacity) {
        table = new Entry[Integer.highestOneBit(Math.max(16, capacity) - 1) << 1];
    }

    /**
     * The entry of {@code key} in {@code t}, or null. The table must have a null slot (quarter full at most), which
     * ends every probe.
     */
    static Entry find(Entry[] t, Object key) {
        int h = SyncMap.spread(key.hashCode());
        int mask = t.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Entry e = t[i];
            if (e == null) {
                return null;
            }
            if (e.hash == h && (e.key == key || key.equals(e.key))) {
                return e;
            }
        }
    }

    Entry get(Object key) {
        return find(table, key);
    }

    int size() {
        return size;
    }

    /** Adds {@code e}, whose key the table does not hold. */
    void add(Entry e) {
        // At most a quarter full. Every slot a probe passes costs a load of that slot's entry (the hash lives in
        // the entry), so the load factor is paid in cache misses: at up to half full a 65,535-key table averaged
        // 1.49 entries per hit, and a single thread doing 90% get / 10% overwrite ran at 0.45-0.85x
        // ConcurrentHashMap; at a quarter, 0.83-1.1x (alternating runs, load average 9; docs/SAFE-MAPS.md).
        if (4 * (size + 1) > table.length) {
            Entry[] old = table;
            table = new Entry[old.length << 1];
            for (Entry x : old) {
                if (x != null) {
                    place(table, x);
                }
            }
        }
        place(table, e);
        size++;
    }

    private static void place(Entry[] t, Entry e) {
        int mask = t.length - 1;
        int i = e.hash & mask;
        while (t[i] != null) {
            i = (i + 1) & mask;
        }
        t[i] = e;
    }

    /**
     * Removes the entry of {@code key} and returns it, or null if absent. The entries after it in its probe run
     * move back into the gap where their probe would otherwise stop too early (Knuth's deletion for linear
     * probing), so no tombstone is left: the table stays in the read map's format.
     */
    Entry remove(Object key) {
        Entry[] t = table;
        Entry removed = find(t, key);
        if (removed == null) {
            return null;
        }
        int mask = t.length - 1;
        int i = removed.hash & mask;
        while (t[i] != removed) {
            i = (i + 1) & mask;
        }
        int gap = i;
        for (int j = (gap + 1) & mask; t[j] != null; j = (j + 1) & mask) {
            int home = t[j].hash & mask;
            // t[j] may fill the gap unless its home lies cyclically in (gap, j]: then a probe for it starts after
            // the gap and never crosses it.
            boolean homeAfterGap = gap <= j ? gap < home && home <= j : gap < home || home <= j;
            if (!homeAfterGap) {
                t[gap] = t[j];
                gap = j;
            }
        }
        t[gap] = null;
        size--;
        return removed;
    }

    /** The array, for a read map; this table must not be used afterwards. */
    Entry[] handOver() {
        Entry[] t = table;
        table = null;
        return t;
    }
}
