package dev.mapscope.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * Puts the boot package (what the inlined advice calls) on the bootstrap class loader's search path, once
 * per JVM. It travels inside the agent jar as a nested jar, so it is not on the application's class path.
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
        "dev.mapscope.agent.boot.race.Sharing$Stripe",
        "dev.mapscope.agent.boot.race.Starts",
        "dev.mapscope.agent.boot.race.Starts$Slot",
        "dev.mapscope.agent.boot.race.Starts$Walk",
        "dev.mapscope.agent.boot.race.Race",
        "dev.mapscope.agent.boot.race.ThreadState",
        "dev.mapscope.agent.boot.race.Clocks",
        "dev.mapscope.agent.boot.race.Clocks$Stripe",
        "dev.mapscope.agent.boot.race.Edges",
        "dev.mapscope.agent.boot.race.Sharing",
        "dev.mapscope.agent.boot.race.Sharing$MapState",
        "dev.mapscope.agent.boot.probe.ProbeHook",
        "dev.mapscope.agent.boot.probe.ProbeGate",
        "dev.mapscope.agent.boot.profile.ProfileSink",
        "dev.mapscope.agent.boot.profile.ProfileGate",
        PROBE,
    };

    private BootJar() {}

    static void appendOnce(Instrumentation inst) throws IOException {
        if (onBootstrapPath()) {
            return; // a second load, or a detach and reload: the first one's classes stay
        }
        Path jar;
        try (InputStream in = BootJar.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "the agent jar has no " + RESOURCE + " (use the jar built by mvn package)");
            }
            jar = Files.createTempFile("mapscope-boot-", ".jar");
            jar.toFile().deleteOnExit();
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
        try {
            for (String c : CLASSES) {
                Class.forName(c, true, null);
            }
            dev.mapscope.agent.boot.race.MapWatch.warmUp();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the boot classes did not load from " + jar + " (" + e.getMessage() + ")");
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
