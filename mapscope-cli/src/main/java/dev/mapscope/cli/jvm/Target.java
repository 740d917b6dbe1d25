package dev.mapscope.cli.jvm;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.mapscope.cli.console.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A process the user named by pid, and the checks made before attaching to it: each failure is one sentence
 * that names the pid and what to do.
 */
public final class Target {
    private final long pid;
    private final ProcessHandle handle;

    private Target(long pid, ProcessHandle handle) {
        this.pid = pid;
        this.handle = handle;
    }

    public long pid() {
        return pid;
    }

    public boolean alive() {
        return handle.isAlive();
    }

    Optional<Instant> started() {
        return handle.info().startInstant();
    }

    /** The running process {@code pid}, or a {@link UserError} when there is none. */
    public static Target of(long pid) {
        if (pid <= 0) {
            throw new UserError("a pid is a positive number, got " + pid, 2);
        }
        ProcessHandle h = ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .orElseThrow(() -> new UserError("no process with pid " + pid + " is running"));
        return new Target(pid, h);
    }

    /** Checks everything that can be checked without attaching: owner, JVM or not, attach switched off. */
    public void checkAttachable() {
        if (pid == ProcessHandle.current().pid()) {
            throw new UserError("pid " + pid + " is this mapscope process itself; name the JVM to watch");
        }
        String me = System.getProperty("user.name");
        Optional<String> owner = handle.info().user();
        if (owner.isEmpty()) {
            throw new UserError("cannot inspect pid " + pid + " (it probably belongs to another user);"
                    + " run mapscope as the user that started that JVM");
        }
        if (!owner.get().equals(me)) {
            throw new UserError("pid " + pid + " belongs to " + owner.get() + ", not " + me + "; the JVM only lets"
                    + " its own user attach, so run mapscope as " + owner.get());
        }
        if (!isJvm()) {
            throw new UserError("pid " + pid + " (" + handle.info().command().orElse("unknown program")
                    + ") is not a Java virtual machine");
        }
        if (hasFlag("-XX:+DisableAttachMechanism")) {
            throw new UserError("pid " + pid + " was started with -XX:+DisableAttachMechanism, so no tool can attach"
                    + " to it; restart it without that flag, or with -javaagent:$(mapscope agent-path)");
        }
    }

    /** Whether the process is a HotSpot JVM: it has libjvm mapped (Linux), or it published perf data. */
    boolean isJvm() {
        Path maps = Path.of("/proc", Long.toString(pid), "maps");
        if (Files.isReadable(maps)) {
            try {
                String text = Files.readString(maps, StandardCharsets.ISO_8859_1);
                return text.contains("/libjvm.so");
            } catch (IOException e) {
                // fall through to the portable checks
            }
        }
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (d.id().equals(Long.toString(pid))) {
                return true;
            }
        }
        return handle.info()
                .command()
                .map(c -> c.endsWith("/java") || c.endsWith("\\java.exe"))
                .orElse(false);
    }

    /** Whether {@code flag} is on the JVM's command line or in the option variables it read at start-up. */
    boolean hasFlag(String flag) {
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        try {
            if (Files.isReadable(cmdline)) {
                for (String arg :
                        Files.readString(cmdline, StandardCharsets.UTF_8).split("\0")) {
                    if (arg.equals(flag)) {
                        return true;
                    }
                }
            } else {
                for (String arg : handle.info().arguments().orElse(new String[0])) {
                    if (arg.equals(flag)) {
                        return true;
                    }
                }
            }
            Path environ = Path.of("/proc", Long.toString(pid), "environ");
            if (Files.isReadable(environ)) {
                for (String var :
                        Files.readString(environ, StandardCharsets.UTF_8).split("\0")) {
                    if ((var.startsWith("JAVA_TOOL_OPTIONS=")
                                    || var.startsWith("JDK_JAVA_OPTIONS=")
                                    || var.startsWith("_JAVA_OPTIONS="))
                            && var.contains(flag)) {
                        return true;
                    }
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
