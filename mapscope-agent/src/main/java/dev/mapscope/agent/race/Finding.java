package dev.mapscope.agent.race;

import dev.mapscope.agent.boot.race.Counts;
import dev.mapscope.agent.boot.race.MapWatch;
import dev.mapscope.agent.boot.race.Race;
import dev.mapscope.agent.protocol.Frames;
import dev.mapscope.agent.protocol.Json;
import dev.mapscope.agent.race.explain.FieldNamer;
import dev.mapscope.agent.race.explain.MapField;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One deduplicated finding: a pair of code paths that raced on a map, and how often. */
public final class Finding {
    /** stack frames kept per thread */
    static final int MAX_FRAMES = 64;
    /** stack frames shown per thread in the text form */
    static final int TEXT_FRAMES = 12;
    /** frames of each stack that identify a code path (the paths listed under a finding) */
    static final int PATH_FRAMES = 12;
    /** distinct pairs of code paths listed under one finding; more are counted */
    static final int MAX_PATHS = 8;
    /** the agent code that runs on application threads (the advice calls it) */
    static final String BOOT_PACKAGE = "dev.mapscope.agent.boot.";

    private final String id;
    /**
     * The tier-1 kind (concurrent-...) once any occurrence overlapped in time, else the tier-2 one
     * (unsynchronized-...); always of one family: write/write, read/write or iteration/write. Guarded by this.
     */
    private String kind;

    private final String mapClass;
    private final String backingOf;
    private final String mapId;
    private final String operation;
    private final int bucket;
    private final int keyHash;
    /** the example shown: the first race with both stacks, else the first race; guarded by this */
    private String exampleKind;

    private Side current;
    private Side other;
    private final Instant time;
    /** guarded by this */
    long count = 1;
    /** guarded by this: distinct pairs of code paths (each side's top PATH_FRAMES frames), first seen first */
    private final java.util.LinkedHashMap<String, Path> paths = new java.util.LinkedHashMap<>();
    /**
     * guarded by this: the ids of whole sightings this finding took as its example after it began with one
     * stack missing (a one-stack sighting's id names only one racing line); later sightings with those ids are
     * this finding.
     */
    private final java.util.Set<String> aliases = new java.util.HashSet<>();
    /** guarded by this: occurrences whose pair of code paths was beyond MAX_PATHS */
    private long otherPaths;
    /** guarded by this: what the map was seen doing, or null when not counted */
    private Usage usage;
    /** the field holding the map, named once by {@link #nameField()} (the reporter's thread); null until then */
    private volatile MapField field;

    /** One thread of a finding. */
    public static final class Side {
        final String name;
        final long id;
        final String operation;
        final List<String> stack;
        /** "write", "inside", "now" or "unknown" (see Race) */
        final String stackAt;
        /** where the thread was started (its Thread.start call site), or empty when not recorded */
        final List<String> startedAt;
        /** the thread itself while it lives, for a JFR event's Thread field (never keeps it alive) */
        final WeakReference<Thread> thread;

        Side(
                String name,
                long id,
                String operation,
                List<String> stack,
                String stackAt,
                List<String> startedAt,
                Thread thread) {
            this.name = name;
            this.id = id;
            this.operation = operation;
            this.stack = stack;
            this.stackAt = stackAt;
            this.startedAt = startedAt;
            this.thread = new WeakReference<>(thread);
        }

        boolean complete() {
            return !stack.isEmpty() && (stackAt.equals(Race.AT_WRITE) || stackAt.equals(Race.AT_STILL_INSIDE));
        }

        public String name() {
            return name;
        }

        public List<String> stack() {
            return stack;
        }

        public long id() {
            return id;
        }

        public String operation() {
            return operation;
        }

        public String stackAt() {
            return stackAt;
        }

        /** The thread, or {@code null} once it has been collected. */
        public Thread thread() {
            return thread.get();
        }
    }

