package dev.mapscope.cli.profile;

import dev.mapscope.cli.console.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a profile in its output directory, made from what the agent or async-profiler recorded:
 * {@code flame.html}, {@code profile.collapsed}, {@code profile.pb.gz} (pprof), {@code profile.jfr},
 * {@code summary.txt} and {@code report.html}. Shared by {@code mapscope profile} and {@code mapscope run --profile}.
 */
public final class ProfileFiles {
    public static final String FLAME = "flame.html";
    public static final String COLLAPSED = "profile.collapsed";
    public static final String PPROF = "profile.pb.gz";
    public static final String JFR = "profile.jfr";
    public static final String SUMMARY = "summary.txt";
    public static final String REPORT = "report.html";

    /** What to render, the same for both sources. */
    public record Options(List<String> include, List<String> exclude, int top, boolean color) {}

    private ProfileFiles() {}

    /**
     * Renders the agent's map profile: {@code prefix.collapsed}, {@code prefix.json} and (when present)
     * {@code prefix.jfr}, where prefix is e.g. {@code <session>/profile-abc} or {@code DIR/run}. Returns the
     * terminal summary.
     */
    public static String renderMap(Path prefix, Path out, String title, Options o) throws IOException {
        Path collapsedIn = sibling(prefix, ".collapsed");
        Path jsonIn = sibling(prefix, ".json");
        Path jfrIn = sibling(prefix, ".jfr");
        if (!Files.isRegularFile(collapsedIn) || !Files.isRegularFile(jsonIn)) {
            throw new UserError("the agent wrote no profile at " + prefix + ".* (" + collapsedIn.getFileName() + " and "
                    + jsonIn.getFileName() + " are missing)");
        }
        MapProfile map = MapProfile.read(jsonIn);
        Collapsed stacks = Collapsed.read(collapsedIn).filter(o.include(), o.exclude());
        stacks.write(out.resolve(COLLAPSED));
        Flames.collapsedToHtml(stacks, title, out.resolve(FLAME));
        long start = map.startEpochNanos();
        // The agent's counts are already operations (a sample counts N, a resize 1): docs/PROFILE-AGENT.md.
        CollapsedToPprof.write(
                stacks,
                List.<String[]>of(new String[] {"operations", "count"}),
                new long[] {1},
                start,
                map.durationMillis() * 1_000_000L,
                "mapscope map profile: 1 in " + map.sample()
                        + " operations sampled, each counted as the operations it stands for; stacks end in the map and"
                        + " the bucket",
                out.resolve(PPROF));
        GcLines gc = null;
        List<String> notes = new ArrayList<>(filterNotes(o));
        if (Files.isRegularFile(jfrIn)) {
            Files.copy(jfrIn, out.resolve(JFR), StandardCopyOption.REPLACE_EXISTING);
            gc = GcLines.read(out.resolve(JFR), map.resizes(), start);
        } else {
            notes.add("the agent wrote no JFR recording, so there are no garbage-collection lines");
            gc = GcLines.read(null, map.resizes(), start);
        }
        return finish(out, new ProfileReport(title, stacks, map, gc, o.top(), notes), o);
    }

    /** Renders an async-profiler recording of {@code event}; returns the terminal summary. */
    static String renderAsync(Path jfr, String event, Path out, String title, String engineNote, Options o)
            throws IOException {
        if (!Files.isRegularFile(jfr) || Files.size(jfr) == 0) {
            throw new UserError("async-profiler wrote no recording to " + jfr);
        }
        if (!jfr.equals(out.resolve(JFR))) {
            Files.copy(jfr, out.resolve(JFR), StandardCopyOption.REPLACE_EXISTING);
        }
        Collapsed stacks = Flames.jfrToAll(
                out.resolve(JFR),
                event,
                o.include(),
                o.exclude(),
                title,
                out.resolve(FLAME),
                out.resolve(COLLAPSED),
                out.resolve(PPROF));
        List<String> notes = new ArrayList<>(filterNotes(o));
        if (!engineNote.isEmpty()) {
            notes.add(0, engineNote);
        }
        return finish(out, new ProfileReport(title, stacks, null, null, o.top(), notes), o);
    }

    private static String finish(Path out, ProfileReport report, Options o) throws IOException {
        Files.writeString(out.resolve(SUMMARY), report.text(), StandardCharsets.UTF_8);
        Files.writeString(
                out.resolve(REPORT),
                report.html(List.of(FLAME, COLLAPSED, PPROF, JFR, SUMMARY)),
                StandardCharsets.UTF_8);
        return report.terminal(o.color());
    }

    private static List<String> filterNotes(Options o) {
        List<String> notes = new ArrayList<>();
        if (!o.include().isEmpty()) {
            notes.add("only stacks with a frame matching " + String.join(" or ", o.include()) + " are kept");
        }
        if (!o.exclude().isEmpty()) {
            notes.add("stacks with a frame matching " + String.join(" or ", o.exclude()) + " are dropped");
        }
        return notes;
    }

    private static Path sibling(Path prefix, String suffix) {
        return prefix.resolveSibling(prefix.getFileName() + suffix);
    }

    /** One line naming the files, for stderr. */
    public static String written(Path out) {
        return "mapscope: wrote " + out.resolve(REPORT) + " (open it first), " + FLAME + ", " + COLLAPSED + ", " + PPROF
                + ", " + JFR + " and " + SUMMARY + " in " + out;
    }
}
