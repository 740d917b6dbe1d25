package dev.mapscope.agent.race;

import dev.mapscope.agent.boot.probe.ProbeGate;
import dev.mapscope.agent.boot.race.Edges;
import dev.mapscope.agent.protocol.Json;
import dev.mapscope.agent.transform.WovenCache;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bytecode half of tier 2's happens-before model (mode=full): rewrites every class's monitors,
 * {@code wait} calls, volatile accesses, VarHandle/Unsafe accesses and static initializer ends into calls to
 * {@link Edges} (see {@link SyncRewriter}). A plain ClassFileTransformer over ASM, not Byte Buddy: it sees
 * every class the JVM defines and must cost little for the thousands that have nothing to rewrite.
 */
public final class SyncTransformer implements ClassFileTransformer {
    /*
     * Which classes, and how (Scope):
     *   - the agent's own (its boot package, its jar) never: the hooks run them;
     *   - application and library classes (any loader but the boot and platform loaders): everything;
     *   - the JDK's java.util.concurrent classes that synchronise through volatiles and CAS rather than
     *     AQS (atomics, CompletableFuture, Exchanger, Phaser, SynchronousQueue, LinkedTransferQueue,
     *     ForkJoinTask, CountedCompleter, FutureTask; and the collections that publish what they hold that way:
     *     CopyOnWriteArrayList/Set, ConcurrentLinkedDeque/Queue; SubmissionPublisher, whose subscribers' buffers are
     *     arrays written and read with release and acquire; AWT's EventQueue and InvocationEvent, whose
     *     invokeAndWait returns on a volatile flag and a monitor): everything, which models them exactly as the JMM
     *     derives their guarantees (a CompletableFuture's result is a volatile written by CAS and read by
     *     every dependent stage and join); java.util.concurrent.locks stays with the AQS advice, whose read
     *     locks must not order readers with each other;
     *   - the JDK classes that hold monitors around user-visible hand-offs (java.util's top-level classes:
     *     Vector, Hashtable, Stack, Properties, Collections$Synchronized*, Timer; java.util.stream, whose
     *     groupingByConcurrent accumulates into each group's container under its monitor; java.io; StringBuffer):
     *     monitors, wait, static initializers;
     *   - java.lang, jdk.internal, sun.: nothing (the hooks themselves run ThreadLocal, Thread, String...);
     *   - every other JDK class: the end of its static initializer.
     * Classes already loaded at install are retransformed (all but the last group: their initializers have
     * run); detach retransforms what was rewritten without this transformer.
     */
    private static final String[] JDK_FULL = {
        "java/util/concurrent/atomic/",
        "java/util/concurrent/CompletableFuture",
        "java/util/concurrent/Exchanger",
        "java/util/concurrent/Phaser",
        "java/util/concurrent/SynchronousQueue",
        "java/util/concurrent/LinkedTransferQueue",
        "java/util/concurrent/ForkJoinTask",
        "java/util/concurrent/CountedCompleter",
        "java/util/concurrent/FutureTask",
        "java/util/concurrent/CopyOnWriteArray",
        "java/util/concurrent/ConcurrentLinkedDeque",
        "java/util/concurrent/ConcurrentLinkedQueue",
        "java/util/concurrent/SubmissionPublisher",
        "java/awt/EventQueue",
        "java/awt/event/InvocationEvent",
    };
    private static final String[] NEVER = {"dev/mapscope/", "java/lang/", "jdk/internal/", "sun/"};
    static final int RETRANSFORM_BATCH = 256;

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final VolatileFields volatiles = new VolatileFields();
    /**
     * The JDK classes' rewrites (JDK_FULL, JDK_MONITORS, CLINIT_ONLY), kept across JVMs of this JDK and agent build:
     * a JDK class's rewrite depends only on JDK class files. Application classes are rewritten every time: their
     * rewrite reads other class files (is that field volatile?), which may have changed since.
     */
    private final WovenCache cache;
    /**
     * Per JDK class name, what its rewrite changes, learnt by earlier JVMs (file PLAN of the cache): how many methods,
     * and how many of them are not the static initializer (0: a class loaded before install, whose initializer has
     * run, is not worth a retransformation). Spares install the reading and rewriting of each loaded class to decide.
     * Guarded by lock.
     */
    private final Map<String, int[]> plan = new HashMap<>();

