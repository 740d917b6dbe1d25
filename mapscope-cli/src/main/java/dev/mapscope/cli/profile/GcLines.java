package dev.mapscope.cli.profile;

import dev.mapscope.cli.console.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Garbage collections beside map resizes, Go's {@code GODEBUG=gctrace=1} cross-check for Java: one line per
 * collection from the profile's JFR recording (time since the profile started, collector, cause, pause, heap
 * before and after), then the map resizes since the previous collection and the bytes their new tables took.
 *
 * <pre>
 * gc 7 @2.314s G1 Young Generation (G1 Evacuation Pause) pause 1.9ms heap 41->12 MB; since gc 6: 93 resizes, 1.4 MB (HashMap @ HotBucket.java:128 93)
 * </pre>
 */
final class GcLines {
    /** One collection, with what the maps did since the one before. */
    record Gc(
            long id,
            long startEpochNanos,
            String name,
            String cause,
            long pauseNanos,
            long heapBefore,
            long heapAfter,
            List<MapProfile.Resize> resizesBefore) {
        long resizeBytes() {
            return resizesBefore.stream().mapToLong(MapProfile.Resize::bytes).sum();
        }
    }

    private final List<Gc> gcs;
    private final List<MapProfile.Resize> after;
    private final long origin;

    private GcLines(List<Gc> gcs, List<MapProfile.Resize> after, long origin) {
        this.gcs = gcs;
        this.after = after;
        this.origin = origin;
    }

    List<Gc> gcs() {
        return gcs;
    }

    /** Every resize, in time order. */
    List<MapProfile.Resize> resizes() {
        List<MapProfile.Resize> all = new ArrayList<>();
        for (Gc g : gcs) {
            all.addAll(g.resizesBefore());
        }
        all.addAll(after);
        return all;
    }

    /** Resizes after the last collection. */
    List<MapProfile.Resize> resizesAfterLast() {
        return after;
    }

    /** Epoch nanoseconds that "@0s" stands for. */
    long origin() {
        return origin;
    }

