package dev.mapscope.cli;

import dev.mapscope.cli.bench.BenchCommand;
import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.probe.InspectCommand;
import dev.mapscope.cli.probe.ProbeCommand;
import dev.mapscope.cli.profile.ProfileCommand;
import dev.mapscope.cli.race.AttachCommand;
import dev.mapscope.cli.race.DemoCommand;
import dev.mapscope.cli.race.DetachCommand;
import dev.mapscope.cli.race.ReportCommand;
import dev.mapscope.cli.race.ReproCommand;
import dev.mapscope.cli.race.RunCommand;
import dev.mapscope.cli.race.StatusCommand;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mapscope} command: finds, explains and helps fix unsafe concurrent use of hash maps. */
@Command(
        name = "mapscope",
        mixinStandardHelpOptions = true,
        versionProvider = VersionFromManifest.class,
        description = "Finds, explains and helps fix unsafe concurrent use of hash maps in Java.",
        footerHeading = "%nStart here:%n",
        footer = {
            "  mapscope demo                          see it find races in two small programs",
            "  mapscope run -- java -cp app.jar Main  run your program under the agent",
            "  mapscope attach <pid> --for 30s        watch a running JVM, then detach",
            "  mapscope <command> --help              every option, with an example"
        },
        subcommands = {
            CommandLine.HelpCommand.class,
            DemoCommand.class,
            RunCommand.class,
            AttachCommand.class,
            DetachCommand.class,
            StatusCommand.class,
            ReportCommand.class,
            ReproCommand.class,
            BenchCommand.class,
            ProfileCommand.class,
            ProbeCommand.class,
            InspectCommand.class,
            AgentPathCommand.class,
            CompletionCommand.class,
        })
public final class MapscopeCommand implements Runnable {
    /*
     * Exit statuses: 0 success, 1 a problem the user can fix (UserError: one sentence on stderr), 2 bad
     * command-line input (picocli's usage error status), 66 races found with --fail-on-race (the agent's
     * halt-on-race status, so scripts see one number for "a map race was found"); `run` otherwise exits with
     * the program's own status. Set MAPSCOPE_DEBUG=1 to see the stack trace of an unexpected error.
     */

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Runs one command as {@code mapscope ARGS...} would, writing to {@code out} and {@code err} instead of the
     * console, and returns its exit status: how the Maven plugin runs {@code report} inside the build's JVM.
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** The command line with mapscope's error handling installed; tests execute it with their own writers. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MapscopeCommand());
        cl.setParameterExceptionHandler(MapscopeCommand::onBadInput);
        cl.setExecutionExceptionHandler(MapscopeCommand::onFailure);
        // `mapscope run java -cp x Main` without `--`: everything from the program on belongs to the program.
        cl.getSubcommands().get("run").setStopAtPositional(true);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static int onBadInput(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        boolean topLevel = cl.getCommandSpec().parent() == null;
        if (topLevel
                && e instanceof CommandLine.UnmatchedArgumentException u
                && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            err.println("mapscope: unknown command '" + u.getUnmatched().get(0) + "'; the commands are: "
                    + String.join(", ", cl.getSubcommands().keySet()) + ".");
        } else {
            err.println("mapscope: " + sentence(e.getMessage()));
            if (e instanceof CommandLine.UnmatchedArgumentException u) {
                CommandLine.UnmatchedArgumentException.printSuggestions(u, err);
            }
        }
        err.println("Try 'mapscope " + (topLevel ? "" : cl.getCommandName() + " ") + "--help'.");
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int onFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof UserError u) {
            err.println("mapscope: " + u.getMessage());
            err.flush();
            return u.exitCode();
        }
        err.println("mapscope: unexpected error: " + e + " (set MAPSCOPE_DEBUG=1 to see where it happened)");
        if (System.getenv("MAPSCOPE_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return 70;
    }

    /** Picocli's messages start with a capital and may end without a full stop; ours are lowercase sentences. */
    private static String sentence(String message) {
        String m = message.strip();
        if (m.isEmpty()) {
            return "bad input.";
        }
        m = m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
        return m.endsWith(".") ? m : m + ".";
    }
}
