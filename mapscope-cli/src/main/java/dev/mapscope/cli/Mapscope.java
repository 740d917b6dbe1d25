package dev.mapscope.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mapscope} command: finds, explains and helps fix unsafe concurrent use of hash maps. */
@Command(name = "mapscope",
        mixinStandardHelpOptions = true,
        version = "mapscope 0.1.0",
        description = "Finds, explains and helps fix unsafe concurrent use of hash maps in Java.",
        subcommands = {
                CommandLine.HelpCommand.class,
                BenchCommand.class,
        })
public final class Mapscope implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Mapscope()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
