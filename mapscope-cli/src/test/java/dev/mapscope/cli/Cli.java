package dev.mapscope.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the mapscope command in this JVM, as main would, and keeps what it printed. */
final class Cli {
    private Cli() {}

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = MapscopeCommand.commandLine()
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
