package dev.mapscope.agent.probe;

import dev.mapscope.agent.boot.probe.ProbeGate;
import dev.mapscope.agent.boot.probe.ProbeHook;
import dev.mapscope.agent.boot.race.MapWatch;
import dev.mapscope.agent.condition.Subject;
import dev.mapscope.agent.protocol.AtomicFiles;
import dev.mapscope.agent.protocol.Json;
import dev.mapscope.agent.protocol.MapRegistry;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One armed probe: its hit path (run by application threads inside the advised map methods) and its own
 * daemon thread, which installs the advice, writes the hits, and removes the advice when the probe ends.
 */
final class Probe extends ProbeHook {
    /*
     * The hit path, in order of cost:
     *   1. ProbeGate: slot load, operation bit, selector (final fields): a map the probe does not select
     *      stops here.
     *   2. this.hit: the thread's ProbeThread (one ThreadLocal lookup), its busy flag (no re-entry from
     *      code the probe itself runs: key.toString, the stack walk), one plain increment of the thread's
     *      evaluation count, the event's fields stored, the condition. Nothing is allocated up to here.
     *   3. Only when the condition holds: agent threads and agent code skipped (a second ThreadLocal
     *      lookup, paid only here), the rate window and the hit count (atomics), the same-bucket
     *      check, the captured values built into one JSON line, offered to the HitQueue (full: a counted
     *      drop). The limit and the rate are enforced here: the hit that reaches the limit, or the first one
     *      beyond the rate, clears the slot (the advice returns at once from then on) and wakes the
     *      writer thread, which removes the advice and writes ID.done.
     */
    static final long WRITER_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    static final int QUEUE = 4096;

    final String id;
    final Path dir;
    final ProbeRequest request;
    final String selector;
    final int families;
    final ProbeCheck check;
    private final Instrumentation inst;
    private final SameBucket sameBucket;
    private final HitQueue queue = new HitQueue(QUEUE);
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicLong windowHits = new AtomicLong();
    /** set once, by whichever path ends the probe first: limit, rate, time, stopped, detached */
    private final AtomicReference<String> reason = new AtomicReference<>();

    private final long epochBase = System.currentTimeMillis() * 1_000_000L;
    private final long nanoBase = System.nanoTime();
    private final ThreadLocal<ProbeThread> local = new ThreadLocal<>();
    /** every ProbeThread of this probe, for the evaluation count; guarded by itself */
    private final List<ProbeThread> threads = new ArrayList<>();

    private volatile int slot = -1;
    private volatile Thread writer;
    /** set by the writer thread when ID.done is written (or the probe failed to arm) */
    private volatile boolean finished;

    volatile String armError;
    /** set once ID.armed is written */
    volatile boolean armed;

    private volatile ProbeInstaller.Installed installed;

    /** Per thread and probe: the reusable event and the re-entrancy flag. Owned by its thread. */
    static final class ProbeThread {
        final ProbeEvent event = new ProbeEvent();
        final Subject subject = new Subject();
        final Thread thread = Thread.currentThread();
        boolean busy;
        /** written by the owning thread only (plain); summed by the writer thread after the advice is gone */
        long evaluations;
    }

    Probe(
            String id,
            Path dir,
            ProbeRequest request,
            int select,
            Object target,
            String className,
            String selector,
            int families,
            ProbeCheck check,
            Instrumentation inst) {
        super(request.ops, select, target, className);
        this.id = id;
        this.dir = dir;
        this.request = request;
        this.selector = selector;
        this.families = families;
        this.check = check;
        this.inst = inst;
        this.sameBucket = request.sameBucketMicros > 0 ? new SameBucket(request.sameBucketMicros * 1000L) : null;
    }

    @Override
    public void hit(int code, Object map, Object key, Object value, int hash, Object[] table, long seed, int b) {
        try {
            ProbeThread t = local.get();
            if (t == null) {
                t = newThread();
            }
            if (t.busy) {
                return;
            }
            t.busy = true;
            ProbeEvent e = t.event;
            try {
                t.evaluations++;
                e.set(code, map, key, value, hash, table, seed, b);
                e.thread = t.thread;
                if (check.test(e, t.subject)) {
                    matched(e, t.subject);
                }
            } finally {
                // The event and the Subject keep the last operation's map, key and value until the probe ends
                // (clearThreads): clearing them here would also forget the Subject's regex memo, and a
                // condition on thread.name would run its regex on every operation (550 ns/op measured).
                t.busy = false;
            }
        } catch (Throwable ignored) {
            // never into the application
        }
    }

    private ProbeThread newThread() {
        boolean was = ProbeGate.enterAgent();
        try {
            ProbeThread t = new ProbeThread();
            local.set(t);
            synchronized (threads) {
                threads.add(t);
            }
            return t;
        } finally {
            ProbeGate.leaveAgent(was);
        }
    }

