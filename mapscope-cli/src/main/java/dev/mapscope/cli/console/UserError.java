package dev.mapscope.cli.console;

import dev.mapscope.cli.MapscopeCommand;

/**
 * A problem the user can fix: bad input, a missing file, a process that cannot be attached to. {@link MapscopeCommand}
 * prints the message as one line and exits with {@link #exitCode()}; never a stack trace.
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public UserError(String message) {
        this(message, 1);
    }

    public UserError(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
