package dev.mapscope.agent.race;

import dev.mapscope.agent.boot.race.MapWatch;
import dev.mapscope.agent.boot.race.Race;
import dev.mapscope.agent.boot.race.Sink;
import dev.mapscope.agent.protocol.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Turns races into findings: deduplicates them by pair of code paths, writes JSON lines and stderr text,
 * halts the JVM when asked to.
 */
public final class Reporter implements Sink {
    /*
     * Memory is bounded whatever the finding rate: at most MAX_FINDINGS distinct findings are kept (a repeat
     * only increments a count); beyond that a new one is dropped and counted. Races are built only on the
     * slow path, and Sharing stops building them for a map after a few (later ones only count).
     *
     * All methods run on the thread that detected a race, with the agent's re-entrancy guard set, so the
     * JDK code used here (I/O, formatting) is not watched. The agent's own state is guarded by this
     * object's monitor, never by a java.util.concurrent lock.
     *
     * A JDK-internal map (the code that called the map is the JDK's) is not reported by tier 2: the JDK synchronises
     * some of its maps in ways tier 2 does not follow (Unsafe publication inside java.base), and a report
     * the user cannot act on is noise. What this hides is counted, its callers listed (MAX_HIDDEN_CALLERS)
     * in the summary and said once on stderr. Tier 1 overlaps are always reported.
     *
     * No bound is silent: the first time one is reached (MAX_FINDINGS, tier-2 threads, histories pushed
     * out of the table, races over the stack budget, hidden JDK-internal races), one mapscope: line says
     * so; the summary line counts each.
     *
     * A new finding is written (its first JSON line, its text on stderr) by the reporter's own thread,
     * mapscope-explain, once that thread has named the map's field from the application's bytecode
     * (Finding.nameField): reading class files and running ASM is kept off the application's threads. Until
     * then the finding is recorded and counted but not written (written.get(i) == 0). close() writes whatever
     * is still waiting, naming it on the closing thread (the exit hook, a detach). With halt-on-race the
     * detecting thread waits up to HALT_WAIT_MILLIS for its finding to be written before it halts the JVM.
     */
    static final int MAX_FINDINGS = 1024;
    static final int MAX_HIDDEN_CALLERS = 10;
    /** how long halt-on-race waits for its finding to be named and written */
    static final long HALT_WAIT_MILLIS = 10_000;

    private final Outputs options;
    private final PrintStream err;
    private final List<Path> files = new ArrayList<>();
    /** guarded by this */
    private final List<BufferedWriter> writers = new ArrayList<>();
    /** guarded by this; index + 1 is the key handed to MapWatch */
    private final List<Finding> findings = new ArrayList<>();
    /** guarded by this: the count last written for findings.get(i); 0 until its first line is written */
    private final List<Long> written = new ArrayList<>();
    /** guarded by this: new findings waiting for the explainer, oldest first (it removes one once written) */
    private final java.util.ArrayDeque<Finding> unexplained = new java.util.ArrayDeque<>();
    /** guarded by this: findings whose text has been printed (or that print nothing), for halt-on-race */
    private final java.util.Set<Finding> shown = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /** guarded by this: texts the explainer is printing now, outside this monitor (close() waits for them) */
    private int printing;

    private Thread explainer;
    /** guarded by this */
    private long dropped;
    /** guarded by this: tier-2 races on JDK-internal maps, and their distinct callers (at most MAX_HIDDEN_CALLERS) */
    private long ignored;

    private final List<String> hiddenCallers = new ArrayList<>();
    /** guarded by this: the limits already said on stderr */
    private final java.util.Set<String> said = new java.util.HashSet<>();
    /** guarded by this */
    private boolean closed;

    private final List<Consumer<Finding>> listeners;

    private boolean halts() {
        return options.haltOnRace() && !HaltTakeover.active();
    }

    /** Where findings go: a JSON-lines file, the session directory, stderr; and whether to halt on the first. */
    public record Outputs(Path report, Path session, boolean stderr, boolean haltOnRace) {}

    public Reporter(Outputs options, PrintStream err, List<Consumer<Finding>> listeners) {
        // Loads the classes the JDK-internal filter of report() runs (Finding, Frames) now, not on an application
        // thread inside a JDK lock: a class load by name walks the class path's jars and waits for each jar's lock
        // (seen: a deadlock with surefire's command thread, which held a jar and waited for ZipFile's stream set).
        Finding.caller(Finding.frames(new StackTraceElement[] {new StackTraceElement("a.B", "c", "B.java", 1)}));
        this.options = options;
        this.err = err;
        this.listeners = listeners;
        if (options.report() != null) {
            files.add(options.report());
        }
        if (options.session() != null) {
            files.add(options.session().resolve("findings.jsonl"));
        }
    }

