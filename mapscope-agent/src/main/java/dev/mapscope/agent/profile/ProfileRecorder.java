package dev.mapscope.agent.profile;

import dev.mapscope.agent.boot.profile.ProfileGate;
import dev.mapscope.agent.boot.profile.ProfileSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The tables of one profile, filled on the threads that use the maps (the boot part calls in with their
 * busy flag set, so maps used here are not profiled). Every table is bounded; what does not fit is counted.
 */
final class ProfileRecorder implements ProfileSink {
    /*
     * Maps: an open-addressed table of ProfileMap indexed by identity hash, claimed by CAS, searched over a
     * window of PROBE slots. When the window is full, the entry of a collected map, or one with at most
     * EVICTABLE sampled events, is replaced (a program that makes millions of short-lived maps keeps
     * room for the long-lived ones); otherwise the new map is not tracked. Both count as dropped maps; the
     * collapsed stacks still count the operations of an untracked map.
     *
     * Stacks, resizes and same-bucket examples are lists under their own monitors, taken on sampled
     * operations and rare events only.
     */
    static final int MAP_SLOTS = 1 << 13;
    static final int MAX_MAPS = 4096;
    static final int PROBE = 16;
    static final long EVICTABLE = 2;
    static final int MAX_STACKS = 20_000;
    static final int MAX_RESIZES = 10_000;
    static final int MAX_EXAMPLES = 100;
    /** frames kept per stack of a same-bucket example */
    static final int EXAMPLE_DEPTH = 32;

    final int sample;
    final long windowNanos;
    /** epoch nanoseconds minus System.nanoTime(), taken at the start */
    final long epochOffset;
    /** bytes per reference in an array (4 with compressed oops) */
    final int refBytes;
    /** null when jfr=false */
    final ProfileEvents events;

    private final AtomicReferenceArray<ProfileMap> maps = new AtomicReferenceArray<>(MAP_SLOTS);
    private final AtomicInteger mapCount = new AtomicInteger();
    final AtomicLong samples = new AtomicLong();
    final AtomicLong droppedMaps = new AtomicLong();
    final AtomicLong droppedStacks = new AtomicLong();
    final AtomicLong droppedResizes = new AtomicLong();
    final AtomicLong droppedExamples = new AtomicLong();
    /** fingerprint of a collapsed line to the line and its count; guarded by itself */
    private final Map<Long, Line> stacks = new HashMap<>();
    /** one resize in this many walks its stack (the others are counted, listed and recorded without one) */
    static final int RESIZE_SAMPLE = 64;

    private final AtomicLong resizeCount = new AtomicLong();
    /** guarded by itself */
    private final List<Resize> resizes = new ArrayList<>();
    /** guarded by itself */
    private final List<Example> examples = new ArrayList<>();

    ProfileRecorder(int sample, long windowNanos, long epochOffset, int refBytes, ProfileEvents events) {
        this.sample = sample;
        this.windowNanos = windowNanos;
        this.epochOffset = epochOffset;
        this.refBytes = refBytes;
        this.events = events;
    }

    /** One resize step as ID.json lists it. */
    static final class Resize {
        final ProfileMap map;
        final String kind;
        final int oldCapacity;
        final int newCapacity;
        final long bytes;
        final long startEpochNanos;
        final long durationNanos;
        final String thread;

        Resize(
                ProfileMap map,
                String kind,
                int oldCapacity,
                int newCapacity,
                long bytes,
                long startEpochNanos,
                long durationNanos,
                String thread) {
            this.map = map;
            this.kind = kind;
            this.oldCapacity = oldCapacity;
            this.newCapacity = newCapacity;
            this.bytes = bytes;
            this.startEpochNanos = startEpochNanos;
            this.durationNanos = durationNanos;
            this.thread = thread;
        }
    }

    /** Two threads' writes to one bucket within the window. */
    static final class Example {
        final ProfileMap map;
        final String label;
        final int bucket;
        final long gapNanos;
        final long epochNanos;
        final String firstThread;
        final List<String> firstStack;
        final String secondThread;
        final List<String> secondStack;

