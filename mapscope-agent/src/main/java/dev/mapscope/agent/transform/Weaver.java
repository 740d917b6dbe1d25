package dev.mapscope.agent.transform;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Weaves a class's rows of an {@link AdviceTable} into its class file with Byte Buddy's {@code Advice}, what
 * AgentBuilder did with DECORATE and disableClassFormatChanges: the methods keep their signatures, no field or
 * method is added (a retransformation may not), the advice is inlined. The only class of the agent that touches
 * Byte Buddy on this path, loaded on the first class the woven cache does not hold.
 */
final class Weaver {
    private static final ByteBuddy BYTE_BUDDY = new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(Implementation.Context.Disabled.Factory.INSTANCE)
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);

    /** each advice class parsed once; guarded by itself */
    private static final Map<Class<?>, Advice> ADVICE = new HashMap<>();

    private Weaver() {}

    /** The class file {@code bytes} of {@code type} (loaded as {@code loaded}, or null) with {@code hooks} woven in. */
    static byte[] weave(String name, byte[] bytes, ClassLoader loader, Class<?> loaded, List<Hook> hooks) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(name, bytes), ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
        TypeDescription type = loaded != null
                ? TypeDescription.ForLoadedType.of(loaded)
                : pool.describe(name).resolve();
        DynamicType.Builder<?> b = BYTE_BUDDY.decorate(type, locator);
        for (Hook h : hooks) {
            b = b.visit(advice(h.advice()).on(matcher(h.methods())));
        }
        return b.make(pool).getBytes();
    }

    private static Advice advice(Class<?> c) {
        synchronized (ADVICE) {
            return ADVICE.computeIfAbsent(c, Advice::to);
        }
    }

    static ElementMatcher.Junction<MethodDescription> matcher(Hook.Methods m) {
        if (m.constructorsOnly()) {
            return isConstructor();
        }
        ElementMatcher.Junction<MethodDescription> j =
                isMethod().and(not(isAbstract())).and(namedOneOf(m.names().toArray(new String[0])));
        if (m.argumentTypes() != null) {
            j = j.and(takesArguments(m.argumentTypes().toArray(new Class<?>[0])));
        } else if (m.argumentCount() >= 0) {
            j = j.and(takesArguments(m.argumentCount()));
        }
        if (m.returnType() != null) {
            j = j.and(returns(m.returnType()));
        }
        return j;
    }
}