    /** The condition held. Runs with the agent's guard set: the JDK code used here is not watched. */
    private void matched(ProbeEvent e, Subject subject) {
        if (ProbeGate.agentThread()) {
            return; // an agent thread, or agent code on this thread (a finding being reported): never a hit
        }
        boolean was = ProbeGate.enterAgent();
        try {
            long now = System.nanoTime();
            SameBucket.Earlier earlier = null;
            if (sameBucket != null) {
                earlier = sameBucket.write(e.map, subject.bucket(), e.thread, now);
                if (earlier == null) {
                    return;
                }
            }
            if (reason.get() != null) {
                return;
            }
            long start = windowStart.get();
            if (now - start >= 1_000_000_000L && windowStart.compareAndSet(start, now)) {
                windowHits.set(0); // a racing hit may be counted in either window: the limit is approximate by one
            }
            if (windowHits.incrementAndGet() > request.rate) {
                end("rate");
                return;
            }
            long n = hits.incrementAndGet();
            if (n > request.limit) {
                hits.decrementAndGet();
                return;
            }
            String mapId = MapRegistry.remember(e.map);
            String line = check.json(subject, n, epochBase + (now - nanoBase), mapId, request.stack, earlier);
            if (!queue.offer(line)) {
                dropped.incrementAndGet();
            }
            if (n == request.limit) {
                end("limit");
            }
        } finally {
            ProbeGate.leaveAgent(was);
        }
    }

    /** Ends the probe for {@code why} unless it has ended already: the advice returns at once from now on. */
    boolean end(String why) {
        if (!reason.compareAndSet(null, why)) {
            return false;
        }
        int s = slot;
        if (s >= 0) {
            ProbeGate.clear(s);
        }
        Thread w = writer;
        if (w != null) {
            LockSupport.unpark(w);
        }
        return true;
    }

    String reason() {
        return reason.get();
    }

    long hits() {
        return hits.get();
    }

    long dropped() {
        return dropped.get();
    }

    /**
     * Drops every thread's references to the last operation it evaluated. Runs after the advice is removed,
     * so no thread evaluates any more (a benign race with an evaluation that was still running then: the
     * Subject tolerates cleared fields and the hit path catches everything).
     */
    private void clearThreads() {
        synchronized (threads) {
            for (ProbeThread t : threads) {
                t.event.clear();
                t.subject.clear();
            }
        }
    }

    long evaluations() {
        long n = 0;
        synchronized (threads) {
            for (ProbeThread t : threads) {
                n += t.evaluations;
            }
        }
        return n;
    }

    boolean finished() {
        return finished;
    }

    /** Starts the probe's thread, which arms it; returns at once. */
    void start() {
        Thread w = new Thread(this::run, "mapscope-probe-" + id);
        w.setDaemon(true);
        writer = w;
        w.start();
    }

    /** Waits until the probe's thread has written ID.done (or the arming failed). */
    boolean await(long millis) throws InterruptedException {
        Thread w = writer;
        if (w != null) {
            w.join(millis);
        }
        return finished;
    }

    private void run() {
        MapWatch.ignoreCurrentThread();
        try {
            arm();
        } catch (Throwable e) {
            try {
                disarm(); // frees the slot, and removes advice installed before the failure
            } catch (Throwable ignored) {
                // the error below is what the user needs
            }
            armError = e.getMessage() == null ? e.toString() : e.getMessage();
            AtomicFiles.write(dir.resolve(id + ".error"), armError.strip() + "\n");
            Probes.ended(this);
            finished = true;
            return;
        }
        try (BufferedWriter out = Files.newBufferedWriter(
                dir.resolve(id + ".hits.jsonl"),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            long deadline = System.nanoTime() + request.durationMillis * 1_000_000L;
            while (reason.get() == null) {
                drain(out);
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    end("time");
                    break;
                }
                LockSupport.parkNanos(this, Math.min(left, WRITER_PARK_NANOS));
            }
            disarm();
            drain(out);
        } catch (IOException | RuntimeException e) {
            end("stopped");
            disarm();
        } finally {
            if (sameBucket != null) {
                sameBucket.clear();
            }
            clearThreads();
            AtomicFiles.write(dir.resolve(id + ".done"), doneJson());
            Probes.ended(this);
            finished = true;
        }
    }

