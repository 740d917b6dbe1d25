package dev.mapscope.agent;

import dev.mapscope.agent.boot.race.MapWatch;
import dev.mapscope.agent.profile.Profiler;
import dev.mapscope.agent.protocol.AtomicFiles;
import dev.mapscope.agent.protocol.Json;
import dev.mapscope.agent.protocol.Requests;
import dev.mapscope.agent.race.Finding;
import dev.mapscope.agent.race.FindingsToJfr;
import dev.mapscope.agent.race.RaceInstaller;
import dev.mapscope.agent.race.Reporter;
import dev.mapscope.agent.race.SyncTransformer;
import dev.mapscope.agent.transform.AdviceTransformer;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** The agent's state in this JVM: installed or not, with which options, and the threads it runs. */
final class Agent {
    /*
     * All state is guarded by Agent.class. The Instrumentation is the one of the first load: a later
     * loadAgent gets a new instance, and retransforming through that one would not reset what the first
     * one's transformer did (seen on JDK 17 and 25 with Byte Buddy 1.18).
     */
    private static Instrumentation inst;
    private static AdviceTransformer transformer;
    /** the happens-before rewrite of every class (mode=full), or null */
    private static SyncTransformer sync;
    /** its counters as of the last detach, for the detached status */
    private static String syncCounts = "null";

    private static Reporter reporter;
    private static Options options;
    private static ControlLoop session;
    private static Instant since;
    private static Thread flusher;
    private static boolean hooked;
    private static final List<String> ERRORS = new ArrayList<>();
    /** the types the current installation transformed; guarded by itself */
    private static final Set<String> TRANSFORMED = new java.util.TreeSet<>();
    /** kept across detach and reload: the JUnit extension subscribes once */
    static final List<Consumer<Finding>> LISTENERS = Reporter.newListeners();
    /** findings as dev.mapscope.MapRace JFR events, in LISTENERS from the first load on; null without jdk.jfr */
    private static FindingsToJfr jfr;

    private static boolean jfrTried;

    private Agent() {}

    /** The classes of the agent jar's reporting packages, one name a line, listed by the build (the agent's pom). */
    static final String REPORTING = "META-INF/mapscope/reporting-classes.txt";

    /**
     * Loads every class of the reporting packages now, so that a report never loads a class from the agent
     * jar. Loading from a jar takes that jar's lock (ZipFile's monitor); an application thread loading a class
     * holds it while it writes ZipFile's own map, and if that write was reported while the exit hook held the
     * Reporter's monitor and loaded a class, the two would wait for each other forever (seen in a JMH fork's
     * exit). A classes directory has no such lock, and no list: nothing to do. The names come from a list the
     * build wrote, not from a walk of the jar's entries (about 12 ms of every start-up).
     */
    private static void preloadReporting() {
        ClassLoader loader = Agent.class.getClassLoader();
        java.net.URL list = loader.getResource(REPORTING);
        if (list == null || !"jar".equals(list.getProtocol())) {
            return;
        }
        try (java.io.BufferedReader in = new java.io.BufferedReader(
                new java.io.InputStreamReader(list.openStream(), java.nio.charset.StandardCharsets.UTF_8))) {
            for (String name = in.readLine(); name != null; name = in.readLine()) {
                if (name.endsWith(".class") && !installOnly(name)) {
                    Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                }
            }
        } catch (Exception | LinkageError e) {
            // best effort: a class not loaded here is loaded on first use, as before
        }
    }

    /**
     * The advice classes: never run, only read as bytes by the weaver (and named by the install's table, which loads
     * the few it uses); preloading them all cost start-up 24 classes of SyncAdvice in mode=overlap.
     */
    private static boolean installOnly(String entry) {
        return entry.startsWith("dev/mapscope/agent/race/MapAdvice")
                || entry.startsWith("dev/mapscope/agent/race/SyncAdvice");
    }

    static synchronized void load(Options o, Instrumentation i) {
        if (inst == null) {
            inst = i;
            System.setProperty("net.bytebuddy.nexus.disabled", "true");
        }
        if (transformer != null) {
            System.err.println("mapscope: the agent is already installed (mode=" + options.mode() + ", since "
                    + Json.time(since.toEpochMilli()) + "); the options of this load were ignored");
            return;
        }
        if (o.session != null) {
            createPrivateDir(o.session);
        }
        preloadReporting();
        registerJfr();
        Reporter r = new Reporter(o.outputs(), System.err, LISTENERS);
        r.open();
        MapWatch.start(o.sharing, r);
        try {
            synchronized (TRANSFORMED) {
                TRANSFORMED.clear();
            }
            transformer = RaceInstaller.install(inst, o.sharing, build(), ERRORS, TRANSFORMED);
            syncCounts = "null";
            if (o.sharing) {
                sync = SyncTransformer.install(inst, build());
            }
        } catch (RuntimeException | Error e) {
            MapWatch.stop();
            if (sync != null) {
                sync.uninstall(inst);
                sync = null;
            }
            if (transformer != null) { // the happens-before rewrite failed after the advice was in
                transformer.uninstall(inst);
                transformer = null;
            }
            r.close();
            throw e;
        }
        for (String e : errors()) {
            System.err.println("mapscope: could not instrument " + e + " (that class is not watched)");
        }
        reporter = r;
        options = o;
        since = Instant.now();
        if (!hooked) {
            hooked = true;
            Runtime.getRuntime().addShutdownHook(new Thread(Agent::atExit, "mapscope-exit"));
        }
        flusher = new Thread(() -> flushLoop(r), "mapscope-flush");
        flusher.setDaemon(true);
        flusher.start();
        ProbeRequests.register(inst);
        if (o.session != null) {
            session = new ControlLoop(o.session);
            session.start();
        }
        Profiler.register(inst, o.profile, o.profileSample, o.profileWindowMicros);
    }

