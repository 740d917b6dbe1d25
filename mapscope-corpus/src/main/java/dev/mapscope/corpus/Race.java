package dev.mapscope.corpus;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Marks a {@link Program} as racy and says what a correct report of its race looks like. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Race {
    /** A finding of the tier-1 check: two writes were inside the map at the same time. */
    String CONCURRENT_WRITE = "concurrent-write";
    /** A finding of the tier-2 check: two writes with no happens-before order between them. */
    String UNSYNCHRONIZED_WRITE = "unsynchronized-write";

    /** Tier 1: a read met a write in progress (Go's "concurrent map read and map write"). */
    String CONCURRENT_READ = "concurrent-read-write";
    /** Tier 2: a read and a write with no happens-before order between them. */
    String UNSYNCHRONIZED_READ = "unsynchronized-read-write";
    /** Tier 1: an iteration step met a write in progress (Go's "concurrent map iteration and map write"). */
    String CONCURRENT_ITERATION = "concurrent-iteration-write";
    /** Tier 2: an iteration and a write with no happens-before order between them. */
    String UNSYNCHRONIZED_ITERATION = "unsynchronized-iteration-write";

    /** The finding kinds that report this race correctly. */
    String[] kinds();

    /**
     * True when the racing writes really overlap in time, so that the overlap check alone ({@code mode=overlap})
     * must catch them too; false for a race that only the happens-before model can see.
     */
    boolean overlapping();

    /**
     * The method, of the program's class or of a class nested in it, in which every racing thread makes its
     * write: both stacks of a finding must contain a frame of it (with {@link #reader}: the writer's stack).
     */
    String method();

    /**
     * For a read/write or iteration/write race: the method in which the reading or iterating thread reads.
     * Then one stack of a finding must contain a frame of it and the other a frame of {@link #method}. Empty
     * for a write/write race.
     */
    String reader() default "";
}
