package dev.mapscope.agent.probe;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.mapscope.agent.boot.probe.ProbeHook;
import dev.mapscope.agent.transform.LoadedByName;
import dev.mapscope.agent.transform.TransformRecorder;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One probe's transformer: advice only on the map classes its selector can match and only on the methods of
 * the operations it asked for, with its slot inlined. Installed when the probe is armed, reset when it ends;
 * the race detector's advice (a transformer of its own) is not touched.
 */
final class ProbeInstaller {
    static final String HASH_MAP = "java.util.HashMap";
    static final String CHM = "java.util.concurrent.ConcurrentHashMap";
    static final String TREE_MAP = "java.util.TreeMap";
    static final String GO_MAP = "dev.mapscope.maps.GoMap";
    /** the class that declares the advised methods of each family, indexed by ProbeAdvice family */
    static final String[] DECLARING = {HASH_MAP, CHM, TREE_MAP, GO_MAP};

    private ProbeInstaller() {}

    /** The result of an installation: the transformer and the names of the classes it transformed. */
    static final class Installed {
        final ResettableClassFileTransformer transformer;
        final Set<String> classes;
        final List<String> errors;

        Installed(ResettableClassFileTransformer transformer, Set<String> classes, List<String> errors) {
            this.transformer = transformer;
            this.classes = classes;
            this.errors = errors;
        }
    }

