package dev.mapscope.cli.profile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import one.proto.Proto;

/**
 * Collapsed stacks as a gzipped pprof {@code Profile} (github.com/google/pprof, proto/profile.proto), written with
 * async-profiler's protobuf writer {@code one.proto.Proto}, as its own {@code JfrToPprof} does: one function and
 * one location per distinct frame name, samples leaf first (pprof's order; collapsed stacks are root first).
 */
final class CollapsedToPprof {
    /*
     * Field numbers of profile.proto used here. Profile: 1 sample_type, 2 sample, 3 mapping, 4 location,
     * 5 function, 6 string_table, 9 time_nanos, 10 duration_nanos, 11 period_type, 12 period, 13 comment,
     * 14 default_sample_type. ValueType: 1 type, 2 unit. Sample: 1 location_id (packed), 2 value. Mapping: 1 id,
     * 5 filename, 7 has_functions. Location: 1 id, 2 mapping_id, 4 line. Line: 1 function_id. Function: 1 id,
     * 2 name, 3 system_name. string_table[0] must be "".
     */

    private final Map<String, Integer> strings = new LinkedHashMap<>();
    /** Frame name to function id (also its location id: one location per function). */
    private final Map<String, Integer> functions = new LinkedHashMap<>();

    private final Proto profile = new Proto(1 << 16);

    private CollapsedToPprof() {
        strings.put("", 0);
    }

    /**
     * Writes {@code stacks} to {@code out} (gzipped). Each sample carries one value per entry of
     * {@code types} ({@code {type, unit}} pairs): the stack's count times the matching entry of {@code factors};
     * the last type is the one pprof shows by default.
     */
    static void write(
            Collapsed stacks,
            List<String[]> types,
            long[] factors,
            long startNanos,
            long durationNanos,
            String comment,
            Path out)
            throws IOException {
        CollapsedToPprof w = new CollapsedToPprof();
        byte[] bytes = w.encode(stacks, types, factors, startNanos, durationNanos, comment);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(out), 1 << 14)) {
            o.write(bytes);
        }
    }

    private byte[] encode(
            Collapsed stacks,
            List<String[]> types,
            long[] factors,
            long startNanos,
            long durationNanos,
            String comment) {
        for (String[] t : types) {
            profile.field(1, valueType(t[0], t[1]));
        }
        Proto sample = new Proto(256);
        for (Collapsed.Stack s : stacks.stacks()) {
            long packed = sample.startField(1, 3);
            List<String> frames = s.frames();
            for (int i = frames.size() - 1; i >= 0; i--) {
                sample.writeInt(function(frames.get(i)));
            }
            sample.commitField(packed);
            for (long f : factors) {
                sample.field(2, s.count() * f);
            }
            profile.field(2, sample);
            sample.reset();
        }
        profile.field(3, new Proto(32).field(1, 1).field(5, string("mapscope")).field(7, 1));
        for (Map.Entry<String, Integer> f : functions.entrySet()) {
            int id = f.getValue();
            profile.field(4, new Proto(16).field(1, id).field(2, 1).field(4, new Proto(8).field(1, id)));
        }
        for (Map.Entry<String, Integer> f : functions.entrySet()) {
            int name = string(f.getKey());
            profile.field(5, new Proto(16).field(1, f.getValue()).field(2, name).field(3, name));
        }
        int commentIndex = string(comment);
        int defaultType = string(types.get(types.size() - 1)[0]);
        for (String s : strings.keySet()) {
            profile.field(6, s);
        }
        profile.field(9, startNanos)
                .field(10, durationNanos)
                .field(13, commentIndex)
                .field(14, defaultType);
        byte[] out = new byte[profile.size()];
        System.arraycopy(profile.buffer(), 0, out, 0, out.length);
        return out;
    }

    private Proto valueType(String type, String unit) {
        return new Proto(16).field(1, string(type)).field(2, string(unit));
    }

    private int function(String name) {
        Integer id = functions.get(name);
        if (id == null) {
            id = functions.size() + 1; // ids start at 1: 0 means "none" in profile.proto
            functions.put(name, id);
        }
        return id;
    }

    private int string(String s) {
        Integer i = strings.get(s);
        if (i == null) {
            i = strings.size();
            strings.put(s, i);
        }
        return i;
    }
}
