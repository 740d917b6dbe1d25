package dev.mapscope.cli.render;

import dev.mapscope.cli.console.Outputs;
import dev.mapscope.cli.console.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Findings as one self-contained HTML page: inline CSS, no script, no external resource, so that it can be
 * mailed or attached to a ticket. Each finding shows the map, the operation, the counts and both threads'
 * stacks side by side; frames outside the JDK (the user's code) are highlighted.
 */
public final class HtmlReport {
    private HtmlReport() {}

    /** Renders {@code findings}, read from {@code source}, into {@code target}; an unwritable target is a {@link UserError}. */
    public static void write(Findings findings, String source, Path target) {
        Outputs.checkWritable(target);
        try {
            Files.writeString(target, render(findings, source), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot write the HTML report " + target + ": " + e.getMessage());
        }
    }

    static String render(Findings findings, String source) {
        StringBuilder body = new StringBuilder();
        int n = findings.list().size();
        if (n == 0) {
            body.append("<div class=\"empty\"><strong>No map races were recorded.</strong> The agent reports a map"
                    + " only when two threads write it without a common lock; maps written by one thread, or"
                    + " always under one lock, stay quiet.</div>\n");
        } else {
            body.append("<p class=\"intro\">Each finding is one pair of code paths that wrote the same map from two"
                    + " threads without synchronization. The left stack is the thread that saw the race, the right one"
                    + " the other writer; <strong style=\"color:var(--user)\">highlighted</strong> frames are outside"
                    + " the JDK.</p>\n");
        }
        int number = 0;
        for (ReportedFinding f : findings.list()) {
            appendFinding(body, f, ++number);
        }
        if (n > 0) {
            body.append("<ul class=\"notes\">\n")
                    .append("<li>Each finding's fix is chosen from its kind, the map's class and, when the agent"
                            + " counted them, the map's reads, writes, iterations and check-then-act writes;"
                            + " <code>mapscope bench</code> measures the safe maps on this machine.</li>\n")
                    .append("<li>An unknown allocation site means the map was created before the agent was"
                            + " loaded (for example when it was attached to a running JVM).</li>\n");
            Findings.Summary s = findings.summary();
            if (s != null && s.dropped() > 0) {
                body.append("<li>The agent dropped ")
                        .append(s.dropped())
                        .append(" finding(s) when it reached its memory bound.</li>\n");
            }
            if (findings.truncatedTail()) {
                body.append("<li>The last line of the findings file was cut off and is not shown.</li>\n");
            }
            body.append("</ul>\n");
        }
        String subtitle = (n == 0
                        ? "no map races"
                        : TextReport.races(n) + ", " + findings.occurrences() + " occurrence"
                                + (findings.occurrences() == 1 ? "" : "s"))
                + " \u00b7 from " + source
                + " \u00b7 generated " + Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return template()
                .replace("{{title}}", "mapscope report")
                .replace("{{subtitle}}", escape(subtitle))
                .replace("{{body}}", body);
    }

    private static void appendFinding(StringBuilder b, ReportedFinding f, int number) {
        String kindClass = switch (f.kind()) {
            case "concurrent-write", "concurrent-read-write", "concurrent-iteration-write" -> "concurrent-write";
            case "unsynchronized-write", "unsynchronized-read-write", "unsynchronized-iteration-write" ->
                "unsynchronized-write";
            default -> "other";
        };
        b.append("<section class=\"finding\" id=\"finding-")
                .append(number)
                .append("\">\n<h2><span class=\"num\">#")
                .append(number)
                .append("</span> <span class=\"kind ")
                .append(kindClass)
                .append("\">")
                .append(escape(f.kind()))
                .append("</span> <code>")
                .append(escape(f.mapClass()))
                .append('.')
                .append(escape(f.operation()))
                .append("</code><span class=\"count\">seen ")
                .append(f.count())
                .append(f.count() == 1 ? " time" : " times")
                .append("</span></h2>\n");
        b.append("<p class=\"explain\">")
                .append(escape(capitalize(f.kindExplanation())))
                .append(".</p>\n");
        answer(b, f);
        b.append("<table class=\"meta\">\n");
        row(b, "map", f.mapDescription() + (f.mapId() == null ? "" : "  \u2014  " + f.mapId()));
        if (f.allocatedAt() != null) {
            row(b, "allocated at", f.allocatedAt());
        }
        if (f.paths() > 1) {
            row(b, "code paths", f.paths() + " distinct pairs reached these racing lines (listed in the JSON report)");
        }
        row(b, "operation", f.operation());
        if (f.bucket() >= 0 || f.keyHash() != -1) {
            row(
                    b,
                    "bucket / key hash",
                    (f.bucket() >= 0 ? String.valueOf(f.bucket()) : "unknown") + " / "
                            + (f.keyHash() != -1 ? String.valueOf(f.keyHash()) : "unknown"));
        }
        if (f.time() != null) {
            row(b, "last seen", f.time());
        }
        b.append("</table>\n<div class=\"threads\">\n");
        for (int i = 0; i < f.threads().size(); i++) {
            ReportedFinding.Racer r = f.threads().get(i);
            b.append("<div class=\"thread\"><h3>")
                    .append(escape("\"" + r.name() + "\""))
                    .append(" <span class=\"role\">(id ")
                    .append(r.id())
                    .append(", ")
                    .append(escape(r.operation() == null ? "?" : r.operation()))
                    .append(i == 0 ? ", saw the race" : ", the other writer")
                    .append(r.stackNote().isEmpty() ? "" : "; " + escape(r.stackNote()))
                    .append(")</span></h3>\n");
            if (r.stack().isEmpty()) {
                b.append("<p class=\"nostack\">(no stack recorded)</p>");
                started(b, r);
                b.append("</div>\n");
                continue;
            }
            b.append("<ol class=\"stack\">\n");
            for (String frame : r.stack()) {
                b.append(ReportedFinding.isJdkFrame(frame) ? "<li>" : "<li class=\"user\">")
                        .append(escape(frame))
                        .append("</li>\n");
            }
            b.append("</ol>");
            started(b, r);
            b.append("</div>\n");
        }
        b.append("</div>\n</section>\n");
    }

    /** The field that holds the map and the fix, in a box above the details: what the reader came for. */
    private static void answer(StringBuilder b, ReportedFinding f) {
        if (f.field() == null && f.fieldNote() == null && f.fix() == null) {
            return; // an older agent's finding
        }
        b.append("<div class=\"answer\">\n");
        if (f.field() != null) {
            b.append("<p class=\"field\"><span class=\"label\">field</span> <code>")
                    .append(escape(f.field().name()))
                    .append("</code> <span class=\"how\">")
                    .append(f.field().isStatic() ? "static field" : "instance field");
            if (f.field().frame() != null) {
                b.append(", read at <code>").append(escape(f.field().frame())).append("</code>");
            }
            b.append("</span></p>\n");
        } else if (f.fieldNote() != null) {
            b.append("<p class=\"field\"><span class=\"label\">field</span> unknown <span class=\"how\">(")
                    .append(escape(f.fieldNote()))
                    .append(")</span></p>\n");
        }
        if (f.fix() != null) {
            b.append("<p class=\"fix\"><span class=\"label\">fix</span> ")
                    .append(escape(f.fix().advice()))
                    .append("</p>\n");
            if (f.fix().because() != null) {
                b.append("<p class=\"because\"><span class=\"label\">because</span> ")
                        .append(escape(f.fix().because()))
                        .append("</p>\n");
            }
            if (f.fix().bench() != null) {
                b.append("<p class=\"bench\"><span class=\"label\">compare</span> <code>")
                        .append(escape(f.fix().bench()))
                        .append("</code></p>\n");
            }
        }
        b.append("</div>\n");
    }

    /** Where the thread was started, under its stack. */
    private static void started(StringBuilder b, ReportedFinding.Racer r) {
        if (r.startSite() != null) {
            b.append("<p class=\"started\">started at <code>")
                    .append(escape(r.startSite()))
                    .append("</code></p>");
        }
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append("<tr><th>")
                .append(escape(name))
                .append("</th><td><code>")
                .append(escape(value))
                .append("</code></td></tr>\n");
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String template() {
        try (InputStream in = HtmlReport.class.getResourceAsStream("report.html")) {
            if (in == null) {
                throw new IllegalStateException("report.html is missing from the mapscope jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
