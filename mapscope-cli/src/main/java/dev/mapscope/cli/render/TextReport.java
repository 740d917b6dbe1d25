package dev.mapscope.cli.render;

import java.io.PrintWriter;
import java.util.List;

/** Findings as plain text, for the terminal: the whole report, or one finding as it streams in. */
public final class TextReport {
    private TextReport() {}

    /** Prints every finding of {@code findings}, read from {@code source}, with at most {@code frames} frames per stack. */
    public static void print(Findings findings, String source, int frames, PrintWriter out) {
        List<ReportedFinding> list = findings.list();
        if (list.isEmpty()) {
            out.println("no map races recorded in " + source + ".");
        } else {
            out.printf(
                    "%s in %s (%d occurrence%s):%n",
                    races(list.size()), source, findings.occurrences(), findings.occurrences() == 1 ? "" : "s");
        }
        int n = 0;
        for (ReportedFinding f : list) {
            out.println();
            printFinding(f, ++n, frames, out);
        }
        Findings.Summary s = findings.summary();
        if (s != null && s.dropped() > 0) {
            out.println();
            out.printf(
                    "the agent dropped %d finding%s when it reached its memory bound.%n",
                    s.dropped(), s.dropped() == 1 ? "" : "s");
        }
        out.flush();
    }

    /** One finding, numbered {@code number}: what happened, the map, then both threads with their stacks. */
    static void printFinding(ReportedFinding f, int number, int frames, PrintWriter out) {
        out.printf(
                "[%d] %s on %s, %s%s%n",
                number, f.kind(), f.mapClass(), f.operation(), f.count() > 1 ? "  (seen " + f.count() + " times)" : "");
        out.println("    " + f.kindExplanation());
        out.println("    map:       " + f.mapDescription() + (f.mapId() == null ? "" : "  " + f.mapId()));
        if (f.field() != null || f.fieldNote() != null) {
            out.println("    field:     " + f.fieldDescription()
                    + (f.field() != null && f.field().frame() != null
                            ? ", read at " + f.field().frame()
                            : ""));
        }
        if (f.allocatedAt() != null) {
            out.println("    allocated: " + f.allocatedAt());
        }
        if (f.bucket() >= 0 || f.keyHash() != -1) {
            out.println("    bucket:    " + (f.bucket() >= 0 ? f.bucket() : "unknown")
                    + (f.keyHash() != -1 ? ", key hash " + f.keyHash() : ""));
        }
        for (int i = 0; i < f.threads().size(); i++) {
            ReportedFinding.Racer r = f.threads().get(i);
            out.printf(
                    "    thread \"%s\" (id %d), %s%s%s:%n",
                    r.name(),
                    r.id(),
                    r.operation(),
                    i == 0 ? ", saw the race" : ", the other writer",
                    r.stackNote().isEmpty() || r.stack().isEmpty() ? "" : " (" + r.stackNote() + ")");
            int shown = Math.min(frames, r.stack().size());
            for (int k = 0; k < shown; k++) {
                out.println("        at " + r.stack().get(k));
            }
            if (r.stack().size() > shown) {
                out.println("        ... " + (r.stack().size() - shown) + " more");
            }
            if (r.stack().isEmpty()) {
                out.println("        (no stack recorded)");
            }
            if (r.startSite() != null) {
                out.println("        started at " + r.startSite());
            }
        }
        if (f.paths() > 1) {
            out.println("    the same racing lines were reached from " + (f.paths() - 1) + " other pair"
                    + (f.paths() == 2 ? "" : "s") + " of code paths (the JSON report lists them)");
        }
        printFix(f, "    ", out);
        out.flush();
    }

    /** The fix: its advice, why, and the bench command, when the agent wrote one. */
    private static void printFix(ReportedFinding f, String indent, PrintWriter out) {
        if (f.fix() == null) {
            return;
        }
        out.println(indent + "fix:       " + f.fix().advice());
        if (f.fix().because() != null) {
            out.println(indent + "because:   " + f.fix().because());
        }
        if (f.fix().bench() != null) {
            out.println(indent + "compare:   " + f.fix().bench());
        }
    }

    /** One finding in three lines: what, and where each thread's own code called the map. */
    public static void printBrief(ReportedFinding f, int number, String indent, PrintWriter out) {
        String map =
                f.mapClass().startsWith("java.util.") ? f.mapClass().substring("java.util.".length()) : f.mapClass();
        out.printf(
                "%s[%d] %s on %s.%s%s%n",
                indent, number, f.kind(), map, f.operation(), f.count() > 1 ? ", seen " + f.count() + " times" : "");
        int width = 0;
        for (ReportedFinding.Racer r : f.threads()) {
            width = Math.max(width, r.name().length());
        }
        for (ReportedFinding.Racer r : f.threads()) {
            out.printf(
                    "%s    %-" + width + "s  %s%s%n",
                    indent,
                    r.name(),
                    r.stack().isEmpty()
                            ? "(" + (r.stackNote().isEmpty() ? "no stack recorded" : r.stackNote()) + ")"
                            : "at " + ReportedFinding.callSite(r.stack()),
                    r.startSite() == null ? "" : "   (started at " + r.startSite() + ")");
        }
        if (f.field() != null || f.fieldNote() != null) {
            out.printf("%s    %-" + width + "s  %s%n", indent, "field", f.fieldDescription());
        }
        if (f.fix() != null) {
            out.printf("%s    %-" + width + "s  %s%n", indent, "fix", f.fix().advice());
        }
    }

    public static String races(int n) {
        return n == 1 ? "1 map race" : n + " map races";
    }
}