    private boolean planChanged;
    static final String PLAN = "plan";
    private final Object lock = new Object();
    /** the names of the classes rewritten, to retransform at detach; guarded by lock */
    private final Set<String> rewritten = new HashSet<>();
    // Counters, guarded by lock.
    private long seen;
    private long classes;
    private long methods;
    private long skippedMethods;
    private long unresolvedFields;
    private long failures;
    private long nanos;
    private String firstFailure;
    private boolean told;
    private long installMillis;
    private int retransformed;

    private SyncTransformer(String build) {
        cache = WovenCache.open(build, "happens-before rewrite");
        for (String line : cache.readLines(PLAN)) {
            String[] f = line.split(" ");
            if (f.length == 3) {
                try {
                    plan.put(f[0], new int[] {Integer.parseInt(f[1]), Integer.parseInt(f[2])});
                } catch (NumberFormatException e) {
                    // a line of another format: learnt again
                }
            }
        }
    }

    /** The agent jar: its classes (tooling, relocated Byte Buddy) are never rewritten. */
    private static final java.net.URL AGENT_JAR = agentJar();

    private static java.net.URL agentJar() {
        java.security.CodeSource cs =
                SyncTransformer.class.getProtectionDomain().getCodeSource();
        return cs == null ? null : cs.getLocation();
    }

    /** The agent's own classes: its boot package and whatever came from its jar (not a user's dev.mapscope.agent test). */
    static boolean own(ClassLoader loader, String name, ProtectionDomain domain) {
        if (!name.startsWith("dev/mapscope/agent/")) {
            return false;
        }
        if (loader == null
                || name.startsWith("dev/mapscope/agent/boot/")
                || name.startsWith("dev/mapscope/agent/shaded/")) {
            return true;
        }
        java.security.CodeSource cs = domain == null ? null : domain.getCodeSource();
        return cs == null || AGENT_JAR == null || AGENT_JAR.equals(cs.getLocation());
    }

    /** The scope of a class defined by {@code loader}, or null to leave it alone (the agent's own: see {@link #own}). */
    static SyncRewriter.Scope scope(ClassLoader loader, String name) {
        if (loader != null && loader != PLATFORM) {
            return SyncRewriter.Scope.APP;
        }
        for (String p : JDK_FULL) {
            if (name.startsWith(p)) {
                return SyncRewriter.Scope.JDK_FULL;
            }
        }
        for (String p : NEVER) {
            if (name.startsWith(p)) {
                return name.equals("java/lang/StringBuffer") ? SyncRewriter.Scope.JDK_MONITORS : null;
            }
        }
        if (name.startsWith("java/util/") && name.indexOf('/', "java/util/".length()) < 0
                || name.startsWith("java/util/stream/")
                || name.startsWith("java/io/")) {
            return SyncRewriter.Scope.JDK_MONITORS;
        }
        return SyncRewriter.Scope.CLINIT_ONLY;
    }

