package dev.mapscope.agent.protocol;

import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The maps the agent knows by id ({@code class@hexIdentityHash}, the mapId of findings): maps named in
 * findings, and maps that probes hit. {@code inspect map=ID} and {@code probe map=id:ID} look them up here.
 */
public final class MapRegistry {
    /*
     * Held weakly (the registry must not keep an application's map alive) and bounded: at most MAX ids, the
     * least recently remembered evicted first. Guarded by the class monitor, never by a j.u.c lock (the race
     * detector follows those). Callers are agent code with the re-entrancy guard set, so the LinkedHashMap
     * used here is not watched.
     */
    static final int MAX = 4096;
    private static final Map<String, WeakReference<Object>> IDS = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, WeakReference<Object>> eldest) {
            return size() > MAX;
        }
    };

    private MapRegistry() {}

    /** The id of {@code map} as findings name it. */
    public static String id(Object map) {
        return map.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(map));
    }

    /** Remembers {@code map} under its id and returns the id. */
    public static String remember(Object map) {
        String id = id(map);
        synchronized (MapRegistry.class) {
            WeakReference<Object> old = IDS.get(id);
            if (old == null || old.get() != map) {
                IDS.put(id, new WeakReference<>(map));
            }
        }
        return id;
    }

    /** The live map with this id, or null. */
    public static synchronized Object find(String id) {
        WeakReference<Object> r = IDS.get(id);
        Object m = r == null ? null : r.get();
        if (r != null && m == null) {
            IDS.remove(id);
        }
        return m;
    }
}
