package dev.mapscope.cli.console;

/** How the user started mapscope, for the commands that messages suggest, and the exit statuses of its own. */
public final class Invocation {
    /** Exit status when races were found and the user asked to fail on them. */
    public static final int RACE_FOUND = 66;

    private Invocation() {}

    /** How the user started mapscope ("./mapscope" from the launcher, through {@code -Dmapscope.name}). */
    public static String name() {
        String n = System.getProperty("mapscope.name", "mapscope");
        return n.isBlank() || n.length() > 40 ? "mapscope" : n;
    }
}