    @Override
    public byte[] transform(
            ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (name == null) {
            return null;
        }
        SyncRewriter.Scope scope = scope(loader, name);
        if (scope == null || own(loader, name, domain)) {
            return null;
        }
        boolean was = ProbeGate.enterAgent(); // our own HashMaps and monitors are not the application's
        try {
            long t0 = System.nanoTime();
            SyncRewriter.Counts c = new SyncRewriter.Counts();
            boolean jdk = scope != SyncRewriter.Scope.APP;
            byte[] out = jdk ? cache.get(name.replace('/', '.'), bytes) : null;
            Throwable failure = null;
            if (out != null) {
                synchronized (lock) {
                    int[] known = plan.get(name);
                    c.methods = known == null ? 0 : known[0];
                }
            } else {
                try {
                    out = SyncRewriter.rewrite(bytes, scope, loader, volatiles, c);
                } catch (Throwable e) {
                    failure = e; // the class stays as it was
                }
                if (jdk && out != null && complete(c)) {
                    cache.put(name.replace('/', '.'), bytes, out);
                    learn(name, c);
                }
            }
            long dt = System.nanoTime() - t0;
            String tell = null;
            synchronized (lock) {
                seen++;
                nanos += dt;
                skippedMethods += c.skippedMethods;
                unresolvedFields += c.unresolvedFields;
                if (failure != null) {
                    failures++;
                    if (firstFailure == null) {
                        firstFailure = name.replace('/', '.') + ": " + failure;
                    }
                } else if (out != null) {
                    classes++;
                    methods += c.methods;
                    rewritten.add(name);
                }
                if (!told && (failure != null || c.skippedMethods > 0 || c.unresolvedFields > 0)) {
                    told = true;
                    tell = "mapscope: the happens-before model misses synchronisation in " + name.replace('/', '.')
                            + (failure != null
                                    ? " (" + failure + ")"
                                    : c.skippedMethods > 0
                                            ? " (a synchronized method it cannot rewrite)"
                                            : " (a field whose class file it cannot read)")
                            + "; tier 2 may report a race that this synchronisation prevents. Counts: status.json"
                            + " \"happensBefore\" and the detach summary";
                }
            }
            if (tell != null) {
                System.err.println(tell);
            }
            return out;
        } finally {
            ProbeGate.leaveAgent(was);
        }
    }

    private static boolean complete(SyncRewriter.Counts c) {
        return c.skippedMethods == 0 && c.unresolvedFields == 0;
    }

    private void learn(String name, SyncRewriter.Counts c) {
        int[] now = {c.methods, c.methods - c.initializers};
        synchronized (lock) {
            int[] was = plan.put(name, now);
            planChanged |= was == null || !java.util.Arrays.equals(was, now);
        }
    }

    /**
     * Registers the transformer and rewrites the loaded classes it covers. {@code build} (the agent's build id, or
     * null) keys the cache of JDK rewrites.
     */
    public static SyncTransformer install(Instrumentation inst, String build) {
        long t0 = System.nanoTime();
        SyncTransformer t = new SyncTransformer(build);
        Edges.start();
        inst.addTransformer(t, true);
        List<Class<?>> loaded = new ArrayList<>();
        boolean was = ProbeGate.enterAgent();
        try {
            for (Class<?> c : inst.getAllLoadedClasses()) {
                if (candidate(inst, c) && t.worthRetransforming(c)) {
                    loaded.add(c);
                }
            }
        } finally {
            ProbeGate.leaveAgent(was);
        }
        int n = retransform(inst, loaded);
        t.savePlan();
        synchronized (t.lock) {
            t.retransformed = n;
            t.installMillis = (System.nanoTime() - t0) / 1_000_000;
        }
        return t;
    }

    private static boolean candidate(Instrumentation inst, Class<?> c) {
        if (c.isArray() || c.isPrimitive() || c.isHidden() || !inst.isModifiableClass(c)) {
            return false;
        }
        String name = c.getName().replace('.', '/');
        SyncRewriter.Scope s = scope(c.getClassLoader(), name);
        return s != null
                && s != SyncRewriter.Scope.CLINIT_ONLY
                && !(name.startsWith("dev/mapscope/agent/") // the domain only when it decides: it costs start-up
                        && own(c.getClassLoader(), name, c.getProtectionDomain()));
    }

