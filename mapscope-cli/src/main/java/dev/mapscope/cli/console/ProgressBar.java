package dev.mapscope.cli.console;

import java.io.PrintWriter;

/**
 * The progress bar of every long command, on stderr: {@code [#####.........] text}, redrawn in place with a carriage
 * return and cleared before the result is printed. Callers draw it only when stderr is a terminal
 * ({@link Terminal#stderrIsTerminal()}) and print plain lines otherwise, so logs never get carriage returns.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    /** the longest line drawn since the last clear: what clear() has to blank out */
    private int drawn;

    public ProgressBar(PrintWriter err) {
        this.err = err;
    }

    /** Draws the bar {@code done/total} full, followed by {@code text}. */
    public void draw(long done, long total, String text) {
        int filled = (int) (WIDTH * Math.max(0, Math.min(done, total)) / Math.max(1, total));
        String line = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + text;
        drawn = Math.max(drawn, line.length());
        err.print("\r" + line);
        err.flush();
    }

    /** Blanks the bar out, if one was drawn, and leaves the cursor at the start of the line. */
    public void clear() {
        if (drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            err.flush();
            drawn = 0;
        }
    }
}