    /**
     * Adds the JFR listener at the first load (before any class is transformed, so that registering its event does
     * not happen inside a watched map call), and makes the findings of a later load new to it again. A runtime
     * without the jdk.jfr module gets no events and nothing else changes.
     */
    private static void registerJfr() {
        if (!jfrTried) {
            jfrTried = true;
            try {
                jfr = new FindingsToJfr();
                jfr.registerIfRecording();
                LISTENERS.add(jfr);
            } catch (LinkageError e) {
                jfr = null;
            }
        } else if (jfr != null) {
            jfr.reset();
        }
    }

    /** True if the current installation was given halt-on-race=true. */
    static synchronized boolean haltOnRace() {
        return transformer != null && options != null && options.haltOnRace;
    }

    /**
     * This agent's build: the Implementation-Version of its jar's manifest (version and build time), or null when it
     * runs from a classes directory. Read from the package, which the class loader defined when it loaded this
     * class: a jar rebuilt since then does not change it.
     */
    static String build() {
        return Agent.class.getPackage().getImplementationVersion();
    }

    static synchronized boolean installed() {
        return transformer != null;
    }

    /** Restores the original bytecode, flushes counts, writes the summary. Returns false if not installed. */
    static synchronized boolean detach() {
        if (transformer == null) {
            return false;
        }
        Requests.detaching();
        MapWatch.flushHeld();
        MapWatch.stop();
        try {
            if (sync != null) {
                sync.uninstall(inst);
                syncCounts = sync.json();
                String note = sync.incompleteNote();
                if (note != null) {
                    System.err.println(note);
                }
                sync = null;
            }
            transformer.uninstall(inst);
        } finally {
            transformer = null;
            reporter.close();
            flusher.interrupt();
            if (session != null) {
                session.stop();
                writeStatus(session.dir(), "detached");
                session = null;
            }
        }
        return true;
    }

    private static void atExit() {
        synchronized (Agent.class) {
            if (reporter != null) {
                MapWatch.flushHeld();
                reporter.close();
            }
            if (session != null) {
                writeStatus(session.dir(), "attached"); // the last counts (happensBefore: classes, transform time)
            }
        }
    }

    private static void flushLoop(Reporter r) {
        MapWatch.ignoreCurrentThread();
        try {
            // Counts are flushed once a second; a tier-1 race whose other thread has not left the map is
            // completed with that thread's stack where it is (MapWatch.PENDING_NANOS) within a quarter second.
            for (int tick = 1; !Thread.currentThread().isInterrupted(); tick++) {
                Thread.sleep(250);
                try {
                    MapWatch.completeOverdue(System.nanoTime());
                    if (tick % 4 == 0) {
                        r.flushCounts();
                    }
                } catch (RuntimeException | LinkageError e) {
                    // a failed tick must not end the flusher: the next one tries again
                }
            }
        } catch (InterruptedException e) {
            // detached
        }
    }

    static synchronized List<Finding> findings() {
        return reporter == null ? List.of() : reporter.findings();
    }

    static synchronized String mode() {
        return options == null ? "none" : options.mode();
    }

    static synchronized List<String> errors() {
        synchronized (ERRORS) {
            return new ArrayList<>(ERRORS);
        }
    }

    /** Writes DIR/status.json atomically (see AtomicFiles). */
    static synchronized void writeStatus(Path dir, String state) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"pid\":")
                .append(AtomicFiles.pid())
                .append(",\"state\":")
                .append(Json.str(state))
                .append(",\"mode\":")
                .append(Json.str(options == null ? "full" : options.mode()))
                .append(",\"build\":")
                .append(Json.str(build()))
                .append(",\"since\":")
                .append(Json.str(since == null ? null : Json.time(since.toEpochMilli())))
                .append(",\"findings\":")
                .append(reporter == null ? 0 : reporter.findingCount())
                .append(",\"dropped\":")
                .append(reporter == null ? 0 : reporter.dropped())
                .append(",\"happensBefore\":")
                .append(sync == null ? syncCounts : sync.json())
                .append(",\"instrumented\":[");
        if (state.equals("attached")) {
            boolean first = true;
            synchronized (TRANSFORMED) {
                for (String name : TRANSFORMED) {
                    b.append(first ? "" : ",").append(Json.str(name));
                    first = false;
                }
            }
        }
        b.append("]}\n");
        AtomicFiles.write(dir.resolve("status.json"), b.toString());
    }

    private static void createPrivateDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalArgumentException("option session names a directory that cannot be created: " + dir);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new IllegalArgumentException("option session names no writable directory: " + dir);
        }
    }
}