    /**
     * The collections in {@code jfr} beside the resizes: those of the recording's {@code dev.mapscope.Resize} events
     * when it has any (complete), else {@code fromJson} (the agent's JSON keeps the first 10,000).
     */
    static GcLines read(Path jfr, List<MapProfile.Resize> fromJson, long origin) throws IOException {
        List<RecordedEvent> collections = new ArrayList<>();
        Map<Long, long[]> heap = new HashMap<>(); // gcId -> {before, after}
        List<MapProfile.Resize> resizes = new ArrayList<>();
        if (jfr != null && Files.isRegularFile(jfr)) {
            try (RecordingFile file = new RecordingFile(jfr)) {
                while (file.hasMoreEvents()) {
                    RecordedEvent e = file.readEvent();
                    switch (e.getEventType().getName()) {
                        case "jdk.GarbageCollection" -> collections.add(e);
                        case "jdk.GCHeapSummary" -> {
                            long[] h = heap.computeIfAbsent(e.getLong("gcId"), k -> new long[] {-1, -1});
                            h["Before GC".equals(when(e)) ? 0 : 1] = e.getLong("heapUsed");
                        }
                        case "dev.mapscope.Resize" -> resizes.add(resize(e));
                        default -> {}
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new UserError("cannot read the JFR recording " + jfr + ": " + e.getMessage());
            }
        }
        if (resizes.isEmpty()) {
            resizes.addAll(fromJson);
        }
        resizes.sort(Comparator.comparingLong(MapProfile.Resize::startEpochNanos));
        collections.sort(Comparator.comparing(RecordedEvent::getStartTime));
        // "@0s" is the profile's start, or the first event when that is earlier (the recording may begin a moment
        // before the agent took the time), so that no line says "@-0.004s".
        if (!collections.isEmpty()) {
            long first = nanos(collections.get(0).getStartTime());
            origin = origin == 0 ? first : Math.min(origin, first);
        }
        if (!resizes.isEmpty()) {
            long first = resizes.get(0).startEpochNanos();
            origin = origin == 0 ? first : Math.min(origin, first);
        }
        List<Gc> gcs = new ArrayList<>();
        int r = 0;
        for (RecordedEvent e : collections) {
            long start = nanos(e.getStartTime());
            List<MapProfile.Resize> before = new ArrayList<>();
            while (r < resizes.size() && resizes.get(r).startEpochNanos() < start) {
                before.add(resizes.get(r++));
            }
            long id = e.getLong("gcId");
            long[] h = heap.getOrDefault(id, new long[] {-1, -1});
            long pause = e.hasField("sumOfPauses")
                    ? e.getDuration("sumOfPauses").toNanos()
                    : e.getDuration().toNanos();
            gcs.add(new Gc(id, start, e.getString("name"), e.getString("cause"), pause, h[0], h[1], before));
        }
        return new GcLines(gcs, new ArrayList<>(resizes.subList(r, resizes.size())), origin);
    }

    /** GCHeapSummary's {@code when} is a struct (jdk.types.GCWhen) holding the string "Before GC" or "After GC". */
    private static String when(RecordedEvent e) {
        Object w = e.getValue("when");
        return w instanceof jdk.jfr.consumer.RecordedObject o ? o.getString("when") : String.valueOf(w);
    }

    private static MapProfile.Resize resize(RecordedEvent e) {
        // The agent commits the event after the resize with its measured time in resizeDuration; an event that
        // spans the resize itself has it as its own duration.
        long duration = e.hasField("resizeDuration")
                ? e.getDuration("resizeDuration").toNanos()
                : e.getDuration().toNanos();
        String kind = e.hasField("kind") ? string(e, "kind") : "resize";
        return new MapProfile.Resize(
                string(e, "mapId"),
                string(e, "label"),
                kind,
                number(e, "oldCapacity"),
                number(e, "newCapacity"),
                number(e, "bytes"),
                nanos(e.getStartTime()),
                duration,
                e.getThread() == null ? null : e.getThread().getJavaName());
    }

    private static String string(RecordedEvent e, String field) {
        Object v = e.hasField(field) ? e.getValue(field) : null; // typed Object: valueOf(char[]) would be chosen
        return v == null ? null : v.toString();
    }

    private static long number(RecordedEvent e, String field) {
        return e.hasField(field) && e.getValue(field) instanceof Number n ? n.longValue() : 0;
    }

    static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** The lines, one per collection, then one for the resizes after the last collection (if any). */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        long previous = -1;
        for (Gc g : gcs) {
            StringBuilder b = new StringBuilder();
            b.append("gc ")
                    .append(g.id())
                    .append(" @")
                    .append(seconds(g.startEpochNanos() - origin))
                    .append(' ')
                    .append(g.name())
                    .append(" (")
                    .append(g.cause())
                    .append(") pause ")
                    .append(millis(g.pauseNanos()));
            if (g.heapBefore() >= 0 && g.heapAfter() >= 0) {
                b.append(" heap ")
                        .append(g.heapBefore() >> 20)
                        .append("->")
                        .append(g.heapAfter() >> 20)
                        .append(" MB");
            }
            b.append("; since ")
                    .append(previous < 0 ? "the start" : "gc " + previous)
                    .append(": ");
            appendResizes(b, g.resizesBefore());
            out.add(b.toString());
            previous = g.id();
        }
        if (!after.isEmpty()) {
            StringBuilder b = new StringBuilder(
                    previous < 0 ? "no collection; during the profile: " : "after gc " + previous + ": ");
            appendResizes(b, after);
            out.add(b.toString());
        }
        return out;
    }

    static void appendResizes(StringBuilder b, List<MapProfile.Resize> resizes) {
        if (resizes.isEmpty()) {
            b.append("no map resizes");
            return;
        }
        long bytes = resizes.stream().mapToLong(MapProfile.Resize::bytes).sum();
        b.append(resizes.size())
                .append(resizes.size() == 1 ? " resize, " : " resizes, ")
                .append(bytes(bytes));
        Map<String, Integer> byMap = new LinkedHashMap<>();
        for (MapProfile.Resize r : resizes) {
            byMap.merge(r.label() == null ? String.valueOf(r.map()) : r.label(), 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> top = new ArrayList<>(byMap.entrySet());
        top.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        b.append(" (");
        for (int i = 0; i < Math.min(3, top.size()); i++) {
            b.append(i == 0 ? "" : ", ")
                    .append(top.get(i).getKey())
                    .append(' ')
                    .append(top.get(i).getValue());
        }
        b.append(top.size() > 3 ? ", ...)" : ")");
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3fs", nanos / 1e9);
    }

    static String millis(long nanos) {
        return nanos >= 10_000_000
                ? String.format(Locale.ROOT, "%.0fms", nanos / 1e6)
                : String.format(Locale.ROOT, "%.2fms", nanos / 1e6);
    }

    static String bytes(long b) {
        if (b >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MB", b / 1048576.0);
        }
        return b >= 1024 ? String.format(Locale.ROOT, "%.1f KB", b / 1024.0) : b + " B";
    }
}
