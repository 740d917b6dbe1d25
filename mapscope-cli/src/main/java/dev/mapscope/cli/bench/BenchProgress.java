package dev.mapscope.cli.bench;

import dev.mapscope.cli.console.ProgressBar;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of {@code mapscope bench} on stderr: an in-place bar ({@code bar}, only used on a terminal), one
 * plain line per finished measurement ({@code plain}, safe in logs: no carriage returns, no escapes), or
 * nothing ({@code none}).
 */
public final class BenchProgress {
    private final String mode;
    private final PrintWriter err;
    private final int total;
    private int started;
    private int finished;
    private final ProgressBar bar;

    private BenchProgress(String mode, PrintWriter err, int total) {
        this.mode = mode;
        this.err = err;
        this.total = total;
        this.bar = new ProgressBar(err);
    }

    static BenchProgress create(String mode, PrintWriter err, int total) {
        return new BenchProgress(mode, err, total);
    }

    /** A measurement starts. */
    void step(String what) {
        started++;
        if (mode.equals("bar")) {
            bar.draw(finished, total, String.format(Locale.ROOT, "%d/%d %-34s", started, total, what));
        }
    }

    /** A measurement ended with {@code opsPerSecond} in total. */
    void done(String what, double opsPerSecond) {
        finished++;
        if (mode.equals("plain")) {
            err.printf(
                    Locale.ROOT,
                    "bench: %d/%d %s: %s ops/s%n",
                    finished,
                    total,
                    what,
                    BenchCommand.formatRate(opsPerSecond));
            err.flush();
        }
    }

    /** Clears the bar before the table is printed. */
    void finish() {
        bar.clear();
    }
}