        Example(
                ProfileMap map,
                String label,
                int bucket,
                long gapNanos,
                long epochNanos,
                String firstThread,
                List<String> firstStack,
                String secondThread,
                List<String> secondStack) {
            this.map = map;
            this.label = label;
            this.bucket = bucket;
            this.gapNanos = gapNanos;
            this.epochNanos = epochNanos;
            this.firstThread = firstThread;
            this.firstStack = firstStack;
            this.secondThread = secondThread;
            this.secondStack = secondStack;
        }
    }

    @Override
    public void sample(Object map, int family, int op, int bucket, int capacity) {
        samples.incrementAndGet();
        ProfileMap m = map(map, family);
        StackWalker.StackFrame[] stack = ProfileStacks.capture();
        String label;
        if (m != null) {
            m.capacity = capacity;
            m.ops.incrementAndGet(op);
            if (op != ProfileGate.GET) {
                m.writer(Thread.currentThread()); // a map only one thread writes has that one writer
            }
            m.siteFrom(stack);
            m.bucket(bucket, 1, op == ProfileGate.GET ? 0 : 1, 0);
            label = m.label();
        } else {
            label = untrackedLabel(map);
        }
        count(stack, label, bucket >= 0 ? "bucket " + bucket : ProfileGate.OPS[op], sample);
        if (events != null) {
            events.sample(m == null ? id(map) : m.id, map.getClass().getName(), label, ProfileGate.OPS[op], bucket);
        }
    }

    @Override
    public void sharedWrite(
            Object map,
            int family,
            int op,
            int bucket,
            int capacity,
            Thread previousWriter,
            Thread sameBucket,
            long gapNanos) {
        ProfileMap m = map(map, family);
        if (m == null) {
            return;
        }
        m.multiThreadWrites.incrementAndGet();
        if (previousWriter != null) {
            m.writer(previousWriter);
            m.writer(Thread.currentThread());
        }
        if (sameBucket == null) {
            return;
        }
        m.sameBucketWrites.incrementAndGet();
        m.bucket(bucket, 0, 0, 1);
        boolean keep;
        synchronized (examples) {
            keep = examples.size() < MAX_EXAMPLES;
        }
        String label = m.label();
        if (keep) {
            StackWalker.StackFrame[] mine = ProfileStacks.capture();
            m.siteFrom(mine);
            label = m.label();
            // The other thread's stack as of now: it has left that write (or is in its next one).
            List<String> theirs = ProfileStacks.lines(sameBucket.getStackTrace(), EXAMPLE_DEPTH);
            Example e = new Example(
                    m,
                    label,
                    bucket,
                    gapNanos,
                    epochOffset + System.nanoTime(),
                    sameBucket.getName(),
                    theirs,
                    Thread.currentThread().getName(),
                    ProfileStacks.lines(mine, EXAMPLE_DEPTH));
            synchronized (examples) {
                if (examples.size() < MAX_EXAMPLES) {
                    examples.add(e);
                } else {
                    droppedExamples.incrementAndGet();
                }
            }
        } else {
            droppedExamples.incrementAndGet();
        }
        if (events != null) {
            events.sameBucket(m.id, m.className, label, bucket, sameBucket.getName(), gapNanos);
        }
    }

    @Override
    public void resize(Object map, int kind, int oldCapacity, int newCapacity, long startNanos, long durationNanos) {
        int family = kind == ProfileGate.HASH_MAP_RESIZE
                ? ProfileGate.HASH_MAP
                : kind == ProfileGate.CHM_TRANSFER ? ProfileGate.CONCURRENT : ProfileGate.GO_MAP;
        ProfileMap m = map(map, family);
        if (kind == ProfileGate.GO_EVACUATE) {
            if (m != null) {
                synchronized (m) {
                    if (m.evacuations++ == 0) {
                        m.firstEvacuate = startNanos;
                    }
                    m.evacuateNanos += durationNanos;
                }
            }
            return;
        }
        if (kind == ProfileGate.GO_GROW_DONE) {
            if (m != null) {
                growDone(m, newCapacity, startNanos + durationNanos);
            }
            return;
        }
        long bytes = bytes(kind, newCapacity);
        // Every resize is counted, listed and sent to JFR; one in RESIZE_SAMPLE walks its stack for the flame
        // graph and counts for RESIZE_SAMPLE there. Walking every one cost the Jackson workload 1.34x: each of
        // its many small maps allocates its table through resize() on the first put.
        boolean walk = resizeCount.getAndIncrement() % RESIZE_SAMPLE == 0;
        StackWalker.StackFrame[] stack = walk ? ProfileStacks.capture() : null;
        String label = untrackedLabel(map);
        if (m != null) {
            if (walk) {
                m.siteFrom(stack);
            }
            m.resizes.incrementAndGet();
            m.resizeNanos.addAndGet(durationNanos);
            label = m.label();
            if (kind == ProfileGate.GO_GROW) {
                synchronized (m) {
                    m.growStart = startNanos;
                    m.growOld = oldCapacity;
                    m.growNew = newCapacity;
                    m.evacuations = 0;
                    m.evacuateNanos = 0;
                }
            }
        }
        add(
                new Resize(
                        m,
                        ProfileGate.KINDS[kind],
                        oldCapacity,
                        newCapacity,
                        bytes,
                        epochOffset + startNanos,
                        durationNanos,
                        Thread.currentThread().getName()),
                map,
                label);
        if (walk) {
            count(stack, label, "resize " + oldCapacity + "->" + newCapacity, RESIZE_SAMPLE);
        }
    }

