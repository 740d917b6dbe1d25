package dev.mapscope.cli.profile;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import one.convert.Arguments;
import one.convert.FlameGraph;
import one.convert.JfrToFlame;
import one.convert.JfrToPprof;

/**
 * Flame graphs, collapsed stacks and pprof files through async-profiler's converter ({@code one.convert}): the
 * HTML flame graph is its template filled in by {@link FlameGraph}; nothing here draws.
 */
final class Flames {
    private Flames() {}

    /** An HTML flame graph of {@code stacks}, titled {@code title}. */
    static void collapsedToHtml(Collapsed stacks, String title, Path html) throws IOException {
        Arguments args = new Arguments();
        args.title = title;
        FlameGraph graph = new FlameGraph(args);
        StringBuilder text = new StringBuilder();
        for (Collapsed.Stack s : stacks.stacks()) {
            text.append(String.join(";", s.frames()))
                    .append(' ')
                    .append(s.count())
                    .append('\n');
        }
        graph.parseCollapsed(new StringReader(text.toString()));
        try (OutputStream out = Files.newOutputStream(html)) {
            graph.dump(out);
        }
    }

    /**
     * An async-profiler JFR recording of {@code event} (cpu, wall or lock) as a flame graph, collapsed stacks and a
     * gzipped pprof file, keeping the stacks that {@code include}/{@code exclude} allow (see
     * {@link Collapsed#filter}). Returns the collapsed stacks.
     */
    static Collapsed jfrToAll(
            Path jfr,
            String event,
            List<String> include,
            List<String> exclude,
            String title,
            Path html,
            Path collapsed,
            Path pprof)
            throws IOException {
        JfrToFlame.convert(
                jfr.toString(), collapsed.toString(), arguments(event, include, exclude, title, "collapsed"));
        JfrToFlame.convert(jfr.toString(), html.toString(), arguments(event, include, exclude, title, "html"));
        JfrToPprof.convert(
                jfr.toString(),
                pprof.toString(),
                arguments(event, include, exclude, title, pprof.getFileName().toString()));
        return Collapsed.read(collapsed);
    }

    private static Arguments arguments(
            String event, List<String> include, List<String> exclude, String title, String output) {
        Arguments args = new Arguments();
        args.output = output;
        args.title = title;
        switch (event) {
            case "wall" -> args.wall = true;
            case "lock" -> args.lock = true;
            default -> args.cpu = false; // every execution sample: with ctimer/itimer there are no thread states
        }
        args.include = include.isEmpty() ? null : Collapsed.globs(include);
        args.exclude = exclude.isEmpty() ? null : Collapsed.globs(exclude);
        return args;
    }
}
