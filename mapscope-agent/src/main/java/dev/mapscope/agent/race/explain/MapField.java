package dev.mapscope.agent.race.explain;

/**
 * The field that holds a raced map, {@code com.example.QuoteService.cache}, with the frame whose bytecode read it;
 * or, when it cannot be named, {@code name} is null and {@code note} says why in one short phrase.
 */
public record MapField(String name, boolean isStatic, String frame, String note) {

    static MapField named(String name, boolean isStatic, String frame) {
        return new MapField(name, isStatic, frame, null);
    }

    static MapField unnamed(String frame, String note) {
        return new MapField(null, false, frame, note);
    }

    /** True when the field is known. */
    public boolean known() {
        return name != null;
    }
}
