package dev.mapscope.cli.console;

import java.io.Console;

/** What the CLI knows about the terminal it writes to. */
public final class Terminal {
    private Terminal() {
    }

    /**
     * Whether stderr is likely a terminal. Java cannot ask about stderr alone: {@link System#console()} is
     * non-null when the JVM has an interactive console (stdin and stdout on a terminal up to JDK 21; from JDK 22
     * it may be non-null regardless, and {@code Console.isTerminal()} tells). A dumb or missing TERM counts as no
     * terminal, so CI logs get plain lines.
     */
    public static boolean stderrIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        String term = System.getenv("TERM");
        if (term == null || term.equals("dumb") || System.getenv("CI") != null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console); // JDK 22+
        } catch (ReflectiveOperationException e) {
            return true; // JDK 17-21: a non-null console means a terminal
        }
    }
}
