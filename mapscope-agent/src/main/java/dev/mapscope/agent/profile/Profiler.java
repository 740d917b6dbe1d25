package dev.mapscope.agent.profile;

import dev.mapscope.agent.boot.profile.ProfileGate;
import dev.mapscope.agent.boot.race.MapWatch;
import dev.mapscope.agent.protocol.AtomicFiles;
import dev.mapscope.agent.protocol.Json;
import dev.mapscope.agent.protocol.Protocol;
import dev.mapscope.agent.protocol.Requests;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * The {@code profile} and {@code profile-stop} requests, and the agent option {@code profile=DIR}: one map
 * profile at a time per JVM, with its own advice installed only while it runs (docs/PROFILE-AGENT.md).
 */
public final class Profiler {
    static final long DEFAULT_DURATION_MILLIS = 10_000;
    static final String KNOWN = "sample, window, duration, jfr";
    /** the id of the profile that option profile=DIR runs, and the prefix of its files */
    static final String RUN_ID = "run";

    /** guarded by Profiler.class */
    private static Instrumentation inst;

    private static Profile running;
    private static boolean hooked;

    private Profiler() {}

    /** Called by every Agent.load: registers the verbs; starts the run profile if the options ask for one. */
    public static void register(Instrumentation first, Path runDir, int runSample, long runWindowMicros) {
        synchronized (Profiler.class) {
            inst = first;
            if (!hooked) {
                hooked = true;
                Requests.register("profile", Profiler::request);
                Requests.register("profile-stop", Profiler::stopRequest);
                Requests.onDetach(() -> finishRunning("detached"));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> finishRunning("exit"), "mapscope-profile-exit"));
            }
        }
        if (runDir != null) {
            try {
                Files.createDirectories(runDir);
                start(new Profile(RUN_ID, runDir, runSample, runWindowMicros * 1000, Long.MAX_VALUE, true), true);
            } catch (IOException | RuntimeException e) {
                System.err.println("mapscope: the profile did not start ("
                        + (e.getMessage() == null ? e : e.getMessage()) + "); the agent runs without it");
            }
        }
    }

    /** {@code profile ID sample=N window=MICROS duration=MILLIS jfr=true|false} */
    static void request(Path dir, String id, String args) throws Exception {
        int sample = Protocol.DEFAULT_PROFILE_SAMPLE;
        long window = Protocol.DEFAULT_PROFILE_WINDOW_MICROS;
        long duration = DEFAULT_DURATION_MILLIS;
        boolean jfr = true;
        for (Map.Entry<String, String> e : arguments(args).entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "sample":
                    sample = (int) number("sample", v, 1, 1_000_000);
                    break;
                case "window":
                    window = number("window", v, 0, 60_000_000);
                    break;
                case "duration":
                    duration = number("duration", v, 1, 7L * 24 * 3600 * 1000);
                    break;
                case "jfr":
                    if (!v.equals("true") && !v.equals("false")) {
                        throw new IllegalArgumentException(
                                "profile argument jfr must be true or false, not '" + v + "'");
                    }
                    jfr = v.equals("true");
                    break;
                default:
                    throw new IllegalArgumentException(
                            "unknown profile argument '" + e.getKey() + "' (known: " + KNOWN + ")");
            }
        }
        start(new Profile(id, dir, sample, window * 1000, duration, jfr), false);
    }

    /** {@code profile-stop ID}: the running profile with that id stops now and writes its files. */
    static void stopRequest(Path dir, String id, String args) {
        Profile p;
        synchronized (Profiler.class) {
            p = running;
        }
        if (p != null && p.id.equals(id)) {
            p.finish("stopped");
        } else if (!Files.exists(dir.resolve(id + ".done"))) {
            throw new IllegalStateException("no profile with id " + id + " is running in this JVM");
        }
    }

    static Map<String, String> arguments(String args) {
        Map<String, String> r = new HashMap<>();
        for (String pair : args.strip().split(" +")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "profile argument '" + pair + "' is not key=value (known: " + KNOWN + ")");
            }
            String value;
            try {
                value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("profile argument " + pair.substring(0, eq)
                        + " is not percent-encoded: '" + pair.substring(eq + 1) + "'");
            }
            r.put(pair.substring(0, eq), value);
        }
        return r;
    }

    static long number(String key, String value, long min, long max) {
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the sentence below
        }
        throw new IllegalArgumentException("profile argument " + key + " must be a whole number from " + min + " to "
                + max + ", not '" + value + "'");
    }

    /**
     * Starts {@code p}: a request starts on a thread of its own (the control thread keeps answering); the
     * run profile starts on the calling thread, before main, so that it profiles from the start (starting it
     * on another thread and waiting for that one could wait on a class-loading lock premain holds).
     */
    private static void start(Profile p, boolean here) {
        Instrumentation i;
        synchronized (Profiler.class) {
            if (running != null) {
                throw new IllegalStateException("a profile is already running in this JVM (" + running.id + ")");
            }
            if (inst == null) {
                throw new IllegalStateException("the agent is not installed in this JVM");
            }
            running = p;
            i = inst;
        }
        if (here) {
            boolean was = ProfileGate.busy(true);
            boolean ok;
            try {
                ok = p.start(i);
            } finally {
                ProfileGate.busy(was);
            }
            if (ok) {
                Thread t = new Thread(p::await, "mapscope-profile");
                t.setDaemon(true);
                t.start();
            }
        } else {
            Thread t = new Thread(
                    () -> {
                        MapWatch.ignoreCurrentThread();
                        if (p.start(i)) {
                            p.await();
                        }
                    },
                    "mapscope-profile");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void finishRunning(String reason) {
        Profile p;
        synchronized (Profiler.class) {
            p = running;
        }
        if (p != null) {
            p.finish(reason);
        }
    }

    private static synchronized void ended(Profile p) {
        if (running == p) {
            running = null;
        }
    }

    /** One profile: installs, waits out its duration, removes its advice, writes its files. */
    static final class Profile {
        final String id;
        final Path dir;
        final int sample;
        final long windowNanos;
        final long durationMillis;
        final boolean jfr;
        private final CountDownLatch stop = new CountDownLatch(1);
        // guarded by this
        private ResettableClassFileTransformer transformer;
        private ProfileRecorder recorder;
        private ProfileEvents events;
        private Instant startedAt;
        private long startNanos;
        private boolean finished;
        private Instrumentation inst;

        Profile(String id, Path dir, int sample, long windowNanos, long durationMillis, boolean jfr) {
            this.id = id;
            this.dir = dir;
            this.sample = sample;
            this.windowNanos = windowNanos;
            this.durationMillis = durationMillis;
            this.jfr = jfr;
        }

        /** Installs and starts; false (with ID.error written) when that failed. */
        boolean start(Instrumentation i) {
            try {
                begin(i);
                return true;
            } catch (Throwable e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                synchronized (this) {
                    abandon();
                }
                AtomicFiles.write(dir.resolve(id + ".error"), "the profile could not start: " + why.strip() + "\n");
                ended(this);
                return false;
            }
        }

        /** Waits out the duration (or a stop), then finishes. */
        void await() {
            MapWatch.ignoreCurrentThread();
            try {
                if (durationMillis == Long.MAX_VALUE) {
                    stop.await();
                } else {
                    stop.await(durationMillis, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                // stopped
            }
            finish("time");
        }

        private synchronized void begin(Instrumentation i) throws IOException {
            if (finished) {
                // stopped (profile-stop, detach, exit) before this thread got here: start nothing
                throw new IllegalStateException("it was stopped before it started");
            }
            inst = i;
            warmUp();
            if (jfr) {
                events = ProfileEvents.start("mapscope profile " + id, dir.resolve(id + ".jfr.tmp"));
            }
            startedAt = Instant.now();
            startNanos = System.nanoTime();
            long epochOffset = startedAt.getEpochSecond() * 1_000_000_000L + startedAt.getNano() - startNanos;
            recorder = new ProfileRecorder(sample, windowNanos, epochOffset, refBytes(), events);
            List<String> errors = new ArrayList<>();
            transformer = ProfileInstaller.install(i, errors, new TreeSet<>());
            ProfileGate.start(recorder, sample, windowNanos);
            StringBuilder b = new StringBuilder(256);
            b.append("{\"id\":")
                    .append(Json.str(id))
                    .append(",\"sample\":")
                    .append(sample)
                    .append(",\"windowMicros\":")
                    .append(windowNanos / 1000)
                    .append(",\"durationMillis\":")
                    .append(durationMillis == Long.MAX_VALUE ? -1 : durationMillis)
                    .append(",\"jfr\":")
                    .append(jfr)
                    .append(",\"startedAt\":")
                    .append(Json.str(startedAt.toString()))
                    .append(",\"errors\":[");
            for (int k = 0; k < errors.size(); k++) {
                b.append(k == 0 ? "" : ",").append(Json.str(errors.get(k)));
            }
            AtomicFiles.write(dir.resolve(id + ".started"), b.append("]}\n").toString());
        }

        /**
         * Loads and links what the sampled path uses before any advice runs (a class first loaded from inside
         * instrumented map code would be loaded by code the agent watches: see BootJar).
         */
        private static void warmUp() {
            ProfileRecorder r = new ProfileRecorder(1, 1000, 0, 4, null);
            HashMap<String, String> m = new HashMap<>();
            r.sample(m, ProfileGate.HASH_MAP, ProfileGate.PUT, 1, 16);
            r.sharedWrite(
                    m, ProfileGate.HASH_MAP, ProfileGate.PUT, 1, 16, Thread.currentThread(), Thread.currentThread(), 1);
            r.resize(m, ProfileGate.HASH_MAP_RESIZE, 16, 32, System.nanoTime(), 1);
            r.resize(m, ProfileGate.GO_GROW, 1, 2, System.nanoTime(), 1);
            r.resize(m, ProfileGate.GO_EVACUATE, 0, 2, System.nanoTime(), 1);
            r.resize(m, ProfileGate.GO_GROW_DONE, 1, 2, System.nanoTime(), 1);
            ProfileWriter.json(r, "", 0, 0);
            ProfileWriter.collapsed(r);
        }

        /** Stops the profile (once; later calls wait for the first) and writes ID.collapsed, ID.json, ID.jfr, ID.done. */
        synchronized void finish(String reason) {
            if (finished) {
                return;
            }
            finished = true;
            stop.countDown();
            if (recorder == null) {
                return; // still starting, or failed: run() answers
            }
            // detach runs this on the control thread (busy already), exit on a hook thread (not busy)
            boolean wasBusy = ProfileGate.busy(true);
            try {
                ProfileGate.stop();
                long operations = ProfileGate.operations();
                long millis = (System.nanoTime() - startNanos) / 1_000_000;
                if (!reason.equals("exit")) {
                    // at exit the JVM ends anyway; a retransformation there would only delay it
                    ProfileInstaller.reset(inst, transformer);
                }
                transformer = null;
                AtomicFiles.write(dir.resolve(id + ".collapsed"), ProfileWriter.collapsed(recorder));
                AtomicFiles.write(
                        dir.resolve(id + ".json"),
                        ProfileWriter.json(recorder, startedAt.toString(), millis, operations));
                boolean jfrWritten = events == null || writeJfr(reason);
                AtomicFiles.write(
                        dir.resolve(id + ".done"),
                        "{\"reason\":" + Json.str(reason) + ",\"jfr\":" + (events != null && jfrWritten) + "}\n");
            } finally {
                recorder = null;
                events = null;
                ProfileGate.busy(wasBusy);
                ended(this);
            }
        }

        private boolean writeJfr(String reason) {
            Path tmp = events.file();
            if (!events.stop()) {
                // JFR's exit hook got there first: it stops the recording, which writes the file. Wait for it.
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (t.getName().equals("JFR Shutdown Hook")) {
                        try {
                            t.join(10_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            }
            return AtomicFiles.move(tmp, dir.resolve(id + ".jfr"));
        }

        /** A start that failed half way: undo what was done. */
        private void abandon() {
            ProfileGate.stop();
            if (transformer != null) {
                ProfileInstaller.reset(inst, transformer);
                transformer = null;
            }
            if (events != null) {
                events.stop();
                try {
                    Files.deleteIfExists(events.file());
                } catch (IOException e) {
                    // left behind in the private directory
                }
                events = null;
            }
            recorder = null;
            finished = true;
        }
    }

    /** 4 with compressed references (the default below 32 GB of heap), else 8. */
    static int refBytes() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean hs = java.lang.management.ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class);
            return hs.getVMOption("UseCompressedOops").getValue().equals("true") ? 4 : 8;
        } catch (RuntimeException | LinkageError e) {
            return 4;
        }
    }
}
