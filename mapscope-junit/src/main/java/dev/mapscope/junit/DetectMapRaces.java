package dev.mapscope.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fails a test during which mapscope's agent saw a map race: two threads writing a JDK map at the same
 * time, or without synchronisation between them. The Java counterpart of {@code go test -race}, for maps.
 *
 * <pre>{@code
 * @DetectMapRaces
 * class CacheTest { ... }
 * }</pre>
 *
 * Needed only where automatic registration is off ({@code mapscope.junit.auto=false}, see
 * {@link MapscopeSessionListener}): otherwise every test class is watched. The agent is installed into the
 * test JVM on first use (see {@link MapscopeExtension}).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MapscopeExtension.class)
public @interface DetectMapRaces {}
