package dev.mapscope.agent;

import dev.mapscope.agent.race.Finding;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Programmatic access to the agent from inside the JVM it watches: install it by self-attach, subscribe to
 * findings, detach. Used by the JUnit extension.
 */
public final class Mapscope {
    /** Names the agent jar when this class was not loaded from it (a build's classes directory). */
    public static final String JAR_PROPERTY = "mapscope.agent.jar";

    private Mapscope() {}

    /** True if the agent is installed in this JVM (by -javaagent, by attach, or by {@link #install}). */
    public static boolean isInstalled() {
        return BootJar.onBootstrapPath() && Agent.installed();
    }

    /**
     * Installs the agent into this JVM unless it is there already. Self-attach is used when the JVM allows
     * it ({@code -Djdk.attach.allowAttachSelf=true}); otherwise a short-lived helper JVM attaches to this
     * one. Throws IllegalStateException with one sentence when neither works.
     */
    public static void install(String options) {
        if (isInstalled()) {
            return;
        }
        Path jar = agentJar();
        String pid = Long.toString(ProcessHandle.current().pid());
        String opts = options == null ? "" : options;
        if (Boolean.getBoolean("jdk.attach.allowAttachSelf")) {
            try {
                Attach.load(pid, jar.toString(), opts);
            } catch (Exception e) {
                throw new IllegalStateException("self-attach to pid " + pid + " failed: " + e.getMessage());
            }
        } else {
            attachFromHelper(pid, jar, opts);
        }
        if (!isInstalled()) {
            throw new IllegalStateException(
                    "the agent did not install into pid " + pid + " (see the mapscope: lines above)");
        }
    }

    private static void attachFromHelper(String pid, Path jar, String opts) {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb =
                new ProcessBuilder(java, "-cp", jar.toString(), Attach.class.getName(), pid, jar.toString(), opts);
        pb.redirectErrorStream(true);
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("attaching to pid " + pid + " from a helper JVM failed: "
                        + new String(out).strip() + " (or add -javaagent:" + jar + " to the JVM's arguments)");
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot start " + java + " to attach to pid " + pid + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while attaching to pid " + pid);
        }
    }

    /** The agent jar: the jar this class came from, or the {@value #JAR_PROPERTY} system property. */
    public static Path agentJar() {
        String prop = System.getProperty(JAR_PROPERTY);
        if (prop != null) {
            return Paths.get(prop).toAbsolutePath();
        }
        try {
            Path p = Paths.get(Mapscope.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
                return p;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the error
        }
        throw new IllegalStateException("cannot find the agent jar: mapscope-agent classes are not loaded from a jar"
                + " and -D" + JAR_PROPERTY + " is not set");
    }

    /** Calls {@code listener} on the detecting thread for every new finding and every repeat of one. */
    public static Subscription subscribe(Consumer<Finding> listener) {
        Agent.LISTENERS.add(listener);
        return () -> Agent.LISTENERS.remove(listener);
    }

    /** True if the installed agent was given {@code halt-on-race=true}. */
    public static boolean haltOnRace() {
        return isInstalled() && Agent.haltOnRace();
    }

    /**
     * Takes halt-on-race over from the agent: until the subscription is closed, a new finding does not end the
     * JVM with exit status 66, and the caller fails what was running instead (the JUnit integration fails the
     * test). The findings file and stderr are written as always. Callable before the agent is installed.
     */
    public static Subscription takeOverHalting() {
        return dev.mapscope.agent.race.HaltTakeover.open()::run;
    }

    /**
     * Reports now the races the agent holds back for a second sighting (a map that raced once, so one stack is
     * not known yet), as it does at exit and at detach. The JUnit extension calls it when a test ends, so that
     * a race is charged to the test that made it. Does nothing when the agent is not installed.
     */
    public static void reportHeldRaces() {
        if (isInstalled()) {
            dev.mapscope.agent.boot.race.MapWatch.flushHeld();
        }
    }

    /** The findings of the current installation so far. */
    public static List<Finding> findings() {
        return Agent.findings();
    }

    /** Detaches: the original bytecode of every instrumented class is restored. False if not installed. */
    public static boolean detach() {
        return Agent.detach();
    }

    /**
     * Arms a probe in this JVM, as {@code mapscope probe} does by attach: {@code args} are the arguments of a
     * {@code probe} request (docs/AGENT-PROTOCOL.md), e.g. {@code "on=put map=class:java.util.HashMap
     * limit=10"}, values percent-encoded. The probe's files ({@code ID.armed}, {@code ID.hits.jsonl},
     * {@code ID.done}) go to a new private temporary directory ({@link #probe(Path, String)} to choose one).
     * Returns once the advice is installed. Throws IllegalStateException when the agent is not installed,
     * IllegalArgumentException with one sentence for a bad argument.
     */
    public static dev.mapscope.agent.probe.Probes.Handle probe(String args) {
        try {
            return probe(Files.createTempDirectory("mapscope-probe-"), args);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a directory for the probe's files: " + e.getMessage());
        }
    }

    /** {@link #probe(String)} with the probe's files in {@code dir}. */
    public static dev.mapscope.agent.probe.Probes.Handle probe(Path dir, String args) {
        java.lang.instrument.Instrumentation inst = ProbeRequests.instrumentation();
        if (!isInstalled() || inst == null) {
            throw new IllegalStateException("the agent is not installed in this JVM: call Mapscope.install first");
        }
        String id = "probe-" + PROBES.incrementAndGet();
        dev.mapscope.agent.probe.Probes.Handle h = dev.mapscope.agent.probe.Probes.probe(inst, dir, id, args);
        try {
            if (!h.awaitArmed(120_000)) {
                h.stop(10_000);
                throw new IllegalStateException(h.error() != null ? h.error() : "the probe was not armed within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while arming a probe");
        }
        return h;
    }

    private static final java.util.concurrent.atomic.AtomicInteger PROBES =
            new java.util.concurrent.atomic.AtomicInteger();

    /** Ends a subscription. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