    /** GoMap's evacuation finished: one summarised GoMap.evacuate step, then GoMap.growDone. */
    private void growDone(ProfileMap m, int newCapacity, long endNanos) {
        long start;
        int old;
        long evacuations;
        long evacuateNanos;
        long firstEvacuate;
        synchronized (m) {
            start = m.growStart;
            old = m.growOld;
            evacuations = m.evacuations;
            evacuateNanos = m.evacuateNanos;
            firstEvacuate = m.firstEvacuate;
            m.growStart = 0;
        }
        if (start == 0) {
            return; // the grow began before the profile: its begin was not seen
        }
        m.resizeNanos.addAndGet(evacuateNanos);
        String thread = Thread.currentThread().getName();
        String label = m.label();
        // bytes of the summarised step: the evacuated buckets it counted (see PROFILE-AGENT.md)
        add(
                new Resize(
                        m,
                        ProfileGate.KINDS[ProfileGate.GO_EVACUATE],
                        old,
                        newCapacity,
                        evacuations,
                        epochOffset + (evacuations > 0 ? firstEvacuate : start),
                        evacuateNanos,
                        thread),
                m,
                label);
        // growDone is an instant: its time is the end, its duration the whole growth since hashGrow
        add(
                new Resize(
                        m,
                        ProfileGate.KINDS[ProfileGate.GO_GROW_DONE],
                        old,
                        newCapacity,
                        0,
                        epochOffset + endNanos,
                        endNanos - start,
                        thread),
                m,
                label);
    }

    private void add(Resize r, Object mapOrStats, String label) {
        synchronized (resizes) {
            if (resizes.size() < MAX_RESIZES) {
                resizes.add(r);
            } else {
                droppedResizes.incrementAndGet();
            }
        }
        if (events != null) {
            String id = r.map != null ? r.map.id : id(mapOrStats);
            String cls = r.map != null ? r.map.className : mapOrStats.getClass().getName();
            events.resize(id, cls, label, r.kind, r.oldCapacity, r.newCapacity, r.bytes, r.durationNanos);
        }
    }

    /** Bytes the new table takes: an array of references, or GoMap's GoBuckets (its constructor's sizes). */
    long bytes(int kind, int newCapacity) {
        long n = newCapacity;
        if (kind == ProfileGate.GO_GROW) {
            int b = Integer.numberOfTrailingZeros(newCapacity);
            long buckets = n + (b >= 4 ? n >> 4 : 0);
            return 24 + (16 + 8 * buckets) + (16 + refBytes * (12 + 16 * buckets)) + (16 + 4 * buckets);
        }
        return 16 + refBytes * n;
    }

