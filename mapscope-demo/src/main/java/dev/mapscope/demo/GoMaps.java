package dev.mapscope.demo;

import java.util.Map;

/** Creates a {@code dev.mapscope.maps.GoMap}, or says plainly that this build has none. */
final class GoMaps {
    private GoMaps() {
    }

    static final String CLASS_NAME = "dev.mapscope.maps.GoMap";

    /** Whether GoMap is on the class path of this build. */
    static boolean available() {
        try {
            Class.forName(CLASS_NAME, false, GoMaps.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<Integer, Integer> create() {
        // Looked up by name so that the demo builds on branches where mapscope-maps has no GoMap yet.
        try {
            return (Map<Integer, Integer>) Class.forName(CLASS_NAME).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("--map gomap needs " + CLASS_NAME + ", which this build does not have");
        }
    }
}
