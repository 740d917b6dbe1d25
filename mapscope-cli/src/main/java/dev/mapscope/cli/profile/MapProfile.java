package dev.mapscope.cli.profile;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.render.HeatMap;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The agent's map profile, {@code ID.json} or {@code run.json}, as the agent's profile request writes it (maps by
 * operations, their top buckets and heat, resizes, same-bucket examples); fields this reader does not know are
 * ignored, missing ones read as zero or empty.
 */
record MapProfile(
        long sample,
        long windowMicros,
        String startedAt,
        long durationMillis,
        boolean estimated,
        long operations,
        long samples,
        Map<String, Long> dropped,
        List<MapEntry> maps,
        List<Resize> resizes,
        List<SameBucket> sameBucket) {

    /** One profiled map; {@code heat} holds its operations per bucket, folded {@code heatBucketsPerCell} to a cell. */
    record MapEntry(
            String id,
            @JsonProperty("class") String className,
            String site,
            String label,
            long capacity,
            long size,
            Map<String, Long> ops,
            long writerThreads,
            long multiThreadWrites,
            long sameBucketWrites,
            long resizes,
            long resizeNanos,
            List<Bucket> buckets,
            long[] heat,
            int heatBucketsPerCell) {
        long totalOps() {
            return ops == null
                    ? 0
                    : ops.values().stream().mapToLong(Long::longValue).sum();
        }

        HeatMap heatMap() {
            return new HeatMap(heat == null ? new long[0] : heat, Math.max(1, heatBucketsPerCell), "ops");
        }
    }

    record Bucket(long bucket, long ops, long writes, long sameBucketWrites) {}

    record Resize(
            String map,
            String label,
            String kind,
            long oldCapacity,
            long newCapacity,
            long bytes,
            long startEpochNanos,
            long durationNanos,
            String thread) {}

    record SameBucket(String map, String label, long bucket, long gapNanos, Side first, Side second) {}

    record Side(String thread, List<String> stack) {}

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** Reads {@code file}; a file that is not such a profile is a {@link UserError} naming it. */
    static MapProfile read(Path file) throws IOException {
        try {
            MapProfile p = JSON.readValue(file.toFile(), MapProfile.class);
            return new MapProfile(
                    p.sample,
                    p.windowMicros,
                    p.startedAt,
                    p.durationMillis,
                    p.estimated,
                    p.operations,
                    p.samples,
                    p.dropped == null ? Map.of() : p.dropped,
                    p.maps == null ? List.of() : p.maps,
                    p.resizes == null ? List.of() : p.resizes,
                    p.sameBucket == null ? List.of() : p.sameBucket);
        } catch (JacksonException e) {
            throw new UserError(file + " is not a map profile written by the agent: " + e.getOriginalMessage());
        }
    }

    /** When the profile started, in epoch nanoseconds (0 when the agent did not say). */
    long startEpochNanos() {
        if (startedAt == null) {
            return 0;
        }
        try {
            Instant i = Instant.parse(startedAt);
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        } catch (java.time.format.DateTimeParseException e) {
            return 0;
        }
    }

    long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }
}
