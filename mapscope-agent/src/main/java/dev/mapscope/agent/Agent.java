package dev.mapscope.agent;

import dev.mapscope.agent.boot.MapWatch;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/** The agent's state in this JVM: installed or not, with which options, and the threads it runs. */
final class Agent {
    /*
     * All state is guarded by Agent.class. The Instrumentation is the one of the first load: a later
     * loadAgent gets a new instance, and retransforming through that one would not reset what the first
     * one's transformer did (feasibility check).
     */
    private static Instrumentation inst;
    private static ResettableClassFileTransformer transformer;
    /** the happens-before rewrite of every class (mode=full), or null */
    private static SyncTransformer sync;
    /** its counters as of the last detach, for the detached status */
    private static String syncCounts = "null";
    private static Reporter reporter;
    private static Options options;
    private static Session session;
    private static Instant since;
    private static Thread flusher;
    private static boolean hooked;
    private static final List<String> ERRORS = new ArrayList<>();
    /** the types the current installation transformed; guarded by itself */
    private static final Set<String> TRANSFORMED = new java.util.TreeSet<>();
    /** kept across detach and reload: the JUnit extension subscribes once */
    static final List<Consumer<Finding>> LISTENERS = Reporter.newListeners();

    private Agent() {
    }

    static synchronized void load(Options o, Instrumentation i) {
        if (inst == null) {
            inst = i;
            System.setProperty("net.bytebuddy.nexus.disabled", "true");
        }
        if (transformer != null) {
            System.err.println("mapscope: the agent is already installed (mode=" + options.mode() + ", since " + since
                    + "); the options of this load were ignored");
            return;
        }
        if (o.session != null) {
            createPrivateDir(o.session);
        }
        Reporter r = new Reporter(o, System.err, LISTENERS);
        r.open();
        MapWatch.start(o.sharing, r);
        try {
            synchronized (TRANSFORMED) {
                TRANSFORMED.clear();
            }
            transformer = Installer.install(inst, o.sharing, ERRORS, TRANSFORMED);
            syncCounts = "null";
            if (o.sharing) {
                sync = SyncTransformer.install(inst);
            }
        } catch (RuntimeException | Error e) {
            MapWatch.stop();
            if (sync != null) {
                sync.uninstall(inst);
                sync = null;
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
        ProbeCommands.register(inst);
        if (o.session != null) {
            session = new Session(o.session);
            session.start();
        }
        Profiler.register(o, inst);
    }

    static synchronized boolean installed() {
        return transformer != null;
    }

    /** Restores the original bytecode, flushes counts, writes the summary. Returns false if not installed. */
    static synchronized boolean detach() {
        if (transformer == null) {
            return false;
        }
        Commands.detaching();
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
            transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION,
                    new Installer.ByName(Installer.typeNames(options.sharing)));
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
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(1000);
                r.flushCounts();
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

    /** Writes DIR/status.json atomically (write status.json.tmp, rename). */
    static synchronized void writeStatus(Path dir, String state) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"pid\":").append(ProcessHandle.current().pid())
                .append(",\"state\":").append(Json.str(state))
                .append(",\"mode\":").append(Json.str(options == null ? "full" : options.mode()))
                .append(",\"since\":").append(Json.str(since == null ? null : since.toString()))
                .append(",\"findings\":").append(reporter == null ? 0 : reporter.findingCount())
                .append(",\"dropped\":").append(reporter == null ? 0 : reporter.dropped())
                .append(",\"happensBefore\":").append(sync == null ? syncCounts : sync.json())
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
        try {
            Path tmp = dir.resolve("status.json.tmp");
            Files.write(tmp, b.toString().getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, dir.resolve("status.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the CLI reports a missing status; the application must not notice
        }
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
