package dev.mapscope.corpus;

/**
 * One program of the corpus. A correct program is run once and must draw no finding; a racy program (one
 * annotated {@link Race}) is run round after round on one instance, so its shared map lives across rounds as
 * a real service's would, until the agent's report shows its race or the round budget ends.
 *
 * <p>Implementations have a public no-argument constructor, shut down every thread and pool they start before
 * {@link #run} returns, and do their map writes in named methods of their own class (or of a class nested in
 * it), never in lambdas: a finding is attributed to a program, and judged, by the frames of its stacks.
 */
public interface Program {
    /** Runs the program once, or one round of its race. */
    void run() throws Throwable;
}
