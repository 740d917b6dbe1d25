package dev.mapscope.agent.protocol;

/** How findings and probe hits write a stack frame (docs/AGENT-PROTOCOL.md). */
public final class Frames {
    private Frames() {}

    /** One frame as {@code Throwable.printStackTrace} writes it, without the module: findings and probe hits. */
    public static String format(StackTraceElement e) {
        String where;
        if (e.isNativeMethod()) {
            where = "Native Method";
        } else if (e.getFileName() == null) {
            where = "Unknown Source";
        } else if (e.getLineNumber() >= 0) {
            where = e.getFileName() + ":" + e.getLineNumber();
        } else {
            where = e.getFileName();
        }
        return e.getClassName() + "." + e.getMethodName() + "(" + where + ")";
    }
}
