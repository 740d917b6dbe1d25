package dev.mapscope.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * Defines the boot package (what the inlined advice calls) in the bootstrap class loader, once per JVM. It travels
 * inside the agent jar as a nested jar, so it is not on the application's class path.
 */
final class BootJar {
    static final String RESOURCE = "META-INF/mapscope/mapscope-agent-boot.jar";
    static final String PROBE = "dev.mapscope.agent.boot.race.MapWatch";
    /**
     * Every boot class, loaded and initialised before any advice is installed. Loaded later, on first use,
     * a boot class would be loaded from inside instrumented code: the class-file hook (Byte Buddy) runs on
     * that load, writes HashMaps, the advice calls back into the class being loaded, and the JVM answers
     * ClassCircularityError, which it then keeps answering for that constant-pool entry (seen on the first
     * ThreadState of a thread started right after an attach).
     */
    private static final String[] CLASSES = {
        "dev.mapscope.agent.boot.race.Sink",
        "dev.mapscope.agent.boot.race.MapStripe",
        "dev.mapscope.agent.boot.race.Young",
        "dev.mapscope.agent.boot.race.Starts",
        "dev.mapscope.agent.boot.race.Starts$Slot",
        "dev.mapscope.agent.boot.race.Starts$Walk",
        "dev.mapscope.agent.boot.race.Race",
        "dev.mapscope.agent.boot.race.ThreadState",
        "dev.mapscope.agent.boot.race.Clocks",
        "dev.mapscope.agent.boot.race.Clocks$Stripe",
        "dev.mapscope.agent.boot.race.Edges",
        "dev.mapscope.agent.boot.race.Sharing",
        "dev.mapscope.agent.boot.race.MapState",
        "dev.mapscope.agent.boot.probe.ProbeHook",
        "dev.mapscope.agent.boot.probe.ProbeGate",
        "dev.mapscope.agent.boot.profile.ProfileSink",
        "dev.mapscope.agent.boot.profile.ProfileGate",
        PROBE,
    };

    private BootJar() {}

    /*
     * Not Instrumentation.appendToBootstrapClassLoaderSearch: once the bootstrap search path is appended, the JVM
     * prints "Sharing is only supported for boot loader classes because bootstrap classpath has been appended" and
     * loads every platform and application class from its jar instead of the class-data sharing archive (1,659
     * classes of a program that puts one key in a HashMap, about 0.15 s of its start-up). Instead each class is
     * defined straight into the bootstrap loader by jdk.internal.misc.Unsafe.defineClass(..., null loader, ...),
     * whose package java.base exports to the agent's module for this (Instrumentation.redefineModule). A class so
     * defined is found by the bootstrap loader by name like one of its own (it is in the loader's dictionary):
     * java.util's inlined advice and the tooling (through the application loader's delegation) resolve the very same
     * class. Checked on JDK 17 and 25, which both have that method with this signature.
     */

    static void defineOnce(Instrumentation inst) throws IOException {
        if (onBootstrapPath()) {
            return; // a second load, or a detach and reload: the first one's classes stay
        }
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (InputStream in = BootJar.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the agent jar has no " + RESOURCE + " (use the jar built by mvn package)");
            }
            JarInputStream jar = new JarInputStream(in);
            for (JarEntry e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
                String n = e.getName();
                if (n.endsWith(".class") && !n.endsWith("package-info.class")) {
                    ByteArrayOutputStream b = new ByteArrayOutputStream(4096);
                    jar.transferTo(b);
                    classes.put(n.substring(0, n.length() - 6).replace('/', '.'), b.toByteArray());
                }
            }
        }
        try {
            define(inst, classes);
            for (String c : CLASSES) {
                Class.forName(c, true, null);
            }
            dev.mapscope.agent.boot.race.MapWatch.warmUp();
            dev.mapscope.agent.boot.probe.ProbeGate.warmUp();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the boot classes could not be defined in the bootstrap loader ("
                    + (e.getCause() == null ? e : e.getCause()) + ")");
        }
    }

    /**
     * Defines {@code classes} in the bootstrap loader. A class whose superclass or interface is not defined yet
     * fails with NoClassDefFoundError and is retried after the others: the nested jar's order is alphabetical.
     */
    private static void define(Instrumentation inst, Map<String, byte[]> classes) throws ReflectiveOperationException {
        Module base = Object.class.getModule();
        inst.redefineModule(
                base,
                Set.of(),
                Map.of("jdk.internal.misc", Set.of(BootJar.class.getModule())),
                Map.of(),
                Set.of(),
                Map.of());
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        // A method handle, not Method.invoke: the JDK turns a Method invoked 15 times into a generated accessor class
        // (about 20 classes loaded and one more to retransform, 6 ms of start-up).
        MethodHandle define = MethodHandles.lookup()
                .findVirtual(
                        unsafeClass,
                        "defineClass",
                        MethodType.methodType(
                                Class.class,
                                String.class,
                                byte[].class,
                                int.class,
                                int.class,
                                ClassLoader.class,
                                java.security.ProtectionDomain.class))
                .bindTo(unsafe);
        List<String> left = new ArrayList<>(classes.keySet());
        while (!left.isEmpty()) {
            List<String> later = new ArrayList<>();
            Throwable last = null;
            for (String name : left) {
                byte[] b = classes.get(name);
                try {
                    Class<?> unused = (Class<?>)
                            define.invokeExact(name, b, 0, b.length, (ClassLoader) null, (ProtectionDomain) null);
                } catch (NoClassDefFoundError e) {
                    later.add(name); // its superclass or an interface comes later in the jar
                    last = e;
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }
            if (later.size() == left.size()) {
                throw new ReflectiveOperationException(last);
            }
            left = later;
        }
    }

    static boolean onBootstrapPath() {
        try {
            Class.forName(PROBE, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