    /** Opens the output files; throws with one sentence naming the file. */
    public void open() {
        for (Path p : files) {
            try {
                Path parent = p.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                writers.add(Files.newBufferedWriter(
                        p,
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot write the findings file " + p + ": " + e.getMessage());
            }
        }
        explainer = new Thread(this::explainLoop, "mapscope-explain");
        explainer.setDaemon(true);
        explainer.start();
    }

    /** The explainer's loop: names the field of each new finding, then writes the finding. */
    private void explainLoop() {
        MapWatch.ignoreCurrentThread();
        while (true) {
            Finding f;
            synchronized (this) {
                while (unexplained.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                f = unexplained.peek(); // stays queued while it is named, so that close() writes it if we stop
            }
            f.nameField(); // never throws; outside this monitor: detecting threads do not wait for it
            publish(f);
        }
    }

    /** Writes a named finding's first JSON line, then prints its text; once per finding. */
    private void publish(Finding f) {
        synchronized (this) {
            int i = findings.indexOf(f);
            if (i < 0 || written.get(i) != 0 || !unexplained.remove(f)) {
                return;
            }
            written.set(i, f.count());
            writeLine(f.json());
            if (!options.stderr()) {
                shown.add(f);
                notifyAll();
                return;
            }
            printing++;
        }
        try {
            err.println(f.text()); // outside the monitor: stderr's lock is never taken while holding this one
            err.flush();
        } finally {
            synchronized (this) {
                printing--;
                shown.add(f);
                notifyAll();
            }
        }
    }

    @Override
    public long report(Race race) {
        // The JDK-internal filter first, from the race's own frames: nothing on this path loads a class (see the
        // constructor), so a race found inside a JDK lock (ZipFile's open streams, closed while a class loads
        // from a jar) cannot wait for a jar another thread holds while it waits for that lock.
        List<String> mine = Finding.frames(race.stack);
        if (!Race.overlapped(race.kind) && jdkInternal(mine)) {
            synchronized (this) {
                ignored++;
                String caller = Finding.caller(mine);
                if (caller != null && hiddenCallers.size() < MAX_HIDDEN_CALLERS && !hiddenCallers.contains(caller)) {
                    hiddenCallers.add(caller);
                }
            }
            return 0;
        }
        if (race.map != null) {
            dev.mapscope.agent.protocol.MapRegistry.remember(race.map); // inspect map=ID and probe map=id:ID find it
        }
        Finding f = Finding.of(race);
        boolean halt = false;
        long key;
        synchronized (this) {
            if (closed) {
                return 0;
            }
            int i = indexOf(f.id());
            if (i < 0) {
                i = sameBug(f); // a sighting with one stack missing joins the finding of its racing line
            }
            if (i >= 0) {
                Finding old = findings.get(i);
                if (old.merge(f) && written.get(i) != 0) { // not yet written: its first line will be the latest
                    written.set(i, old.count());
                    writeLine(old.json());
                }
                f = old;
                key = i + 1;
            } else if (findings.size() >= MAX_FINDINGS) {
                dropped++;
                notice(
                        "findings",
                        "mapscope: " + MAX_FINDINGS + " distinct races recorded; later new ones are "
                                + "counted as dropped in the summary, not reported");
                return 0;
            } else {
                findings.add(f);
                written.add(0L);
                key = findings.size();
                unexplained.add(f);
                notifyAll();
                halt = halts();
                if (halt) {
                    awaitShown(f);
                    close(); // the summary, and no other finding: this one is the reason for exit 66
                }
            }
        }
        for (Consumer<Finding> l : listeners) {
            l.accept(f);
        }
        if (halt) {
            err.println("mapscope: halting the JVM with exit status 66 (halt-on-race=true)");
            err.flush();
            Runtime.getRuntime().halt(66);
        }
        return key;
    }

    @Override
    public void repeat(long key) {
        Finding f;
        synchronized (this) {
            if (key <= 0 || key > findings.size()) {
                return;
            }
            f = findings.get((int) key - 1);
            synchronized (f) {
                f.count++;
            }
        }
        for (Consumer<Finding> l : listeners) {
            l.accept(f);
        }
    }

    /**
     * The map belongs to the JDK: the first frame above the map and collection classes (the code that called
     * the map) is the JDK's own, e.g. ZipFile's set of open streams, written under ZipFile's monitor while a
     * class loads from a jar on an application thread.
     */
    private static boolean jdkInternal(List<String> frames) {
        String caller = Finding.caller(frames);
        return caller == null || Finding.isJdk(caller.substring(0, caller.lastIndexOf('.', caller.indexOf('('))));
    }

    /** Waits (bounded) until the explainer has written and printed {@code f}; guarded by this. */
    private void awaitShown(Finding f) {
        long end = System.nanoTime() + HALT_WAIT_MILLIS * 1_000_000;
        while (!shown.contains(f) && explainer != null && explainer.isAlive()) {
            long left = (end - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Says {@code line} on stderr the first time limit {@code what} is reached; guarded by this. */
    private void notice(String what, String line) {
        if (said.add(what) && options.stderr()) {
            err.println(line);
            err.flush();
        }
    }

    /** The bounds of the boot side, said once each when first reached; guarded by this. */
    private void limits() {
        long untracked = MapWatch.untrackedThreads();
        if (untracked > 0) {
            notice(
                    "threads",
                    "mapscope: more than 8192 live threads took part in the happens-before check at " + "once; "
                            + untracked + " were left to the overlap check for a while");
        }
        long saturated = MapWatch.saturatedClocks();
        if (saturated > 0) {
            notice(
                    "saturated",
                    "mapscope: " + saturated + " thread" + (saturated == 1 ? "" : "s")
                            + " synchronised more than two billion times; the happens-before check no longer "
                            + "tells apart what such a thread did since, so a race of theirs can be missed");
        }
        long evicted = MapWatch.evictedHistories();
        if (evicted > 0) {
            notice(
                    "evicted",
                    "mapscope: the happens-before history of " + evicted + " live shared map"
                            + (evicted == 1 ? " was" : "s were")
                            + " pushed out of the agent's table by others; a race on "
                            + "such a map can be missed");
        }
        long unexamined = MapWatch.unexamined();
        if (unexamined > 0) {
            notice(
                    "unexamined",
                    "mapscope: races came faster than the agent records stacks (2000 a second); " + unexamined
                            + " were counted, not examined");
        }
        if (ignored > 0) {
            notice(
                    "jdk",
                    "mapscope: " + ignored + " unsynchronized write" + (ignored == 1 ? "" : "s")
                            + " to maps that JDK code calls (its own maps) were not reported (JDK-internal synchronisation "
                            + "is not fully modelled); callers: " + String.join(", ", hiddenCallers));
        }
    }

    /** guarded by this */
    private int sameBug(Finding f) {
        for (int i = 0; i < findings.size(); i++) {
            if (findings.get(i).sameBug(f)) {
                return i;
            }
        }
        return -1;
    }

    private int indexOf(String id) {
        for (int i = 0; i < findings.size(); i++) {
            if (findings.get(i).answersTo(id)) {
                return i;
            }
        }
        return -1;
    }

    /** guarded by this */
    private void writeLine(String line) {
        for (BufferedWriter w : writers) {
            try {
                w.write(line);
                w.write('\n');
                w.flush();
            } catch (IOException e) {
                // a full disk must not break the application; the summary still counts the finding
            }
        }
    }

    /** Writes a line for each finding whose count changed since it was last written. */
    public synchronized void flushCounts() {
        if (closed) {
            return;
        }
        limits();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            long c = f.count();
            if (written.get(i) != 0 && c != written.get(i)) {
                written.set(i, c);
                writeLine(f.json());
            }
        }
    }

    /** Flushes counts, writes the summary line and closes the files; later races are ignored. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        long end = System.nanoTime() + HALT_WAIT_MILLIS * 1_000_000;
        while (printing > 0 && System.nanoTime() < end) { // a text on its way to stderr comes before the summary
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Findings the explainer has not written yet are named here, on the closing thread, and written.
        for (Finding f : new ArrayList<>(unexplained)) {
            f.nameField();
            int i = findings.indexOf(f);
            unexplained.remove(f);
            written.set(i, f.count());
            writeLine(f.json());
            if (options.stderr() && !shown.contains(f)) {
                err.println(f.text());
                err.flush();
            }
            shown.add(f);
        }
        flushCounts();
        StringBuilder hidden = new StringBuilder("[");
        for (int i = 0; i < hiddenCallers.size(); i++) {
            hidden.append(i > 0 ? "," : "").append(Json.str(hiddenCallers.get(i)));
        }
        writeLine("{\"type\":\"summary\",\"findings\":" + findings.size() + ",\"dropped\":" + dropped
                + ",\"jdkInternal\":" + ignored + ",\"jdkInternalCallers\":" + hidden.append(']')
                + ",\"untrackedThreads\":" + MapWatch.untrackedThreads()
                + ",\"saturatedClocks\":" + MapWatch.saturatedClocks()
                + ",\"evictedHistories\":" + MapWatch.evictedHistories()
                + ",\"unexamined\":" + MapWatch.unexamined()
                + ",\"time\":" + Json.str(Json.time(System.currentTimeMillis())) + "}");
        closed = true;
        notifyAll(); // the explainer ends
        for (BufferedWriter w : writers) {
            try {
                w.close();
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }

    public synchronized int findingCount() {
        return findings.size();
    }

    public synchronized long dropped() {
        return dropped;
    }

    synchronized long ignored() {
        return ignored;
    }

    public synchronized List<Finding> findings() {
        return new ArrayList<>(findings);
    }

    /** Listener list shared by every install in this JVM, so a JUnit extension survives a detach and reload. */
    public static List<Consumer<Finding>> newListeners() {
        return new CopyOnWriteArrayList<>();
    }
}