    private void arm() throws IOException {
        Files.write(
                dir.resolve(id + ".hits.jsonl"),
                new byte[0],
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        int s = ProbeGate.claim(this);
        if (s < 0) {
            throw new IllegalStateException("at most " + ProbeGate.SLOTS
                    + " probes can be armed at once in one JVM; stop one with probe-stop first");
        }
        slot = s;
        warmUp();
        ProbeInstaller.Installed in;
        synchronized (Probes.INSTALL) {
            in = ProbeInstaller.install(inst, s, request.ops, families);
        }
        installed = in;
        if (!in.errors.isEmpty()) {
            disarm();
            throw new IllegalStateException("the probe advice could not be installed (" + in.errors.get(0) + ")");
        }
        StringBuilder b = new StringBuilder("{\"on\":[");
        String[] on = ProbeRequest.names(request.ops).split(",");
        for (int i = 0; i < on.length; i++) {
            Json.str(b.append(i == 0 ? "" : ","), on[i]);
        }
        Json.str(b.append("],\"maps\":"), selector).append(",\"classes\":[");
        boolean first = true;
        synchronized (in.classes) {
            for (String c : in.classes) {
                Json.str(b.append(first ? "" : ","), c);
                first = false;
            }
        }
        b.append("],\"slot\":").append(s).append("}\n");
        AtomicFiles.write(dir.resolve(id + ".armed"), b.toString());
        armed = true;
    }

    /**
     * Runs the hit path once on a map of our own, without recording anything, so that every class it needs is
     * loaded and initialised before the advice is installed. A class first loaded from inside the advice
     * would be loaded while a map method runs: the class-file hook then uses maps, the advice re-enters, and
     * the JVM answers ClassCircularityError for that class (see BootJar), printed by the instrumentation
     * layer as "transform method call failed" (seen in the first benchmark run before this warm-up).
     */
    private void warmUp() {
        boolean was = ProbeGate.enterAgent();
        try {
            ProbeThread t = new ProbeThread();
            java.util.HashMap<Object, Object> own = new java.util.HashMap<>();
            own.put("k", "v");
            ProbeEvent e = t.event;
            for (int family = 0; family < ProbeInstaller.DECLARING.length; family++) {
                e.set(family << 3 | PUT, own, "k", "v", MapWatch.NO_HASH, new Object[16], 1L, 4);
                e.thread = t.thread;
                check.test(e, t.subject);
                e.bucket(e.keyHash());
            }
            String line = check.json(
                    t.subject, 0, epochBase, MapRegistry.id(own), request.stack, new SameBucket.Earlier(t.thread, 0));
            StringBuilder b = new StringBuilder();
            ProbeCheck.stack(b, Thread.currentThread().getStackTrace(), 2);
            HitQueue q = new HitQueue(2);
            q.offer(line);
            q.poll();
            if (sameBucket != null) {
                sameBucket.write(own, 0, t.thread, 0);
                sameBucket.write(own, 0, t.thread, 1);
            }
            windowStart.compareAndSet(windowStart.get(), System.nanoTime());
            e.clear();
            t.subject.clear();
        } finally {
            ProbeGate.leaveAgent(was);
        }
    }

    /** Clears the slot, removes the advice, frees the slot. On the probe's thread (or at detach). */
    private void disarm() {
        int s = slot;
        if (s < 0) {
            return;
        }
        ProbeGate.clear(s);
        ProbeInstaller.Installed in = installed;
        try {
            if (in != null) {
                synchronized (Probes.INSTALL) {
                    ProbeInstaller.reset(inst, in, families);
                }
            }
        } finally {
            installed = null;
            slot = -1;
            ProbeGate.free(s);
        }
    }

    private void drain(BufferedWriter out) throws IOException {
        boolean any = false;
        for (String line = queue.poll(); line != null; line = queue.poll()) {
            out.write(line);
            out.write('\n');
            any = true;
        }
        if (any) {
            out.flush();
        }
    }

    String doneJson() {
        String why = reason.get() == null ? "stopped" : reason.get();
        long n = hits.get();
        StringBuilder b = new StringBuilder("{\"hits\":")
                .append(n)
                .append(",\"evaluations\":")
                .append(evaluations())
                .append(",\"dropped\":")
                .append(dropped.get())
                .append(",\"reason\":");
        Json.str(b, why).append(",\"message\":");
        return Json.str(b, message(why, n)).append("}\n").toString();
    }

    private String message(String why, long n) {
        String s;
        switch (why) {
            case "limit":
                s = "the probe disarmed itself after its limit of " + request.limit + " hits";
                break;
            case "rate":
                s = "the probe disarmed itself because it hit more than " + request.rate + " times in one second (rate="
                        + request.rate + ")";
                break;
            case "time":
                s = "the probe ended after its duration of " + request.durationMillis + " ms with " + n + " hits";
                break;
            case "detached":
                s = "the probe ended with " + n + " hits because the agent was detached";
                break;
            default:
                s = "the probe was stopped with " + n + " hits";
        }
        long d = dropped.get();
        return d == 0 ? s : s + " (" + d + " hits were dropped because the writer fell behind)";
    }
}
