package dev.mapscope.cli.jvm;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.mapscope.cli.console.DurationConverter;
import dev.mapscope.cli.console.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent in a running JVM, for the commands that ask it for something (profile, probe, inspect): reuses a
 * session that {@code mapscope attach} left running, or loads the agent itself and detaches again at
 * {@link #close()}. Requests follow docs/AGENT-PROTOCOL.md ("Requests").
 */
public final class Attachment implements AutoCloseable {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** How long the agent may take to install and write its first status (Byte Buddy retransforms the maps). */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** Restoring the bytecode retransforms every instrumented class; on a loaded 2-core machine that took 14 s once. */
    public static final Duration DETACH_TIMEOUT = Duration.ofSeconds(30);

    private final Target target;
    private final Session session;
    /** true when this attachment loaded the agent, so closing it detaches */
    private final boolean loadedHere;
    /** the session's owner lock while this attachment's agent is loaded, or null */
    private final Session.Owner owner;

    private boolean closed;

    private Attachment(Target target, Session session, boolean loadedHere, Session.Owner owner) {
        this.target = target;
        this.session = session;
        this.loadedHere = loadedHere;
        this.owner = owner;
    }

    /**
     * The agent in {@code pid}, loaded with {@code mode} unless a live session is there already. Each failure is
     * a {@link UserError} with one sentence.
     */
    public static Attachment open(long pid, AgentMode mode, PrintWriter err) throws InterruptedException {
        Target target = Target.of(pid);
        target.checkAttachable();
        Session session = new Session(pid);
        session.createPrivate();
        Path agent = AgentJar.locate();
        Session.Status previous = session.readStatus();
        if (previous != null && previous.attached() && !Attachment.stale(previous, target)) {
            checkBuild(previous, agent, pid);
            return new Attachment(target, session, false, null);
        }
        // One command at a time loads the agent into a pid: a second one queues here, then finds it attached.
        Session.Owner owner = session.own(START_TIMEOUT);
        if (owner == null) {
            throw new UserError(busy(pid, session));
        }
        try {
            previous = session.readStatus();
            if (previous != null && previous.attached() && !Attachment.stale(previous, target)) {
                owner.close();
                checkBuild(previous, agent, pid);
                return new Attachment(target, session, false, null);
            }
            session.clearPrevious();
            load(target, session, agent, mode, err);
            Session.Status started = awaitStart(target, session);
            Attachment a = new Attachment(target, session, true, owner);
            if (!sameBuild(started, agent)) {
                a.close(); // it was loaded by this command: take it out again before saying why
                checkBuild(started, agent, pid);
            }
            return a;
        } catch (RuntimeException | InterruptedException e) {
            owner.close();
            throw e;
        }
    }

    /** The sentence for a session that another mapscope command owns. */
    public static String busy(long pid, Session session) {
        return "another mapscope command (" + session.ownerPid() + ") is attaching to or watching pid " + pid
                + "; wait for it to end, or end its session with `mapscope detach " + pid + "`";
    }

    /** Whether the agent that wrote {@code status} is the build of the agent jar {@code agent}. */
    public static boolean sameBuild(Session.Status status, Path agent) {
        String mine = AgentJar.build(agent);
        return mine == null || mine.equals(status.build());
    }

    /**
     * The version handshake: a {@link UserError} when the agent in the target is of another build than this
     * mapscope's agent jar. A JVM cannot unload an agent, and loading the new jar into it runs the classes it already
     * has, so requests would reach code that does not know them.
     */
    public static void checkBuild(Session.Status status, Path agent, long pid) {
        if (sameBuild(status, agent)) {
            return;
        }
        throw new UserError("pid " + pid + " holds the mapscope agent of another build ("
                + (status.build() == null ? "an earlier one that does not say its build" : status.build())
                + ", this mapscope's is " + AgentJar.build(agent) + ") and a JVM cannot unload an agent; restart pid "
                + pid + " to use this build, or use the mapscope that loaded it");
    }

    public Session session() {
        return session;
    }

    public Target target() {
        return target;
    }

    public boolean loadedHere() {
        return loadedHere;
    }

    /** A fresh request id: unique within this session directory. */
    public static String newId(String verb) {
        return verb + "-" + Long.toString(System.currentTimeMillis(), 36) + "-"
                + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
    }

    /** The file {@code ID.NAME} of a request's results. */
    public Path result(String id, String name) {
        return session.dir().resolve(id + "." + name);
    }

    /**
     * Sends {@code VERB ID ARGS} and waits until the agent has written {@code ID.done}. Throws a {@link UserError}
     * with the agent's sentence when it wrote {@code ID.error}, or when {@code timeout} passes or the process ends.
     */
    public void request(String verb, String id, String args, Duration timeout) throws InterruptedException {
        send(verb, id, args, timeout);
        awaitDone(id, timeout);
    }

    /** Sends {@code VERB ID ARGS} once the control file is free, without waiting for the result. */
    public void send(String verb, String id, String args, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!session.send(verb + " " + id + (args.isEmpty() ? "" : " " + args), timeout, target::alive)) {
            checkTime(deadline, timeout, verb);
            throw new UserError("the agent in pid " + target.pid() + " did not take " + verb + " within "
                    + DurationConverter.format(timeout) + "; check it with `mapscope status " + target.pid() + "`");
        }
    }

    /** Waits for {@code ID.done}; see {@link #request}. */
    public void awaitDone(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path done = result(id, "done");
        Path error = result(id, "error");
        while (!Files.exists(done)) {
            if (Files.exists(error)) {
                String why;
                try {
                    why = Files.readString(error, StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    why = "the agent refused the request (" + error + " is unreadable)";
                }
                throw new UserError(why);
            }
            checkTime(deadline, timeout, id);
            Thread.sleep(20);
        }
    }

    private void checkTime(long deadline, Duration timeout, String what) {
        if (!target.alive()) {
            throw new UserError("pid " + target.pid() + " ended before the agent answered " + what);
        }
        if (System.nanoTime() - deadline >= 0) {
            throw new UserError("the agent in pid " + target.pid() + " did not answer " + what + " within "
                    + DurationConverter.format(timeout) + "; check it with `mapscope status " + target.pid() + "`");
        }
    }

    /** Detaches if this attachment loaded the agent; a session started by `mapscope attach` is left running. */
    @Override
    public void close() throws InterruptedException {
        try {
            detachIfLoadedHere();
        } finally {
            if (owner != null) {
                owner.close();
            }
        }
    }

    private void detachIfLoadedHere() throws InterruptedException {
        if (closed || !loadedHere || !target.alive()) {
            closed = true;
            return;
        }
        closed = true;
        Session.Status s = session.command("detach", st -> !st.attached(), Attachment.DETACH_TIMEOUT);
        if (s == null) {
            throw new UserError("the agent in pid " + target.pid() + " did not confirm the detach within "
                    + DurationConverter.format(Attachment.DETACH_TIMEOUT) + "; check with `mapscope status "
                    + target.pid() + "`");
        }
    }

    /** Attaches, warns about JDK 21+'s dynamic-agent message, loads the agent with the session, detaches the tool. */
    public static void load(Target target, Session session, Path agent, AgentMode mode, PrintWriter err) {
        long pid = target.pid();
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new UserError("cannot attach to pid " + pid + ": " + e.getMessage()
                    + " (is it a HotSpot JVM of this user that is not suspended?)");
        }
        try {
            String version = vm.getSystemProperties().getProperty("java.specification.version", "0");
            int feature = Attachment.feature(version);
            if (feature > 0 && feature < 17) {
                throw new UserError(
                        "pid " + pid + " runs Java " + version + "; the mapscope agent needs Java 17 or" + " newer");
            }
            if (feature >= 21 && !target.hasFlag("-XX:+EnableDynamicAgentLoading")) {
                err.println("mapscope: note: pid " + pid + " runs Java " + version + ", so it will print a warning on"
                        + " its own stderr that an agent was loaded dynamically. That is expected. Starting it with"
                        + " -XX:+EnableDynamicAgentLoading allows dynamic agents explicitly and silences the warning"
                        + " (a future JDK will refuse them without it, JEP 451).");
                err.flush();
            }
            if (session.dir().toString().contains(",")) {
                throw new UserError("the session directory must not contain a comma (the agent's option separator): "
                        + session.dir());
            }
            String options = "session=" + session.dir() + ",mode=" + mode + ",stderr=false";
            vm.loadAgent(agent.toString(), options);
        } catch (AgentInitializationException e) {
            throw new UserError("the agent failed to start in pid " + pid + " (its agentmain returned "
                    + e.returnValue() + "); the target's stderr says why");
        } catch (AgentLoadException | IOException e) {
            throw new UserError("cannot load the agent into pid " + pid + ": " + e.getMessage());
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the tool's connection only; the agent stays loaded either way
            }
        }
    }

    /** Waits for the agent's first status; a {@link UserError} if it does not come. */
    public static Session.Status awaitStart(Target target, Session session) throws InterruptedException {
        long deadline = System.nanoTime() + Attachment.START_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Session.Status s = session.readStatus();
            if (s != null && s.attached()) {
                return s;
            }
            if (!target.alive()) {
                throw new UserError("pid " + target.pid() + " ended while the agent was starting");
            }
            Thread.sleep(50);
        }
        throw new UserError("the agent was loaded into pid " + target.pid() + " but wrote no status to "
                + session.dir() + " within " + DurationConverter.format(Attachment.START_TIMEOUT)
                + "; the target's stderr may say why");
    }

    /** A status left by an earlier process with the same pid (pids are reused): it started after that session. */
    public static boolean stale(Session.Status s, Target target) {
        if (s.since() == null) {
            return false;
        }
        try {
            Instant since = Instant.parse(s.since());
            return target.started()
                    .map(start -> start.isAfter(since.plusSeconds(1)))
                    .orElse(false);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** The feature release of a java.specification.version (1.8 is 8); 0 when it cannot be read. */
    public static int feature(String specVersion) {
        try {
            String v = specVersion.startsWith("1.") ? specVersion.substring(2) : specVersion;
            int dot = v.indexOf('.');
            return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
