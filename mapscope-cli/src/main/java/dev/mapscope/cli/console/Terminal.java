package dev.mapscope.cli.console;

import picocli.CommandLine.Help;

/**
 * What the CLI knows about the terminal it writes to, from one source: picocli's {@link Help.Ansi#AUTO}, which
 * reads {@code picocli.ansi}, NO_COLOR, CLICOLOR, CLICOLOR_FORCE and TERM and asks whether the JVM has a console.
 * The help text, the heat map's colours and the progress bars therefore switch on and off together.
 */
public final class Terminal {
    private Terminal() {}

    /** Whether progress may be drawn in place (carriage returns) rather than as plain lines for a log. */
    public static boolean stderrIsTerminal() {
        return Help.Ansi.AUTO.enabled();
    }

    /** Whether to colour terminal output: always when {@code forced} (--color), otherwise as picocli decides. */
    public static boolean colorWanted(boolean forced) {
        return forced || Help.Ansi.AUTO.enabled();
    }
}