    /** One pair of code paths under a finding. */
    static final class Path {
        final List<String> a;
        final List<String> b;
        /** guarded by the finding */
        long count = 1;

        Path(List<String> a, List<String> b) {
            this.a = a.subList(0, Math.min(PATH_FRAMES, a.size()));
            this.b = b.subList(0, Math.min(PATH_FRAMES, b.size()));
        }
    }

    private Finding(
            String id,
            String kind,
            String mapClass,
            String backingOf,
            String mapId,
            String operation,
            int bucket,
            int keyHash,
            Side current,
            Side other,
            Instant time) {
        this.id = id;
        this.kind = kind;
        this.exampleKind = kind;
        this.mapClass = mapClass;
        this.backingOf = backingOf;
        this.mapId = mapId;
        this.operation = operation;
        this.bucket = bucket;
        this.keyHash = keyHash;
        this.current = current;
        this.other = other;
        this.time = time;
    }

    /** Builds a finding from a race; runs on the detecting thread with the agent's guard set. */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    static Finding of(Race r) {
        String mapClass = r.mapClass;
        List<String> mine = frames(r.stack);
        List<String> theirs = frames(r.otherStack);
        String op = operationName(r.operation);
        String otherOp = r.otherOperation == null ? op : operationName(r.otherOperation);
        Side current =
                new Side(r.thread.getName(), r.thread.getId(), op, mine, Race.AT_WRITE, started(r.thread), r.thread);
        Side other = new Side(
                r.other.getName(), r.other.getId(), otherOp, theirs, r.otherStackAt, started(r.other), r.other);
        String mapId = mapClass + "@" + Integer.toHexString(r.mapHash);
        String id = id(r.kind, mapClass, mine, theirs);
        Finding f = new Finding(
                id,
                r.kind,
                mapClass,
                backingOf(mapClass, r.stack),
                mapId,
                op,
                r.bucket,
                r.keyHash,
                current,
                other,
                Instant.now());
        f.paths.put(pathKey(mine, theirs), new Path(mine, theirs));
        f.usage = usage(r.usage);
        return f;
    }

    /** The agent's counts of a suspected map as the finding's {@code usage}; null when not counted. */
    static Usage usage(Counts c) {
        if (c == null) {
            return null;
        }
        return new Usage(
                c.reads,
                c.writes,
                c.iterations,
                c.readerThreads(),
                c.writerThreads(),
                c.checkThenAct,
                c.accessOrder,
                c.millis);
    }

    private static List<String> started(Thread t) {
        return frames(MapWatch.startedAt(t));
    }

    /**
     * Adds another occurrence of this finding (same map class, same racing application frames): counts it,
     * lists its pair of code paths if new, upgrades the kind to concurrent-write if it overlapped, and takes
     * its stacks as the example if they are complete and the example's are not. Returns true when what a
     * reader sees changed beyond the count (worth a new JSON line now).
     */
    synchronized boolean merge(Finding o) {
        count++;
        boolean changed = false;
        if (Race.overlapped(o.kind)
                && !Race.overlapped(kind)
                && Race.overlapKindOf(kind).equals(o.kind)) {
            kind = o.kind;
            changed = true;
        }
        if (o.usage != null) {
            usage = o.usage; // counted later: the longer profile
        }
        if (!other.complete() && o.other.complete()) {
            aliases.add(o.id); // later whole sightings of these lines carry this id
            exampleKind = o.exampleKind;
            current = o.current;
            other = o.other;
            changed = true;
        }
        String key = pathKey(o.current.stack, o.other.stack);
        Path p = paths.get(key);
        if (p != null) {
            p.count++;
        } else if (paths.size() < MAX_PATHS) {
            paths.put(key, new Path(o.current.stack, o.other.stack));
            changed = true;
        } else {
            otherPaths++;
        }
        return changed;
    }

    public String id() {
        return id;
    }

    public synchronized String kind() {
        return kind;
    }

