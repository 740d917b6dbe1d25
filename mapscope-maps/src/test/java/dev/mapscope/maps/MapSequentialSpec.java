package dev.mapscope.maps;

import java.util.HashMap;

/** The sequential specification for {@link LincheckMapOperations}: the same operations on a plain HashMap. */
public final class MapSequentialSpec {
    private final HashMap<Integer, Integer> map = new HashMap<>();

    public Integer get(int key) {
        return map.get(key);
    }

    public Integer put(int key, int value) {
        return map.put(key, value);
    }

    public Integer putIfAbsent(int key, int value) {
        return map.putIfAbsent(key, value);
    }

    public Integer remove(int key) {
        return map.remove(key);
    }

    public boolean removeValue(int key, int value) {
        return map.remove(key, value);
    }

    public Integer replace(int key, int value) {
        return map.replace(key, value);
    }

    public boolean replaceValue(int key, int value) {
        return map.replace(key, value, value + 1);
    }

    public Integer computeIfAbsent(int key, int value) {
        return map.computeIfAbsent(key, k -> value);
    }

    public Integer compute(int key) {
        return map.compute(key, (k, v) -> v == null ? 1 : v == 3 ? null : v + 1);
    }

    public Integer merge(int key, int value) {
        return map.merge(key, value, Integer::sum);
    }

    public int size() {
        return map.size();
    }

    public Integer loadOrStore(int key, int value) {
        Integer old = map.putIfAbsent(key, value);
        return old != null ? old : value;
    }

    public Integer loadAndDelete(int key) {
        return map.remove(key);
    }
}
