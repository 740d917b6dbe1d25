package dev.mapscope.agent.profile;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.mapscope.agent.transform.LoadedByName;
import dev.mapscope.agent.transform.TransformRecorder;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The map profile's own transformer: installed when a profile starts, reset when it ends, so that maps pay
 * nothing for the profile when none runs and the race advice (RaceInstaller) is never touched.
 */
final class ProfileInstaller {
    static final String HASH_MAP = "java.util.HashMap";
    static final String CONCURRENT = "java.util.concurrent.ConcurrentHashMap";
    /** mapscope-maps' GoMap, matched by name in whatever class loader it lives (the agent does not depend on it) */
    static final String GO_MAP = "dev.mapscope.maps.GoMap";

    static final Set<String> TYPES = Set.of(HASH_MAP, CONCURRENT, GO_MAP);

    private ProfileInstaller() {}

    /** Installs the advice and retransforms the loaded types; the transformer also sees GoMap loaded later. */
    static ResettableClassFileTransformer install(Instrumentation inst, List<String> errors, Set<String> transformed) {
        AgentBuilder b = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new LoadedByName(TYPES))
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .ignore(nameStartsWith("net.bytebuddy.").or(nameStartsWith("dev.mapscope.agent.")))
                .with(new TransformRecorder(errors, transformed));
        // HashMap, and through it LinkedHashMap, HashSet, LinkedHashSet (their gets end in getNode).
        b = b.type(named(HASH_MAP))
                .transform((builder, type, loader, module, pd) -> builder.visit(on(
                                ProfileAdvice.HashRead.class, named("getNode").and(takesArguments(1))))
                        .visit(on(ProfileAdvice.HashPut.class, named("putVal")))
                        .visit(on(ProfileAdvice.HashRemove.class, named("removeNode")))
                        .visit(on(ProfileAdvice.Clear.class, named("clear").and(takesArguments(0))))
                        .visit(on(
                                ProfileAdvice.HashResize.class, named("resize").and(takesArguments(0)))));
        b = b.type(named(CONCURRENT))
                .transform((builder, type, loader, module, pd) -> builder.visit(on(
                                ProfileAdvice.ConcurrentRead.class, named("get").and(takesArguments(1))))
                        .visit(on(
                                ProfileAdvice.ConcurrentPut.class,
                                named("putVal").and(takesArguments(3))))
                        .visit(on(
                                ProfileAdvice.ConcurrentReplace.class,
                                named("replaceNode").and(takesArguments(3))))
                        .visit(on(ProfileAdvice.Clear.class, named("clear").and(takesArguments(0))))
                        .visit(on(
                                ProfileAdvice.ConcurrentTransfer.class,
                                named("transfer").and(takesArguments(2)))));
        b = b.type(named(GO_MAP))
                .transform((builder, type, loader, module, pd) -> builder.visit(on(
                                ProfileAdvice.GoRead.class, named("mapaccess2").and(takesArguments(1))))
                        .visit(on(
                                ProfileAdvice.GoPut.class, named("assignLocked").and(takesArguments(4))))
                        .visit(on(
                                ProfileAdvice.GoRemove.class,
                                named("deleteLocked").and(takesArguments(4))))
                        .visit(on(ProfileAdvice.GoClear.class, named("mapclear").and(takesArguments(0))))
                        .visit(on(ProfileAdvice.GoGrow.class, named("hashGrow").and(takesArguments(0))))
                        .visit(on(
                                ProfileAdvice.GoEvacuate.class,
                                named("evacuate").and(takesArguments(1))))
                        .visit(on(
                                ProfileAdvice.GoGrowDone.class,
                                named("advanceEvacuationMark").and(takesArguments(1)))));
        return b.installOn(inst);
    }

    /** Removes the advice: the loaded types are retransformed without this transformer. */
    static void reset(Instrumentation inst, ResettableClassFileTransformer transformer) {
        transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION, new LoadedByName(TYPES));
    }

    private static AsmVisitorWrapper on(Class<?> advice, ElementMatcher.Junction<? super MethodDescription> methods) {
        return Advice.to(advice).on(isMethod().and(not(isAbstract())).and(methods));
    }
}
