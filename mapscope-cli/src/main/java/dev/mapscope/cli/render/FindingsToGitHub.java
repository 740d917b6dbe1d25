package dev.mapscope.cli.render;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Findings as GitHub Actions workflow commands ({@code ::error file=...,line=...,title=...::message}), which the
 * runner turns into annotations on the pull request. The racing frame's file is given only when it exists under a
 * source folder of the working directory; otherwise the annotation has no file and shows on the run.
 */
public final class FindingsToGitHub {
    private FindingsToGitHub() {}

    /** Prints one annotation per finding; source paths are looked up under {@code root}. */
    public static void print(List<ReportedFinding> findings, Path root, PrintWriter out) {
        for (ReportedFinding f : findings) {
            StringBuilder b = new StringBuilder("::error ");
            String frame = SourceFrame.racingFrame(f);
            SourceFrame source = frame == null ? null : SourceFrame.parse(frame, root);
            if (source != null && source.localPath() != null) {
                b.append("file=").append(property(source.localPath())).append(',');
                if (source.line() > 0) {
                    b.append("line=").append(source.line()).append(',');
                }
            }
            b.append("title=").append(property("map race: " + f.kind() + " on " + f.mapClass()));
            b.append("::").append(data(SourceFrame.message(f) + " (finding " + f.id() + ")"));
            out.println(b);
        }
        out.flush();
    }

    /** Escapes a workflow command's message. */
    static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** Escapes a workflow command's property value. */
    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
