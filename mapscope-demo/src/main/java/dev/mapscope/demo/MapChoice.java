package dev.mapscope.demo;

import dev.mapscope.maps.GoMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The map implementations the seed program can race on. */
enum MapChoice {
    /** {@code java.util.HashMap}: no check at all; a race loses entries silently. */
    HASHMAP("HashMap"),
    /** {@code dev.mapscope.maps.GoMap}: Go's classic map with its best-effort "concurrent map writes" check. */
    GOMAP("GoMap");

    private final String displayName;

    MapChoice(String displayName) {
        this.displayName = displayName;
    }

    String displayName() {
        return displayName;
    }

    static MapChoice parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "hashmap" -> HASHMAP;
            case "gomap" -> GOMAP;
            default -> throw new IllegalArgumentException("--map must be hashmap or gomap, got '" + s + "'");
        };
    }

    Map<Integer, Integer> create() {
        return switch (this) {
            case HASHMAP -> new HashMap<>();
            case GOMAP -> new GoMap<>();
        };
    }
}
