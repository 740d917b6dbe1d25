package dev.mapscope.cli.profile;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.jvm.Target;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * async-profiler in a running JVM: its native library, taken from the {@code tools.profiler:async-profiler} jar on
 * the class path, is copied into the session directory and loaded with {@link VirtualMachine#loadAgentPath} and the
 * agent options {@code start,event=E,file=F.jfr}; {@link #stop} loads it again with {@code stop}. The recording is
 * async-profiler's JFR, which the converter reads.
 *
 * <p>Where the kernel refuses perf events (containers, {@code kernel.perf_event_paranoid} above 2), a {@code cpu}
 * profile that cannot start is started again with {@code ctimer}, then {@code itimer}; {@link #note()} says which.
 */
final class AsyncProfiler {
    private final Target target;
    private final Path library;
    private final Path jfr;
    private final Path log;
    private String engineNote = "";

    private AsyncProfiler(Target target, Path library, Path jfr, Path log) {
        this.target = target;
        this.library = library;
        this.jfr = jfr;
        this.log = log;
    }

    /** The platform's library inside the jar, e.g. {@code linux-x64/libasyncProfiler.so}; a UserError elsewhere. */
    static String libraryResource() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            if (arch.equals("amd64") || arch.equals("x86_64")) {
                return "linux-x64/libasyncProfiler.so";
            }
            if (arch.equals("aarch64") || arch.equals("arm64")) {
                return "linux-arm64/libasyncProfiler.so";
            }
        } else if (os.contains("mac")) {
            return "macos/libasyncProfiler.so";
        }
        throw new UserError("--event cpu, wall and lock need async-profiler, which has no library for " + os + " on "
                + arch + "; use --event map");
    }

    /** Copies the library into {@code sessionDir} and starts {@code event} in {@code target}, recording to {@code jfr}. */
    static AsyncProfiler start(Target target, Path sessionDir, String event, Path jfr) throws IOException {
        String resource = libraryResource();
        Path library = sessionDir.resolve("libasyncProfiler.so");
        try (InputStream in = AsyncProfiler.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new UserError("the async-profiler library " + resource + " is missing from the mapscope jar");
            }
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
        }
        Path log = sessionDir.resolve("async-profiler.log");
        Files.deleteIfExists(log);
        AsyncProfiler p = new AsyncProfiler(target, library, jfr, log);
        List<String> engines = event.equals("cpu") ? List.of("cpu", "ctimer", "itimer") : List.of(event);
        String failure = null;
        for (String e : engines) {
            failure = p.load("start,event=" + e + ",file=" + jfr + ",log=" + log);
            if (failure == null) {
                if (!e.equals(event)) {
                    p.engineNote = "perf events are not allowed here (sysctl kernel.perf_event_paranoid is "
                            + paranoid() + "), so the cpu profile uses async-profiler's " + e + " engine";
                }
                return p;
            }
        }
        throw new UserError(
                "async-profiler did not start " + event + " profiling in pid " + target.pid() + ": " + failure);
    }

    /** Stops profiling; async-profiler finishes the recording. */
    void stop() {
        String failure = load("stop,file=" + jfr + ",log=" + log);
        if (failure != null) {
            throw new UserError("async-profiler did not stop in pid " + target.pid() + ": " + failure);
        }
    }

    /**
     * One line when the profile was not taken the way it was asked (a fallback engine), or "" . Reads the engine
     * from the recording, since async-profiler may also switch engines by itself.
     */
    String note(String event) {
        if (!engineNote.isEmpty() || !event.equals("cpu")) {
            return engineNote;
        }
        String engine = engine(jfr);
        if (engine != null && !engine.equals("perf_events")) {
            return "perf events are not allowed here, so the cpu profile uses async-profiler's " + engine + " engine";
        }
        return "";
    }

    private static String paranoid() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/perf_event_paranoid"))
                    .strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The engine async-profiler recorded in its settings, or null. */
    static String engine(Path jfr) {
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (e.getEventType().getName().equals("jdk.ActiveSetting") && "engine".equals(e.getString("name"))) {
                    return e.getString("value");
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** Loads the library with {@code options}; null when it worked, else why not. */
    private String load(String options) {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(target.pid()));
        } catch (AttachNotSupportedException | IOException e) {
            throw new UserError("cannot attach to pid " + target.pid() + ": " + e.getMessage()
                    + " (is it a HotSpot JVM of this user that is not suspended?)");
        }
        try {
            vm.loadAgentPath(library.toString(), options);
            return null;
        } catch (AgentInitializationException | AgentLoadException | IOException e) {
            String why = logText();
            return why.isEmpty() ? String.valueOf(e.getMessage()) : why;
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the tool's connection only
            }
        }
    }

    private String logText() {
        try {
            return Files.isRegularFile(log)
                    ? Files.readString(log, StandardCharsets.UTF_8).strip().replace('\n', ' ')
                    : "";
        } catch (IOException e) {
            return "";
        }
    }
}