    /**
     * Adds {@code weight} operations to the stack ending in the map frame {@code [label]} and the frame
     * {@code [last]}: N for a sampled operation (it stands for the N the thread made since its last sample), 1
     * for a resize (each is recorded). One unit, operations, so that a resize storm and a hot bucket are
     * compared as the work they are, whatever the sampling rate. The
     * table is keyed by a 64-bit fingerprint of the frames (their names' cached hash codes), so the line is
     * built only the first time: two different lines with one fingerprint (about 2^-64 per pair) would be
     * counted as the first.
     */
    private void count(StackWalker.StackFrame[] stack, String label, String last, long weight) {
        long fp = 0x9E3779B97F4A7C15L;
        for (StackWalker.StackFrame f : stack) {
            fp = (fp ^ f.getClassName().hashCode()) * 0x100000001B3L;
            fp = (fp ^ f.getMethodName().hashCode()) * 0x100000001B3L;
        }
        fp = (fp ^ label.hashCode()) * 0x100000001B3L;
        fp = (fp ^ last.hashCode()) * 0x100000001B3L;
        Long key = fp;
        synchronized (stacks) {
            Line l = stacks.get(key);
            if (l != null) {
                l.count += weight;
                return;
            }
            if (stacks.size() >= MAX_STACKS) {
                droppedStacks.incrementAndGet();
                return;
            }
        }
        StringBuilder b = ProfileStacks.collapsed(stack);
        String text = b.append(b.length() > 0 ? ";[" : "[")
                .append(label)
                .append("];[")
                .append(last)
                .append(']')
                .toString();
        synchronized (stacks) {
            Line l = stacks.get(key);
            if (l != null) {
                l.count += weight;
            } else if (stacks.size() < MAX_STACKS) {
                stacks.put(key, new Line(text, weight));
            } else {
                droppedStacks.incrementAndGet();
            }
        }
    }

    /** One distinct collapsed stack and its count (guarded by the stacks table's monitor). */
    static final class Line {
        final String text;
        long count;

        Line(String text, long count) {
            this.text = text;
            this.count = count;
        }
    }

    /** The map's entry, created on first sight; null when the table has no room for it (counted). */
    ProfileMap map(Object map, int family) {
        int h = System.identityHashCode(map);
        int mask = MAP_SLOTS - 1;
        int start = (h * 0x9E3779B9) >>> 19;
        for (int p = 0; p < PROBE; p++) {
            int i = (start + p) & mask;
            ProfileMap m = maps.get(i);
            if (m == null) {
                if (mapCount.get() >= MAX_MAPS) {
                    break;
                }
                ProfileMap fresh = new ProfileMap(map, h, family);
                if (maps.compareAndSet(i, null, fresh)) {
                    mapCount.incrementAndGet();
                    return fresh;
                }
                m = maps.get(i);
            }
            if (m.hash == h && m.ref.get() == map) {
                return m;
            }
        }
        return evict(map, h, family, start);
    }

    private synchronized ProfileMap evict(Object map, int h, int family, int start) {
        int mask = MAP_SLOTS - 1;
        int victim = -1;
        long least = Long.MAX_VALUE;
        for (int p = 0; p < PROBE; p++) {
            int i = (start + p) & mask;
            ProfileMap m = maps.get(i);
            if (m == null) {
                continue; // a free slot beyond MAX_MAPS: leave it free
            }
            if (m.hash == h && m.ref.get() == map) {
                return m; // another thread added it meanwhile
            }
            long w = m.ref.get() == null ? -1 : m.weight();
            if (w < least) {
                least = w;
                victim = i;
            }
        }
        droppedMaps.incrementAndGet();
        if (victim < 0 || least > EVICTABLE) {
            return null;
        }
        ProfileMap fresh = new ProfileMap(map, h, family);
        maps.set(victim, fresh);
        return fresh;
    }

    static String id(Object map) {
        return map.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(map));
    }

    static String untrackedLabel(Object map) {
        return map.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(map));
    }

    /** Every tracked map. */
    List<ProfileMap> maps() {
        List<ProfileMap> r = new ArrayList<>();
        for (int i = 0; i < MAP_SLOTS; i++) {
            ProfileMap m = maps.get(i);
            if (m != null) {
                r.add(m);
            }
        }
        return r;
    }

    Map<String, Long> stacks() {
        Map<String, Long> r = new HashMap<>();
        synchronized (stacks) {
            for (Line l : stacks.values()) {
                r.merge(l.text, l.count, Long::sum);
            }
        }
        return r;
    }

    List<Resize> resizes() {
        synchronized (resizes) {
            return new ArrayList<>(resizes);
        }
    }

    List<Example> examples() {
        synchronized (examples) {
            return new ArrayList<>(examples);
        }
    }
}
