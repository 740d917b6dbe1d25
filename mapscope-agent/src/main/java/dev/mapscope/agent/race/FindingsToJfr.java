package dev.mapscope.agent.race;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Findings as JFR events: a {@code dev.mapscope.MapRace} event for each finding the first time it is reported while a
 * recording has the event enabled (a recording started with {@code -XX:StartFlightRecording}, by {@code jcmd
 * JFR.start}, by JDK Mission Control...), in every mode of the agent. In a JVM where JFR was never started the
 * cost per report is one {@link FlightRecorder#isInitialized()} check and JFR is not touched; once it was, one
 * {@link EventType#isEnabled()} check.
 */
public final class FindingsToJfr implements Consumer<Finding> {

    /** The event type, looked up (which registers it with JFR) the first time JFR runs. */
    private volatile EventType type;

    /** Ids already sent to JFR; at most the reporter's bound of distinct findings. */
    private final Set<String> emitted = ConcurrentHashMap.newKeySet();

    /** Forgets what was sent, for a new install of the agent (attach after a detach): its findings are new again. */
    public void reset() {
        emitted.clear();
    }

    /**
     * Registers the event now if JFR already runs (a recording from the command line is started before the agent),
     * so that a recording's settings list it from the start and registration does not wait for the first race.
     */
    public void registerIfRecording() {
        if (FlightRecorder.isInitialized()) {
            eventType();
        }
    }

    private EventType eventType() {
        EventType t = type;
        if (t == null) {
            t = EventType.getEventType(MapRace.class);
            type = t;
        }
        return t;
    }

    @Override
    public void accept(Finding f) {
        if (!FlightRecorder.isInitialized() || !eventType().isEnabled() || !emitted.add(f.id())) {
            return;
        }
        MapRace e = new MapRace();
        if (!e.isEnabled()) {
            return;
        }
        Finding.Side mine = f.current();
        Finding.Side theirs = f.other();
        e.kind = f.kind();
        e.mapClass = loadable(f.mapClass());
        e.mapClassName = f.mapClass();
        e.operation = f.operation();
        e.findingId = f.id();
        e.thread = mine.thread();
        e.threadName = mine.name();
        e.threadId = mine.id();
        e.frame = Finding.racingFrame(mine.stack());
        e.stack = lines(mine.stack());
        e.otherThread = theirs.thread();
        e.otherThreadName = theirs.name();
        e.otherThreadId = theirs.id();
        e.otherOperation = theirs.operation();
        e.otherFrame = Finding.racingFrame(theirs.stack());
        e.otherStack = lines(theirs.stack());
        e.otherStackAt = theirs.stackAt();
        e.commit();
    }

    private static String lines(List<String> stack) {
        return String.join("\n", stack);
    }

    /** The map's class when a class loader the agent can see has it loaded (the JDK's maps always), else null. */
    private static Class<?> loadable(String name) {
        for (ClassLoader loader : new ClassLoader[] {
            null, ClassLoader.getSystemClassLoader(), Thread.currentThread().getContextClassLoader()
        }) {
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        return null;
    }

    @Name("dev.mapscope.MapRace")
    @Label("Map Race")
    @Category("mapscope")
    @Description("Two threads wrote one hash map without order between them (one event per finding, the first time"
            + " it is reported while recording)")
    @StackTrace(false)
    static final class MapRace extends Event {
        @Label("Kind")
        @Description("concurrent-write (the writes overlapped in time) or unsynchronized-write (no happens-before)")
        String kind;

        @Label("Map Class")
        Class<?> mapClass;

        @Label("Map Class Name")
        String mapClassName;

        @Label("Operation")
        String operation;

        @Label("Finding Id")
        @Description("The finding's id, as in the findings file: stable across runs")
        String findingId;

        @Label("Thread")
        @Description("The thread that saw the race")
        Thread thread;

        @Label("Thread Name")
        String threadName;

        @Label("Thread Id")
        long threadId;

        @Label("Racing Frame")
        String frame;

        @Label("Stack")
        String stack;

        @Label("Other Thread")
        @Description("The other writer; empty when it has ended and been collected (its name and id stay)")
        Thread otherThread;

        @Label("Other Thread Name")
        String otherThreadName;

        @Label("Other Thread Id")
        long otherThreadId;

        @Label("Other Operation")
        String otherOperation;

        @Label("Other Racing Frame")
        String otherFrame;

        @Label("Other Stack")
        String otherStack;

        @Label("Other Stack At")
        @Description("write, inside, now or unknown: what the other stack shows (docs/AGENT-PROTOCOL.md)")
        String otherStackAt;
    }
}
