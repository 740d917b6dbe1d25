package dev.mapscope.agent.probe;

import dev.mapscope.agent.boot.probe.ProbeHook;
import dev.mapscope.agent.protocol.MapRegistry;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code probe}, {@code probe-stop} and {@code inspect} requests inside the target JVM
 * (docs/PROBES-AGENT.md). Several probes may be armed at once (up to {@link
 * dev.mapscope.agent.boot.probe.ProbeGate#SLOTS}), each with its own advice.
 */
public final class Probes {
    /** Serialises installing and removing probe advice (retransformations of the same classes). */
    static final Object INSTALL = new Object();
    /** the probes not yet ended, by id; guarded by itself */
    private static final Map<String, Probe> ARMED = new LinkedHashMap<>();

    private Probes() {}

    /**
     * Arms a probe: checks {@code args} (a mistake throws IllegalArgumentException with one sentence),
     * then starts its thread, which installs the advice and writes {@code ID.armed}, the hits to
     * {@code ID.hits.jsonl}, and {@code ID.done} when it ends. Returns at once.
     */
    public static Handle probe(Instrumentation inst, Path dir, String id, String args) {
        ProbeRequest r = ProbeRequest.parse(args);
        ProbeCheck check = ProbeCheck.of(r.condition, r.capture, r.sameBucketMicros > 0);
        Probe p = select(inst, dir, id, r, check);
        synchronized (ARMED) {
            if (ARMED.containsKey(id)) {
                throw new IllegalArgumentException("a probe with id " + id + " is already armed");
            }
            ARMED.put(id, p);
        }
        p.start();
        return new Handle(p);
    }

    /** {@code probe-stop ID}: ends the probe (its thread writes ID.done). False if no such probe is armed. */
    public static boolean stop(String id) {
        Probe p;
        synchronized (ARMED) {
            p = ARMED.get(id);
        }
        if (p == null) {
            return false;
        }
        p.end("stopped");
        return true;
    }

    /** At detach: ends every probe and waits until each one's advice is removed and its files written. */
    public static void detaching() {
        List<Probe> all;
        synchronized (ARMED) {
            all = new ArrayList<>(ARMED.values());
        }
        for (Probe p : all) {
            p.end("detached");
        }
        for (Probe p : all) {
            try {
                p.await(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** {@code inspect ID field=...|map=...}: writes ID.json, then ID.done. Throws with one sentence. */
    public static void inspect(Instrumentation inst, Path dir, String id, String args) {
        Inspector.request(inst, dir, id, args);
    }

    static void ended(Probe p) {
        synchronized (ARMED) {
            ARMED.remove(p.id, p);
        }
    }

    /** Resolves the map selector into the probe's selector fields and the map families to advise. */
    private static Probe select(Instrumentation inst, Path dir, String id, ProbeRequest r, ProbeCheck check) {
        String sel = r.map;
        int families;
        int kind;
        Object target = null;
        String className = null;
        if (sel.equals("any")) {
            kind = ProbeHook.ANY;
            families = 0b1111;
        } else if (sel.startsWith("class:") && sel.length() > 6) {
            kind = ProbeHook.CLASS;
            className = sel.substring(6);
            families = classFamilies(inst, className);
            if (families == 0) {
                throw new IllegalArgumentException("map=" + sel + " names no loaded map class mapscope can probe"
                        + " (HashMap, LinkedHashMap, ConcurrentHashMap, TreeMap, GoMap and their subclasses)");
            }
        } else if (sel.startsWith("id:") && sel.length() > 3) {
            kind = ProbeHook.INSTANCE;
            target = MapRegistry.find(sel.substring(3));
            if (target == null) {
                throw new IllegalArgumentException(Inspector.unknownId(sel.substring(3)));
            }
            families = 1 << family(target.getClass());
        } else if (sel.startsWith("field:") && sel.length() > 6) {
            kind = ProbeHook.INSTANCE;
            target = FieldPath.resolve(inst, sel.substring(6), "map=" + sel);
            if (family(target.getClass()) < 0) {
                throw new IllegalArgumentException("field " + sel.substring(6) + " holds a "
                        + target.getClass().getName()
                        + ", not a map mapscope can probe (HashMap, LinkedHashMap, ConcurrentHashMap, TreeMap, GoMap)");
            }
            families = 1 << family(target.getClass());
            MapRegistry.remember(target);
        } else {
            throw new IllegalArgumentException(
                    "map must be any, class:NAME, id:MAPID or field:CLASS.FIELD; got map=" + sel);
        }
        int treeOps = 1 << ProbeHook.PUT | 1 << ProbeHook.GET | 1 << ProbeHook.REMOVE | 1 << ProbeHook.CLEAR;
        if ((r.ops & treeOps) == 0 || r.sameBucketMicros > 0) {
            families &= ~(1 << ProbeAdvice.TREE); // TreeMap has neither resize nor buckets
        }
        if (families == 0) {
            throw new IllegalArgumentException("a TreeMap has no "
                    + (r.sameBucketMicros > 0
                            ? "buckets (same-bucket-within)"
                            : "resize (on=" + ProbeRequest.names(r.ops) + ")"));
        }
        return new Probe(id, dir, r, kind, target, className, sel, families, check, inst);
    }

    /** The family index (ProbeAdvice.HASH...) of a map class, or -1. */
    static int family(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            String n = k.getName();
            for (int f = 0; f < ProbeInstaller.DECLARING.length; f++) {
                if (ProbeInstaller.DECLARING[f].equals(n)) {
                    return f;
                }
            }
        }
        return -1;
    }

    private static int classFamilies(Instrumentation inst, String name) {
        int families = 0;
        boolean simple = name.indexOf('.') < 0;
        for (Class<?> c : inst.getAllLoadedClasses()) {
            String n = c.getName();
            boolean match = n.equals(name);
            if (!match && simple && n.endsWith(name)) {
                try {
                    match = c.getSimpleName().equals(name);
                } catch (Throwable e) {
                    // a class whose simple name cannot be computed is not a map the user named
                }
            }
            if (match) {
                int f = family(c);
                if (f >= 0) {
                    families |= 1 << f;
                }
            }
        }
        return families;
    }

    /** A probe armed from inside the JVM ({@code Mapscope.probe}): its progress, and a way to stop it. */
    public static final class Handle {
        private final Probe probe;

        Handle(Probe probe) {
            this.probe = probe;
        }

        public String id() {
            return probe.id;
        }

        /** Hits recorded so far. */
        public long hits() {
            return probe.hits();
        }

        /** Operations on selected maps whose condition was evaluated so far. */
        public long evaluations() {
            return probe.evaluations();
        }

        /** limit, rate, time, stopped or detached once the probe has ended, else null. */
        public String reason() {
            return probe.reason();
        }

        /** True once the advice is installed (ID.armed is written). */
        public boolean armed() {
            return probe.armed;
        }

        /** Waits (at most {@code millis}) until the advice is installed; false if arming failed or timed out. */
        public boolean awaitArmed(long millis) throws InterruptedException {
            long deadline = System.nanoTime() + millis * 1_000_000L;
            while (!probe.armed && !probe.finished() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return probe.armed;
        }

        /** The directory of the probe's files. */
        public Path directory() {
            return probe.dir;
        }

        /** The error sentence if arming failed, else null. */
        public String error() {
            return probe.armError;
        }

        /** Stops the probe and waits (at most {@code millis}) until its advice is removed. */
        public boolean stop(long millis) throws InterruptedException {
            probe.end("stopped");
            return probe.await(millis);
        }

        /** Waits (at most {@code millis}) until the probe has ended and written ID.done; true if it has. */
        public boolean await(long millis) throws InterruptedException {
            return probe.await(millis);
        }
    }
}
