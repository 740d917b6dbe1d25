package dev.mapscope.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of {@code mapscope bench} on stderr: an in-place bar ({@code bar}, only used on a terminal), one
 * plain line per finished measurement ({@code plain}, safe in logs: no carriage returns, no escapes), or
 * nothing ({@code none}).
 */
public final class BenchProgress {
    private static final int WIDTH = 30;

    private final String mode;
    private final PrintWriter err;
    private final int total;
    private int started;
    private int finished;
    private boolean barShown;

    private BenchProgress(String mode, PrintWriter err, int total) {
        this.mode = mode;
        this.err = err;
        this.total = total;
    }

    static BenchProgress create(String mode, PrintWriter err, int total) {
        return new BenchProgress(mode, err, total);
    }

    /** A measurement starts. */
    void step(String what) {
        started++;
        if (mode.equals("bar")) {
            int filled = WIDTH * finished / total;
            String line = String.format(Locale.ROOT, "\r[%s%s] %d/%d %-34s", "#".repeat(filled),
                    ".".repeat(WIDTH - filled), started, total, what);
            err.print(line);
            err.flush();
            barShown = true;
        }
    }

    /** A measurement ended with {@code opsPerSecond} in total. */
    void done(String what, double opsPerSecond) {
        finished++;
        if (mode.equals("plain")) {
            err.printf(Locale.ROOT, "bench: %d/%d %s: %s ops/s%n", finished, total, what,
                    BenchCommand.formatRate(opsPerSecond));
            err.flush();
        }
    }

    /** Clears the bar before the table is printed. */
    void finish() {
        if (barShown) {
            err.print("\r" + " ".repeat(WIDTH + 52) + "\r");
            err.flush();
            barShown = false;
        }
    }
}
