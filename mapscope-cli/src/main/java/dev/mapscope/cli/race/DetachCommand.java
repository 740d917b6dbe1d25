package dev.mapscope.cli.race;

import dev.mapscope.cli.console.DurationConverter;
import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.jvm.Attachment;
import dev.mapscope.cli.jvm.Session;
import dev.mapscope.cli.jvm.Target;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "detach",
        header = "End an attach session that is still open.",
        description = "Ends an attach session that is still open (for example after the terminal running"
                + " `mapscope attach` was closed): the agent restores the original bytecode, flushes its counts"
                + " and stops; the JVM keeps running.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  mapscope detach 12345"})
public final class DetachCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "the process id of the JVM")
    long pid;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Target target = Target.of(pid);
        Session session = new Session(pid);
        Session.Status status = session.currentStatus(target);
        if (status == null || !status.attached()) {
            throw new UserError("mapscope is not attached to pid " + pid
                    + (status != null && !status.attached() ? " (its last session was already detached)" : "")
                    + "; nothing to detach");
        }
        Session.Status done = session.command("detach", s -> !s.attached(), Attachment.DETACH_TIMEOUT);
        if (done == null) {
            throw new UserError("the agent in pid " + pid + " did not answer within "
                    + DurationConverter.format(Attachment.DETACH_TIMEOUT) + " (is the process stopped?); the"
                    + " command waits in " + session.dir().resolve("control"));
        }
        out.printf("detached from pid %d: the original bytecode is restored and the JVM keeps running.%n", pid);
        out.printf(
                "%d finding%s recorded; see them with: mapscope report %s%n",
                done.findings(), done.findings() == 1 ? "" : "s", session.findingsFile());
        out.flush();
        return 0;
    }
}