    public String mapClass() {
        return mapClass;
    }

    public String operation() {
        return operation;
    }

    public synchronized Side current() {
        return current;
    }

    public synchronized Side other() {
        return other;
    }

    /**
     * True if {@code o}, a sighting with one stack missing, or a whole sighting that this finding (one stack
     * missing) waited for, is the same bug: same map class, and a racing line in common.
     */
    synchronized boolean sameBug(Finding o) {
        if (!mapClass.equals(o.mapClass)
                || !family(kind).equals(family(o.kind))
                || (other.complete() && o.other.complete())) {
            return false;
        }
        String mine = racingFrame(current.stack);
        String theirs = other.stack.isEmpty() ? null : racingFrame(other.stack);
        String oa = racingFrame(o.current.stack);
        String ob = o.other.stack.isEmpty() ? null : racingFrame(o.other.stack);
        return mine.equals(oa) || mine.equals(ob) || (theirs != null && (theirs.equals(oa) || theirs.equals(ob)));
    }

    /** True if a sighting with id {@code other} is this finding: its own id, or an example it adopted. */
    synchronized boolean answersTo(String other) {
        return id.equals(other) || aliases.contains(other);
    }

    /** Distinct pairs of code paths seen (at most MAX_PATHS are listed). */
    public synchronized int pathCount() {
        return paths.size();
    }

    /** The number of times this pair of code paths raced, as of now. */
    public synchronized long count() {
        return count;
    }

    /** What the map was seen doing while it was suspected, or null when that was not counted. */
    public synchronized Usage usage() {
        return usage;
    }

    synchronized void usage(Usage u) {
        usage = u;
    }

    /** The fix recommended from the kind, the map's class and the usage (see {@link Fix}). */
    public synchronized Fix fix() {
        return Fix.of(kind, mapClass, backingOf, usage);
    }

    /**
     * The field that holds the map, named from the bytecode of the example's first application frame (or the
     * other thread's when the first cannot say), once: the reporter calls this on its own thread before the
     * finding is written. Never throws.
     */
    public MapField nameField() {
        MapField f = field;
        if (f != null) {
            return f;
        }
        synchronized (FieldNamer.class) { // one naming at a time; never under this finding's monitor
            f = field;
            if (f == null) {
                Side a = current();
                Side b = other();
                List<ClassLoader> loaders = new ArrayList<>();
                for (Side s : List.of(a, b)) {
                    Thread t = s.thread();
                    if (t != null) {
                        try {
                            loaders.add(t.getContextClassLoader());
                        } catch (RuntimeException e) {
                            // not allowed to ask: the system class loader is tried anyway
                        }
                    }
                }
                f = FieldNamer.name(a.stack, loaders);
                if (!f.known() && !b.stack.isEmpty()) {
                    MapField g = FieldNamer.name(b.stack, loaders);
                    f = g.known() ? g : f;
                }
                field = f;
            }
        }
        return f;
    }

    /** The field if it was named already, else null (never names it: safe on any thread). */
    public MapField namedField() {
        return field;
    }

    /** The user's name for an instrumented method. */
    static String operationName(String method) {
        switch (method) {
            case "putVal":
                return "put";
            case "removeNode":
            case "deleteEntry":
            case "closeDeletion":
                return "remove";
            case "afterNodeAccess":
                return "get (access-ordered LinkedHashMap moves the entry)";
            case "putMapEntries":
                return "putAll";
            case "getNode":
            case "getEntry":
                return "get";
            case "getCeilingEntry":
                return "ceiling";
            case "getFloorEntry":
                return "floor";
            case "getHigherEntry":
                return "higher";
            case "getLowerEntry":
                return "lower";
            case "getFirstEntry":
                return "first";
            case "getLastEntry":
                return "last";
            case "nextNode":
            case "nextEntry":
            case "prevEntry":
            case "nextIndex":
                return "iterator next";
            case "keysToArray":
            case "valuesToArray":
                return "toArray";
            case "resize":
                return "resize";
            default:
                return method;
        }
    }

