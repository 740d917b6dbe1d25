package dev.mapscope.agent.profile;

import dev.mapscope.agent.boot.profile.ProfileGate;
import dev.mapscope.agent.protocol.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Writes a finished profile's tables as ID.collapsed and ID.json (the contract in PROFILE-AGENT.md). */
final class ProfileWriter {
    static final int MAX_MAPS = 50;
    static final int TOP_BUCKETS = 32;
    static final int HEAT_CELLS = 256;

    private ProfileWriter() {}

    /** async-profiler's collapsed format: one line per distinct stack, widest first. */
    static String collapsed(ProfileRecorder r) {
        List<Map.Entry<String, Long>> lines = new ArrayList<>(r.stacks().entrySet());
        lines.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        StringBuilder b = new StringBuilder(lines.size() * 200);
        for (Map.Entry<String, Long> e : lines) {
            b.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        return b.toString();
    }

    static String json(ProfileRecorder r, String startedAt, long durationMillis, long operations) {
        long n = r.sample;
        StringBuilder b = new StringBuilder(1 << 16);
        b.append("{\"sample\":")
                .append(n)
                .append(",\"windowMicros\":")
                .append(r.windowNanos / 1000)
                .append(",\"startedAt\":")
                .append(Json.str(startedAt))
                .append(",\"durationMillis\":")
                .append(durationMillis)
                .append(",\"estimated\":")
                .append(n > 1)
                .append(",\"operations\":")
                .append(operations)
                .append(",\"samples\":")
                .append(r.samples.get());
        List<ProfileMap> maps = r.maps();
        long droppedBuckets = 0;
        for (ProfileMap m : maps) {
            synchronized (m) {
                droppedBuckets += m.droppedBuckets;
            }
        }
        b.append(",\"dropped\":{\"stacks\":")
                .append(r.droppedStacks.get())
                .append(",\"maps\":")
                .append(r.droppedMaps.get() + Math.max(0, maps.size() - MAX_MAPS))
                .append(",\"resizes\":")
                .append(r.droppedResizes.get())
                .append(",\"sameBucket\":")
                .append(r.droppedExamples.get())
                .append(",\"buckets\":")
                .append(droppedBuckets)
                .append('}');
        maps.sort(Comparator.comparingLong(ProfileMap::sampled)
                .reversed()
                .thenComparing(Comparator.comparingLong(ProfileMap::weight).reversed()));
        b.append(",\"maps\":[");
        for (int i = 0; i < maps.size() && i < MAX_MAPS; i++) {
            map(b.append(i == 0 ? "" : ","), maps.get(i), n);
        }
        b.append("],\"resizes\":[");
        List<ProfileRecorder.Resize> resizes = r.resizes();
        resizes.sort(Comparator.comparingLong(x -> x.startEpochNanos));
        for (int i = 0; i < resizes.size(); i++) {
            ProfileRecorder.Resize z = resizes.get(i);
            b.append(i == 0 ? "" : ",")
                    .append("{\"map\":")
                    .append(Json.str(z.map == null ? null : z.map.id))
                    .append(",\"label\":")
                    .append(Json.str(z.map == null ? null : z.map.label()))
                    .append(",\"kind\":")
                    .append(Json.str(z.kind))
                    .append(",\"oldCapacity\":")
                    .append(z.oldCapacity)
                    .append(",\"newCapacity\":")
                    .append(z.newCapacity)
                    .append(",\"bytes\":")
                    .append(z.bytes)
                    .append(",\"startEpochNanos\":")
                    .append(z.startEpochNanos)
                    .append(",\"durationNanos\":")
                    .append(z.durationNanos)
                    .append(",\"thread\":")
                    .append(Json.str(z.thread))
                    .append('}');
        }
        b.append("],\"sameBucket\":[");
        List<ProfileRecorder.Example> examples = r.examples();
        for (int i = 0; i < examples.size(); i++) {
            ProfileRecorder.Example e = examples.get(i);
            b.append(i == 0 ? "" : ",")
                    .append("{\"map\":")
                    .append(Json.str(e.map.id))
                    .append(",\"label\":")
                    .append(Json.str(e.map.label()))
                    .append(",\"bucket\":")
                    .append(e.bucket)
                    .append(",\"gapNanos\":")
                    .append(e.gapNanos)
                    .append(",\"epochNanos\":")
                    .append(e.epochNanos)
                    .append(",\"first\":");
            thread(b, e.firstThread, e.firstStack, "detection");
            b.append(",\"second\":");
            thread(b, e.secondThread, e.secondStack, "write");
            b.append('}');
        }
        return b.append("]}\n").toString();
    }

    private static void thread(StringBuilder b, String name, List<String> stack, String at) {
        b.append("{\"thread\":")
                .append(Json.str(name))
                .append(",\"stackAt\":")
                .append(Json.str(at))
                .append(",\"stack\":[");
        for (int i = 0; i < stack.size(); i++) {
            b.append(i == 0 ? "" : ",").append(Json.str(stack.get(i)));
        }
        b.append("]}");
    }

    private static void map(StringBuilder b, ProfileMap m, long n) {
        int capacity = m.capacity;
        b.append("{\"id\":")
                .append(Json.str(m.id))
                .append(",\"class\":")
                .append(Json.str(m.className))
                .append(",\"site\":")
                .append(Json.str(m.site))
                .append(",\"label\":")
                .append(Json.str(m.label()))
                .append(",\"capacity\":")
                .append(capacity)
                .append(",\"size\":")
                .append(m.size())
                .append(",\"ops\":{");
        for (int op = 0; op < ProfileGate.OPS.length; op++) {
            b.append(op == 0 ? "" : ",")
                    .append('"')
                    .append(ProfileGate.OPS[op])
                    .append("\":")
                    .append(m.ops.get(op) * n);
        }
        b.append("},\"samples\":")
                .append(m.sampled())
                .append(",\"writerThreads\":")
                .append(m.writerThreads());
        if (m.moreWriters()) {
            b.append(",\"writerThreadsCapped\":true");
        }
        b.append(",\"multiThreadWrites\":")
                .append(m.multiThreadWrites.get())
                .append(",\"sameBucketWrites\":")
                .append(m.sameBucketWrites.get())
                .append(",\"resizes\":")
                .append(m.resizes.get())
                .append(",\"resizeNanos\":")
                .append(m.resizeNanos.get())
                .append(",\"buckets\":[");
        long[][] buckets = m.buckets();
        java.util.Arrays.sort(
                buckets,
                Comparator.<long[]>comparingLong(x -> x[1])
                        .reversed()
                        .thenComparing(
                                Comparator.<long[]>comparingLong(x -> x[3]).reversed())
                        .thenComparingLong(x -> x[0]));
        for (int i = 0; i < buckets.length && i < TOP_BUCKETS; i++) {
            long[] x = buckets[i];
            b.append(i == 0 ? "" : ",")
                    .append("{\"bucket\":")
                    .append(x[0])
                    .append(",\"ops\":")
                    .append(x[1] * n)
                    .append(",\"writes\":")
                    .append(x[2] * n)
                    .append(",\"sameBucketWrites\":")
                    .append(x[3])
                    .append('}');
        }
        b.append("],\"heat\":[");
        int cap = Math.max(1, capacity);
        int cells = Math.min(cap, HEAT_CELLS);
        int k = cap / cells;
        long[] heat = new long[cells];
        for (long[] x : buckets) {
            heat[(int) ((x[0] % cap) / k)] += x[1] * n;
        }
        for (int i = 0; i < cells; i++) {
            b.append(i == 0 ? "" : ",").append(heat[i]);
        }
        b.append(']');
        if (k > 1) {
            b.append(",\"heatBucketsPerCell\":").append(k);
        }
        b.append('}');
    }
}
