package dev.mapscope.cli;

/**
 * A problem the user can fix: bad input, a missing file, a process that cannot be attached to. {@link Mapscope}
 * prints the message as one line and exits with {@link #exitCode()}; never a stack trace.
 */
final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    UserError(String message) {
        this(message, 1);
    }

    UserError(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