    /** Agent frames and the stack-walk frames removed, at most MAX_FRAMES kept, each class.method(File:line). */
    static List<String> frames(StackTraceElement[] stack) {
        List<String> out = new ArrayList<>();
        if (stack == null) {
            return out;
        }
        // A thread caught inside the agent (its stack taken while it reports) shows the JDK code the agent
        // called above the agent's frames: everything down to the deepest agent frame is the agent's. Only
        // the boot package runs on application threads, so only its frames can appear here.
        int from = 0;
        for (int i = 0; i < stack.length; i++) {
            if (stack[i].getClassName().startsWith(BOOT_PACKAGE)) {
                from = i + 1;
            }
        }
        for (int i = from; i < stack.length; i++) {
            StackTraceElement e = stack[i];
            String c = e.getClassName();
            if (c.startsWith(BOOT_PACKAGE)
                    || (c.equals("java.lang.Thread") && e.getMethodName().equals("getStackTrace"))) {
                continue;
            }
            // A lambda's hidden proxy class ("Foo$$Lambda$42/0x...call") shows in another thread's stack taken
            // with Thread.getStackTrace but not in a thread's own stack: dropping it keeps the finding id the
            // same for one code path whichever way its stack was taken (seen on JDK 17 with the quote demo).
            if (c.contains("$$Lambda")) {
                continue;
            }
            if (out.size() == MAX_FRAMES) {
                break;
            }
            out.add(Frames.format(e));
        }
        return Collections.unmodifiableList(out);
    }

