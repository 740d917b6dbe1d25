package dev.mapscope.cli.race;

import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.jvm.Session;
import dev.mapscope.cli.jvm.Target;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "status",
        header = "Show what the agent attached to a JVM is doing.",
        description = "Asks the agent attached to a JVM how it is doing: since when, which maps it watches, how"
                + " many findings it has made and dropped.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  mapscope status 12345"})
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "the process id of the JVM")
    long pid;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Target target = Target.of(pid);
        Session session = new Session(pid);
        Session.Status last = session.currentStatus(target);
        if (last == null) {
            throw new UserError("mapscope is not attached to pid " + pid + " (no session in " + session.dir() + ")");
        }
        Session.Status s = last;
        if (last.attached()) {
            s = session.command("status", st -> true, Duration.ofSeconds(5));
            if (s == null) {
                throw new UserError("the agent in pid " + pid + " did not answer within 5s (is the process stopped?)");
            }
        }
        out.printf("pid:          %d%n", pid);
        out.printf(
                "state:        %s%s%n", s.state(), s.attached() ? "" : " (the last session ended; nothing is loaded)");
        out.printf("mode:         %s%n", s.mode());
        out.printf("since:        %s%n", s.since());
        out.printf("findings:     %d%s%n", s.findings(), s.dropped() > 0 ? " (" + s.dropped() + " dropped)" : "");
        out.printf(
                "watching:     %s%n",
                s.instrumented().isEmpty()
                        ? "-"
                        : s.watchedMaps() + " (" + s.instrumented().size() + " classes instrumented)");
        out.printf("session:      %s%n", session.dir());
        out.flush();
        return 0;
    }
}
