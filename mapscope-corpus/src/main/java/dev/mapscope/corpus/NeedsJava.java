package dev.mapscope.corpus;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A program that uses an API newer than the release the corpus is compiled for; skipped on older JDKs. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NeedsJava {
    /** The lowest JDK feature release the program runs on. */
    int value();
}
