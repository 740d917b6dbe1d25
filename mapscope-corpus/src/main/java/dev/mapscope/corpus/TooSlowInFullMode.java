package dev.mapscope.corpus;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A correct program the agent checks correctly in mode=full but far too slowly to run in a build: a known limit of
 * the happens-before model, written down in docs/AGENT.md. Run with {@code --mode full}, the corpus skips it and says
 * why; in mode=overlap it runs and must be silent like any other.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TooSlowInFullMode {
    /** The limit, in one sentence. */
    String value();
}
