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
    static final String PROBE = "dev.mapscope.agent.boot.MapWatch";

    private BootJar() {
    }

    static void appendOnce(Instrumentation inst) throws IOException {
        if (onBootstrapPath()) {
            return; // a second load, or a detach and reload: the first one's classes stay
        }
        Path jar;
        try (InputStream in = BootJar.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the agent jar has no " + RESOURCE + " (use the jar built by mvn package)");
            }
            jar = Files.createTempFile("mapscope-boot-", ".jar");
            jar.toFile().deleteOnExit();
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
        if (!onBootstrapPath()) {
            throw new IllegalStateException("the boot classes did not load from " + jar);
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
