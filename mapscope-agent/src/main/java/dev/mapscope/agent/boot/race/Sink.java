package dev.mapscope.agent.boot.race;

/** Receives races on the detecting thread. Implemented by the agent's tooling part (not bootstrap-visible). */
public interface Sink {
    /**
     * Records a race; returns a key that {@link #repeat} accepts for later repeats of it, or 0 when it was
     * not recorded (dropped, or filtered out).
     */
    long report(Race race);

    /** Counts another occurrence of a race reported earlier under {@code key} without building it again. */
    void repeat(long key);
}