    /** A set whose backing map this is, read from the first frame above the map's own frames. */
    static String backingOf(String mapClass, StackTraceElement[] stack) {
        if (stack == null) {
            return null;
        }
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (c.startsWith(BOOT_PACKAGE) || c.equals("java.lang.Thread") || isMapFrame(c)) {
                continue;
            }
            if (c.equals("java.util.HashSet") || c.equals("java.util.LinkedHashSet")) {
                return mapClass.equals("java.util.LinkedHashMap") ? "java.util.LinkedHashSet" : "java.util.HashSet";
            }
            if (c.equals("java.util.TreeSet")) {
                return "java.util.TreeSet";
            }
            return null;
        }
        return null;
    }

    static boolean isMapFrame(String c) {
        return c.startsWith("java.util.HashMap")
                || c.startsWith("java.util.LinkedHashMap")
                || c.startsWith("java.util.TreeMap")
                || c.startsWith("java.util.WeakHashMap")
                || c.startsWith("java.util.IdentityHashMap")
                || c.equals("java.util.AbstractMap")
                || c.equals("java.util.Map");
    }

    /** The JDK collections that wrap or delegate to an instrumented map. */
    static boolean isCollectionFrame(String c) {
        return c.startsWith("java.util.Collections$")
                || c.equals("java.util.HashSet")
                || c.equals("java.util.LinkedHashSet")
                || c.equals("java.util.TreeSet")
                || c.equals("java.util.AbstractCollection")
                || c.equals("java.util.AbstractSet")
                || c.equals("java.util.SequencedMap")
                || c.equals("java.util.NavigableMap");
    }

    /** The first frame above the map's own frames (the caller that wrote the map), or null. */
    static String caller(List<String> stack) {
        for (String f : stack) {
            String c = f.substring(0, f.lastIndexOf('.', f.indexOf('(')));
            if (!isMapFrame(c) && !isCollectionFrame(c)) {
                return f;
            }
        }
        return null;
    }

    /**
     * One bug, one id: the map's class and the racing application frames (each side's first frame outside
     * the JDK), combined independent of order. Stable across runs; the same for a tier-1 and a tier-2
     * sighting of the race, and for the many full paths that reach one racing line.
     */
    static String id(String kind, String mapClass, List<String> a, List<String> b) {
        return id(mapClass + family(kind), a, b);
    }

    /**
     * A read/write or iteration/write race is another bug than a write/write race of the same lines (a
     * check-then-put line races both ways): "" for writes, which keeps their ids as they were, else a suffix.
     */
    static String family(String kind) {
        switch (kind) {
            case Race.CONCURRENT_READ:
            case Race.UNSYNCHRONIZED_READ:
                return "|read";
            case Race.CONCURRENT_ITERATION:
            case Race.UNSYNCHRONIZED_ITERATION:
                return "|iteration";
            default:
                return "";
        }
    }

    static String id(String mapClass, List<String> a, List<String> b) {
        long ha = fnv(0xcbf29ce484222325L, racingFrame(a));
        long hb = fnv(0xcbf29ce484222325L, racingFrame(b));
        long lo = Math.min(ha, hb);
        long hi = Math.max(ha, hb);
        long h = fnv(fnv(fnv(0xcbf29ce484222325L, mapClass), Long.toString(lo)), Long.toString(hi));
        return String.format("%016x", h);
    }

    /** The first frame outside the JDK (the application's line that called the map), else the map's caller. */
    static String racingFrame(List<String> stack) {
        for (String f : stack) {
            String c = f.substring(0, f.lastIndexOf('.', f.indexOf('(')));
            if (!isJdk(c)) {
                return f;
            }
        }
        String caller = caller(stack);
        return caller != null ? caller : stack.isEmpty() ? "" : stack.get(0);
    }

    static boolean isJdk(String className) {
        return className.startsWith("java.")
                || className.startsWith("javax.")
                || className.startsWith("jdk.")
                || className.startsWith("sun.")
                || className.startsWith("com.sun.");
    }

    private static String pathKey(List<String> a, List<String> b) {
        long ha = pathHash(a);
        long hb = pathHash(b);
        return Math.min(ha, hb) + ":" + Math.max(ha, hb);
    }

    private static long pathHash(List<String> stack) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < Math.min(PATH_FRAMES, stack.size()); i++) {
            h = fnv(h, stack.get(i));
        }
        return h;
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** One JSON line in the format of AGENT-PROTOCOL.md. */
    synchronized String json() {
        StringBuilder b = new StringBuilder(512);
        b.append("{\"type\":\"finding\",\"id\":")
                .append(Json.str(id))
                .append(",\"kind\":")
                .append(Json.str(kind))
                .append(",\"mapClass\":")
                .append(Json.str(mapClass))
                .append(",\"backingOf\":")
                .append(Json.str(backingOf))
                .append(",\"mapId\":")
                .append(Json.str(mapId))
                .append(",\"allocatedAt\":null");
        fieldJson(b);
        b.append(",\"fix\":")
                .append(Fix.of(kind, mapClass, backingOf, usage).json())
                .append(",\"operation\":")
                .append(Json.str(operation))
                .append(",\"bucket\":")
                .append(bucket)
                .append(",\"keyHash\":")
                .append(keyHash)
                .append(",\"threads\":[");
        side(b, current);
        b.append(',');
        side(b, other);
        b.append("],\"paths\":[");
        boolean first = true;
        for (Path p : paths.values()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append("{\"count\":").append(p.count).append(",\"stacks\":[");
            array(b, p.a);
            b.append(',');
            array(b, p.b);
            b.append("]}");
        }
        b.append("],\"otherPaths\":")
                .append(otherPaths)
                .append(",\"count\":")
                .append(count)
                .append(",\"usage\":")
                .append(usage == null ? "null" : usage.json())
                .append(",\"time\":")
                .append(Json.str(Json.time(time.toEpochMilli())))
                .append('}');
        return b.toString();
    }

    /** {@code "field":{"name":...,"static":...,"frame":...}} or null, and {@code "fieldNote"}. */
    private void fieldJson(StringBuilder b) {
        MapField f = field;
        b.append(",\"field\":");
        if (f != null && f.known()) {
            b.append("{\"name\":")
                    .append(Json.str(f.name()))
                    .append(",\"static\":")
                    .append(f.isStatic())
                    .append(",\"frame\":")
                    .append(Json.str(f.frame()))
                    .append('}');
        } else {
            b.append("null");
        }
        b.append(",\"fieldNote\":").append(Json.str(f == null ? "not named yet" : f.note()));
    }

    private static void side(StringBuilder b, Side s) {
        b.append("{\"name\":")
                .append(Json.str(s.name))
                .append(",\"id\":")
                .append(s.id)
                .append(",\"operation\":")
                .append(Json.str(s.operation))
                .append(",\"stackAt\":")
                .append(Json.str(s.stack.isEmpty() ? Race.AT_UNKNOWN : s.stackAt))
                .append(",\"stack\":");
        array(b, s.stack);
        b.append(",\"startedAt\":");
        array(b, s.startedAt);
        b.append('}');
    }

    private static void array(StringBuilder b, List<String> frames) {
        b.append('[');
        for (int i = 0; i < frames.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(Json.str(frames.get(i)));
        }
        b.append(']');
    }

    /** The readable form printed on stderr and used as a failing test's message; names the field if not yet done. */
    public String text() {
        MapField f = nameField();
        synchronized (this) {
            return text(f);
        }
    }

    private String text(MapField f) {
        StringBuilder b = new StringBuilder(1024);
        boolean overlap = Race.overlapped(exampleKind);
        b.append("mapscope: ").append(headline(kind)).append(mapId);
        if (backingOf != null) {
            b.append(" (the backing map of a ").append(backingOf).append(')');
        }
        b.append('\n');
        b.append("  kind: ")
                .append(kind)
                .append("   operation: ")
                .append(operation)
                .append("   key hash: ")
                .append(keyHash == -1 ? "unknown" : Integer.toString(keyHash))
                .append("   bucket: ")
                .append(bucket == -1 ? "unknown" : Integer.toString(bucket))
                .append('\n');
        fieldText(b, f);
        b.append("  thread \"")
                .append(current.name)
                .append("\" (id ")
                .append(current.id)
                .append(") ")
                .append(current.operation)
                .append(":\n");
        stackText(b, current.stack);
        startedText(b, current);
        if (overlap) {
            b.append("  ...while thread \"")
                    .append(other.name)
                    .append("\" (id ")
                    .append(other.id)
                    .append(") was inside a write of the same map");
            switch (other.stackAt) {
                case Race.AT_WRITE:
                    b.append(", at:\n");
                    break;
                case Race.AT_STILL_INSIDE:
                    b.append(" and still had not left it half a second later (a loop in a damaged table?), at:\n");
                    break;
                default:
                    b.append(" (it left before its stack was taken; it is now at):\n");
                    break;
            }
        } else {
            b.append("  ...with no happens-before order after thread \"")
                    .append(other.name)
                    .append("\" (id ")
                    .append(other.id)
                    .append(") ")
                    .append(other.operation);
            switch (other.stackAt) {
                case Race.AT_WRITE:
                    b.append(" at:\n");
                    break;
                case Race.AT_NOW:
                    b.append(" (its stack at that write was not recorded; it is now at):\n");
                    break;
                default:
                    b.append(" (its stack at that write was not recorded: the race did not repeat)\n");
                    break;
            }
        }
        stackText(b, other.stack);
        startedText(b, other);
        String consequence = consequence(kind);
        if (consequence != null) {
            b.append("  what can happen: ").append(consequence).append('\n');
        }
        if (paths.size() > 1 || otherPaths > 0) {
            b.append("  the same racing lines were reached from ")
                    .append(paths.size() - 1 + (otherPaths > 0 ? "+" : ""))
                    .append(" other pair")
                    .append(paths.size() == 2 && otherPaths == 0 ? "" : "s")
                    .append(" of code paths (the JSON report lists them)\n");
        }
        Fix fix = Fix.of(kind, mapClass, backingOf, usage);
        b.append("  fix: ").append(fix.advice()).append('\n');
        b.append("       because: ").append(fix.because()).append('\n');
        if (fix.bench() != null) {
            b.append("       compare: ").append(fix.bench()).append('\n');
        }
        b.append("  finding ").append(id).append(", seen ").append(count()).append(count() == 1 ? " time" : " times");
        return b.toString();
    }

    /** The first words of a finding's text, up to the map's id. */
    static String headline(String kind) {
        switch (kind) {
            case Race.CONCURRENT:
                return "concurrent write to ";
            case Race.CONCURRENT_READ:
                return "concurrent read and write of ";
            case Race.UNSYNCHRONIZED_READ:
                return "unsynchronized read and write of ";
            case Race.CONCURRENT_ITERATION:
                return "concurrent iteration and write of ";
            case Race.UNSYNCHRONIZED_ITERATION:
                return "unsynchronized iteration and write of ";
            default:
                return "unsynchronized write to ";
        }
    }

    /** What the reader saw and what can come of it, for the read and iteration kinds; null for writes. */
    static String consequence(String kind) {
        switch (kind) {
            case Race.CONCURRENT_READ:
                return "the read ran while the other thread was changing the map: it can miss a key that is "
                        + "there (a get during a resize looks in the new, half-filled table), return a stale "
                        + "or half-built value, or loop forever in a bin damaged by the write.";
            case Race.UNSYNCHRONIZED_READ:
                return "nothing orders the read after the write: the reader may not see the new entry (a "
                        + "check-then-act adds it twice), may see a half-built one, or read the map while "
                        + "another write resizes it: a missing key, a stale value, a loop in a damaged bin.";
            case Race.CONCURRENT_ITERATION:
                return "the iteration stepped while the other thread was changing the map: it can throw "
                        + "ConcurrentModificationException, skip entries or see one twice (toString, "
                        + "hashCode, a copy or putAll of this map reads a torn state).";
            case Race.UNSYNCHRONIZED_ITERATION:
                return "nothing orders the iteration after the write: it can throw "
                        + "ConcurrentModificationException, miss or repeat entries, or see half-built ones "
                        + "(a copy, toString or a stream of this map is not a snapshot).";
            default:
                return null;
        }
    }

    /** {@code field: com.example.Cache.map (static, read at ...)} or {@code field: unknown (why)}. */
    private static void fieldText(StringBuilder b, MapField f) {
        if (f.known()) {
            b.append("  field: ")
                    .append(f.name())
                    .append(f.isStatic() ? " (static field, read at " : " (instance field, read at ")
                    .append(f.frame())
                    .append(")\n");
        } else {
            b.append("  field: unknown (").append(f.note()).append(")\n");
        }
    }

    /** Where the thread was started: the frames above Thread.start down to the first of the application's. */
    private static void startedText(StringBuilder b, Side s) {
        if (s.startedAt.isEmpty()) {
            return;
        }
        b.append("    thread \"").append(s.name).append("\" was started at:\n");
        for (int i = 0; i < s.startedAt.size() && i < TEXT_FRAMES; i++) {
            String frame = s.startedAt.get(i);
            b.append("      at ").append(frame).append('\n');
            if (!isJdk(frame.substring(0, frame.lastIndexOf('.', frame.indexOf('('))))) {
                break;
            }
        }
    }

    private static void stackText(StringBuilder b, List<String> stack) {
        int n = Math.min(TEXT_FRAMES, stack.size());
        for (int i = 0; i < n; i++) {
            b.append("      at ").append(stack.get(i)).append('\n');
        }
        if (stack.size() > n) {
            b.append("      ... ").append(stack.size() - n).append(" more\n");
        }
    }
}
