package dev.mapscope.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test of a race itself: it passes only if mapscope's agent sees a map race while it runs, and fails with
 * "mapscope saw no map race during this test" otherwise. The races it sees are not charged to its class or
 * reported at the end of the run.
 *
 * <pre>{@code
 * @Test
 * @ExpectMapRace
 * void theOldCacheLosesEntriesUnderLoad() { ... }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(MapscopeExtension.class)
public @interface ExpectMapRace {}
