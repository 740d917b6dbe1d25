package dev.mapscope.cli.render;

import java.util.List;

/**
 * One finding as the agent writes it (docs/AGENT-PROTOCOL.md, {@code "type":"finding"}). Strings the agent
 * writes as {@code null} stay {@code null}; {@code bucket} and {@code keyHash} are -1 when unknown.
 */
public record ReportedFinding(
        String id,
        String kind,
        String mapClass,
        String backingOf,
        String mapId,
        String allocatedAt,
        String operation,
        int bucket,
        long keyHash,
        List<Racer> threads,
        long count,
        String time,
        int paths,
        Field field,
        String fieldNote,
        Fix fix) {

    /** The field that holds the map ({@code com.example.Cache.map}) and the frame whose bytecode read it. */
    public record Field(String name, boolean isStatic, String frame) {}

    /** What to do about the race: the advice, its reason (in numbers when counted), a bench command or null. */
    public record Fix(String advice, String because, String bench) {}

    /** "com.example.Cache.map (static field)", or "unknown (why)" when the agent could not name it. */
    String fieldDescription() {
        if (field != null) {
            return field.name() + (field.isStatic() ? " (static field)" : " (instance field)");
        }
        return "unknown" + (fieldNote == null ? "" : " (" + fieldNote + ")");
    }

    /**
     * One of the two threads of a finding: {@code threads[0]} detected the race, {@code threads[1]} is the other.
     * {@code startedAt} is where the thread was started (its {@code Thread.start} call site), empty when not known.
     */
    public record Racer(
            String name, long id, String operation, List<String> stack, String stackAt, List<String> startedAt) {
        /**
         * What the stack shows, when it is not the thread's own racing write (protocol field {@code stackAt}).
         */
        String stackNote() {
            if (stackAt == null) {
                return "";
            }
            return switch (stackAt) {
                case "now" -> "it had left the map; its stack when the race was found";
                case "inside" -> "still inside the map half a second later: a loop in a damaged table?";
                case "unknown" -> "its stack at that write was not recorded: the race did not repeat";
                default -> "";
            };
        }

        /** Where the thread was started: the first frame outside the JDK, else the first one; null when not known. */
        String startSite() {
            return startedAt.isEmpty() ? null : callSite(startedAt);
        }
    }

    /** The map's class, with the collection it backs when there is one: "java.util.HashMap (inside a java.util.HashSet)". */
    String mapDescription() {
        return backingOf == null ? mapClass : mapClass + " (inside a " + backingOf + ")";
    }

    /** What {@link #kind} means, in one line. */
    String kindExplanation() {
        return switch (kind) {
            case "concurrent-write" ->
                "two threads were inside a write to this map at the same moment"
                        + " (Go stops with \"fatal error: concurrent map writes\" here)";
            case "unsynchronized-write" ->
                "two threads wrote this map with no lock or other happens-before order" + " between their writes";
            case "concurrent-read-write" ->
                "a thread read this map while another was inside a write to it"
                        + " (Go stops with \"fatal error: concurrent map read and map write\" here)";
            case "unsynchronized-read-write" ->
                "a thread read this map with no lock or other happens-before order after another thread's write";
            case "concurrent-iteration-write" ->
                "a thread iterated this map while another was inside a write to it"
                        + " (Go stops with \"fatal error: concurrent map iteration and map write\" here)";
            case "unsynchronized-iteration-write" ->
                "a thread iterated this map with no lock or other happens-before order after another thread's write";
            default -> "reported by the agent as " + kind;
        };
    }

    /** The first frame of {@code stack} outside the JDK, or the first frame: where the user's code called the map. */
    static String callSite(List<String> stack) {
        for (String frame : stack) {
            if (!isJdkFrame(frame)) {
                return frame;
            }
        }
        return stack.isEmpty() ? "(no stack)" : stack.get(0);
    }

    static boolean isJdkFrame(String frame) {
        return frame.startsWith("java.")
                || frame.startsWith("javax.")
                || frame.startsWith("jdk.")
                || frame.startsWith("sun.")
                || frame.startsWith("com.sun.");
    }
}