    /**
     * False when the class file, read through the class's loader, has nothing to rewrite but its static initializer,
     * which has run: a retransformation costs the JVM a redefinition even when every transformer returns null (most
     * loaded JDK classes have no monitor; Optional, HexFormat or HashSet only an initializer). True when the class
     * file cannot be read: the transformer will see the JVM's copy.
     */
    private boolean worthRetransforming(Class<?> c) {
        String name = c.getName().replace('.', '/');
        ClassLoader loader = c.getClassLoader();
        boolean jdk = loader == null || loader == PLATFORM;
        if (jdk) {
            synchronized (lock) {
                int[] known = plan.get(name);
                if (known != null) {
                    return known[1] > 0;
                }
            }
        }
        try (java.io.InputStream in = loader == null
                ? ClassLoader.getSystemResourceAsStream(name + ".class")
                : loader.getResourceAsStream(name + ".class")) {
            if (in == null) {
                return true;
            }
            SyncRewriter.Counts counts = new SyncRewriter.Counts();
            byte[] out = SyncRewriter.rewrite(in.readAllBytes(), scope(loader, name), loader, volatiles, counts);
            if (out == null) {
                counts.methods = 0;
                counts.initializers = 0;
            }
            if (jdk && complete(counts)) {
                learn(name, counts);
            }
            return counts.methods > counts.initializers; // else nothing a class whose initializer has run would use
        } catch (Throwable e) {
            return true;
        }
    }

    /** Writes what this JVM learnt about JDK classes for the next one. */
    private void savePlan() {
        List<String> lines = new ArrayList<>();
        synchronized (lock) {
            if (!planChanged) {
                return;
            }
            planChanged = false;
            plan.forEach((name, known) -> lines.add(name + " " + known[0] + " " + known[1]));
        }
        cache.writeLines(PLAN, lines);
    }

    /** Retransforms in batches; a batch that fails is retried class by class. Returns how many were retransformed. */
    private static int retransform(Instrumentation inst, List<Class<?>> classes) {
        int done = 0;
        for (int i = 0; i < classes.size(); i += RETRANSFORM_BATCH) {
            List<Class<?>> batch = classes.subList(i, Math.min(classes.size(), i + RETRANSFORM_BATCH));
            try {
                inst.retransformClasses(batch.toArray(new Class<?>[0]));
                done += batch.size();
            } catch (Throwable e) {
                for (Class<?> c : batch) {
                    try {
                        inst.retransformClasses(c);
                        done++;
                    } catch (Throwable ignored) {
                        // unmodifiable after all, or gone: it keeps the code it had
                    }
                }
            }
        }
        return done;
    }

    /** Removes the transformer and restores every class it rewrote. */
    public void uninstall(Instrumentation inst) {
        savePlan();
        Edges.stop();
        inst.removeTransformer(this);
        Set<String> names;
        synchronized (lock) {
            names = new HashSet<>(rewritten);
        }
        List<Class<?>> restore = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (!c.isArray()
                    && !c.isPrimitive()
                    && names.contains(c.getName().replace('.', '/'))
                    && inst.isModifiableClass(c)) {
                restore.add(c);
            }
        }
        retransform(inst, restore);
    }

    /** The counters as a JSON object, for status.json. */
    public String json() {
        synchronized (lock) {
            return "{\"classesSeen\":" + seen + ",\"classesRewritten\":" + classes + ",\"methodsRewritten\":" + methods
                    + ",\"retransformedAtInstall\":" + retransformed + ",\"installMs\":" + installMillis
                    + ",\"transformMs\":" + nanos / 1_000_000 + ",\"skippedMethods\":" + skippedMethods
                    + ",\"unresolvedFields\":" + unresolvedFields + ",\"failedClasses\":" + failures
                    + (firstFailure == null ? "" : ",\"firstFailure\":" + Json.str(firstFailure)) + "}";
        }
    }

    /** One line for the end of the run when the model was incomplete, or null. */
    public String incompleteNote() {
        synchronized (lock) {
            if (skippedMethods == 0 && unresolvedFields == 0 && failures == 0) {
                return null;
            }
            return "mapscope: the happens-before model was incomplete: " + skippedMethods
                    + " synchronized methods not rewritten, " + unresolvedFields
                    + " field accesses of unknown volatility, "
                    + failures + " classes that failed to rewrite"
                    + (firstFailure == null ? "" : " (first: " + firstFailure + ")");
        }
    }
}
