package dev.mapscope.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The agent's entry point, for {@code -javaagent:mapscope-agent.jar[=options]} and for dynamic attach.
 * Options are described in AGENT-PROTOCOL.md; a bad option prints one {@code mapscope:} line and installs
 * nothing.
 */
public final class MapscopeAgent {
    /*
     * This class must not touch a class of the boot package before BootJar has defined it in the bootstrap
     * loader: the advice inlined into java.util resolves them there, and the tooling must see the very
     * same classes (it would load its own copy if it resolved them first).
     */
    private MapscopeAgent() {}

    public static void premain(String args, Instrumentation inst) {
        load(args, inst, true);
    }

    public static void agentmain(String args, Instrumentation inst) {
        load(args, inst, false);
    }

    private static synchronized void load(String args, Instrumentation inst, boolean fromCommandLine) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mapscope: " + e.getMessage() + "; nothing was installed");
            return;
        }
        if (fromCommandLine && options.stderr) {
            String shadowed = shadowedJar();
            if (shadowed != null) {
                System.err.println(shadowed);
            }
        }
        try {
            BootJar.defineOnce(inst);
            Agent.load(options, inst);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("mapscope: " + e.getMessage() + "; nothing was installed");
        } catch (Throwable e) {
            System.err.println("mapscope: could not install the agent (" + e + "); the application runs without it");
        }
    }

    /**
     * One line when the agent's classes were loaded from another build, earlier on the class path than the jar
     * that -javaagent names (a dependency of mapscope-junit, a benchmark jar): the JVM loads an agent's classes
     * through the class path, so that copy runs. Two builds differ in their boot classes (the nested jar); a copy
     * of the same build says nothing. Null otherwise, or when it cannot tell.
     */
    static String shadowedJar() {
        try {
            List<String> args =
                    List.of(ProcessHandle.current().info().arguments().orElse(new String[0]));
            if (args.stream().noneMatch(a -> a.startsWith("-javaagent:"))) {
                return null;
            }
            Path running = Path.of(MapscopeAgent.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            byte[] runningBoot = runningBootClasses();
            return shadowedJar(running, runningBoot, args);
        } catch (Exception | Error e) {
            return null; // no code source, no argument list: say nothing
        }
    }

    static String shadowedJar(Path running, byte[] runningBoot, List<String> jvmArgs) throws IOException {
        for (String a : jvmArgs) {
            if (!a.startsWith("-javaagent:")) {
                continue;
            }
            String jar = a.substring("-javaagent:".length());
            int eq = jar.indexOf('=');
            Path named = Path.of(eq < 0 ? jar : jar.substring(0, eq));
            if (!Files.isRegularFile(named) || Files.isSameFile(named, running)) {
                continue;
            }
            byte[] namedBoot = bootClasses(named);
            if (namedBoot == null) {
                continue; // another agent
            }
            if (Arrays.equals(namedBoot, runningBoot)) {
                continue; // the same build
            }
            return "mapscope: the agent runs from " + running + ", another build than " + named
                    + " and before it on the class path (the JVM loads an agent's classes through the class path,"
                    + " so that copy runs): remove it from the class path, or name it in -javaagent";
        }
        return null;
    }

    /**
     * True if {@code jar} is the build of the agent whose classes this JVM loaded (their nested boot classes are the
     * same bytes): what runs when that jar is named, since a copy on the class path runs instead of it.
     */
    public static boolean sameBuild(Path jar) throws IOException {
        return Arrays.equals(bootClasses(jar), runningBootClasses());
    }

    private static byte[] runningBootClasses() throws IOException {
        try (InputStream in = MapscopeAgent.class.getClassLoader().getResourceAsStream(BootJar.RESOURCE)) {
            return in == null ? new byte[0] : in.readAllBytes();
        }
    }

    /** The nested boot classes of an agent jar, empty when it has none, null when it is not mapscope's agent. */
    private static byte[] bootClasses(Path jar) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            if (f.getEntry("dev/mapscope/agent/MapscopeAgent.class") == null) {
                return null;
            }
            ZipEntry e = f.getEntry(BootJar.RESOURCE);
            return e == null ? new byte[0] : f.getInputStream(e).readAllBytes();
        }
    }
}