    /**
     * Installs advice for {@code ops} (bits 1 << op) on the declaring classes of {@code families} (bits
     * 1 << family), calling slot {@code slot}.
     */
    static Installed install(Instrumentation inst, int slot, int ops, int families) {
        Set<String> names = new TreeSet<>();
        for (int f = 0; f < DECLARING.length; f++) {
            if ((families & (1 << f)) != 0) {
                names.add(DECLARING[f]);
            }
        }
        Set<String> transformed = new TreeSet<>();
        List<String> errors = new ArrayList<>();
        Advice.WithCustomMapping mapping = Advice.withCustomMapping().bind(ProbeAdvice.Slot.class, slot);
        AgentBuilder b = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new LoadedByName(names))
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .ignore(nameStartsWith("net.bytebuddy.").or(nameStartsWith("dev.mapscope.agent.")))
                .with(new TransformRecorder(errors, transformed));
        if (names.contains(HASH_MAP)) {
            b = b.type(named(HASH_MAP)).transform((builder, type, loader, module, pd) -> {
                builder = visit(builder, mapping, ops, ProbeHook.PUT, ProbeAdvice.HashPut.class, named("putVal"));
                builder = visit(
                        builder,
                        mapping,
                        ops,
                        ProbeHook.PUT,
                        ProbeAdvice.HashKeyedPut.class,
                        namedOneOf("computeIfAbsent", "compute", "merge"));
                builder = visit(
                        builder,
                        mapping,
                        ops,
                        ProbeHook.GET,
                        ProbeAdvice.HashGet.class,
                        named("getNode").and(takesArguments(1)));
                builder = visit(
                        builder, mapping, ops, ProbeHook.REMOVE, ProbeAdvice.HashRemove.class, named("removeNode"));
                builder = visit(builder, mapping, ops, ProbeHook.RESIZE, ProbeAdvice.HashResize.class, named("resize"));
                return visit(builder, mapping, ops, ProbeHook.CLEAR, ProbeAdvice.HashClear.class, named("clear"));
            });
        }
        if (names.contains(CHM)) {
            b = b.type(named(CHM)).transform((builder, type, loader, module, pd) -> {
                builder = visit(
                        builder,
                        mapping,
                        ops,
                        ProbeHook.PUT,
                        ProbeAdvice.ChmPut.class,
                        named("putVal").and(takesArguments(3)));
                builder = visit(
                        builder,
                        mapping,
                        ops,
                        ProbeHook.PUT,
                        ProbeAdvice.ChmKeyedPut.class,
                        namedOneOf("computeIfAbsent", "compute", "merge"));
                builder = visit(
                        builder,
                        mapping,
                        ops,
                        ProbeHook.GET,
                        ProbeAdvice.ChmGet.class,
                        named("get").and(takesArguments(1)));
                if ((ops & (1 << ProbeHook.REMOVE | 1 << ProbeHook.PUT)) != 0) {
                    builder = builder.visit(on(mapping, ProbeAdvice.ChmReplaceNode.class, named("replaceNode")));
                }
                builder = visit(
                        builder,
                        mapping,
                        ops,
                        ProbeHook.RESIZE,
                        ProbeAdvice.ChmTransfer.class,
                        named("transfer").and(takesArguments(2)));
                return visit(builder, mapping, ops, ProbeHook.CLEAR, ProbeAdvice.ChmClear.class, named("clear"));
            });
        }
        if (names.contains(TREE_MAP)) {
            b = b.type(named(TREE_MAP)).transform((builder, type, loader, module, pd) -> {
                builder = visit(
                        builder,
                        mapping,
                        ops,
                        ProbeHook.PUT,
                        ProbeAdvice.TreePut.class,
                        named("put").and(takesArguments(3)));
                // get and containsKey, not getEntry: remove(Object) calls getEntry too, and would count as a get
                builder = visit(
                        builder,
                        mapping,
                        ops,
                        ProbeHook.GET,
                        ProbeAdvice.TreeGet.class,
                        namedOneOf("get", "containsKey").and(takesArguments(1)));
                builder = visit(
                        builder,
                        mapping,
                        ops,
                        ProbeHook.REMOVE,
                        ProbeAdvice.TreeRemove.class,
                        named("remove").and(takesArguments(1)));
                return visit(builder, mapping, ops, ProbeHook.CLEAR, ProbeAdvice.TreeClear.class, named("clear"));
            });
        }
        if (names.contains(GO_MAP)) {
            b = b.type(named(GO_MAP)).transform((builder, type, loader, module, pd) -> {
                builder = visit(builder, mapping, ops, ProbeHook.PUT, ProbeAdvice.GoPut.class, named("mapassign"));
                builder = visit(builder, mapping, ops, ProbeHook.GET, ProbeAdvice.GoGet.class, named("mapaccess2"));
                builder =
                        visit(builder, mapping, ops, ProbeHook.REMOVE, ProbeAdvice.GoRemove.class, named("mapdelete"));
                builder = visit(builder, mapping, ops, ProbeHook.RESIZE, ProbeAdvice.GoGrow.class, named("hashGrow"));
                return visit(builder, mapping, ops, ProbeHook.CLEAR, ProbeAdvice.GoClear.class, named("mapclear"));
            });
        }
        for (String n : names) {
            if (!n.equals(GO_MAP)) {
                try {
                    Class.forName(n, false, null); // loaded before the transformer runs (see RaceInstaller)
                } catch (ClassNotFoundException e) {
                    // not in this JDK
                }
            }
        }
        ResettableClassFileTransformer t = b.installOn(inst);
        return new Installed(t, transformed, errors);
    }

    /** Removes a probe's advice: the classes are retransformed without its transformer. */
    static void reset(Instrumentation inst, Installed installed, int families) {
        Set<String> names = new TreeSet<>();
        for (int f = 0; f < DECLARING.length; f++) {
            if ((families & (1 << f)) != 0) {
                names.add(DECLARING[f]);
            }
        }
        installed.transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION, new LoadedByName(names));
    }

    private static DynamicType.Builder<?> visit(
            DynamicType.Builder<?> builder,
            Advice.WithCustomMapping mapping,
            int ops,
            int op,
            Class<?> advice,
            ElementMatcher.Junction<? super MethodDescription> methods) {
        return (ops & (1 << op)) == 0 ? builder : builder.visit(on(mapping, advice, methods));
    }

    private static AsmVisitorWrapper on(
            Advice.WithCustomMapping mapping,
            Class<?> advice,
            ElementMatcher.Junction<? super MethodDescription> methods) {
        return mapping.to(advice).on(isMethod().and(not(isAbstract())).and(methods));
    }
}
