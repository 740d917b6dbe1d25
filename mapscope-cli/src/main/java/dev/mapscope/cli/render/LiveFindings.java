package dev.mapscope.cli.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Prints findings as the agent appends them to a file: each new pair of code paths once, in full, when it
 * first appears; later lines for the same id (higher counts), or other ids with the same code paths, only update the
 * totals for the summary.
 */
public final class LiveFindings {
    private final FindingsTail tail;
    private final Findings findings = new Findings();
    private final Set<String> shown = new HashSet<>();
    private final PrintWriter out;
    private final int frames;
    private int skipped;

    public LiveFindings(Path file, PrintWriter out, int frames) {
        this.tail = new FindingsTail(file);
        this.out = out;
        this.frames = frames;
    }

    /** Reads what was appended since the last call and prints the new findings; returns how many were new. */
    public synchronized int poll() {
        int fresh = 0;
        for (String line : tail.poll()) {
            try {
                ReportedFinding f = findings.accept(line);
                if (f != null && shown.add(Findings.pathKey(f))) {
                    out.println();
                    TextReport.printFinding(f, shown.size(), frames, out);
                    fresh++;
                }
            } catch (JsonProcessingException | IllegalArgumentException e) {
                skipped++; // a line that is not a record; Findings.read will name it if the user runs `report`
            }
        }
        out.flush();
        return fresh;
    }

    /** Everything read so far. */
    public synchronized Findings findings() {
        return findings;
    }

    synchronized int skippedLines() {
        return skipped;
    }
}
