package dev.mapscope.agent.profile;

import java.io.IOException;
import java.nio.file.Path;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The profile's JFR side: three custom events ({@code dev.mapscope.Resize}, {@code dev.mapscope.SameBucketWrite},
 * {@code dev.mapscope.MapSample}) and the recording the agent runs for the profile's duration, with the JDK's
 * GC and allocation-sample events beside them. The event classes live here, in the tooling part: the boot
 * part reaches them only through {@link dev.mapscope.agent.boot.profile.ProfileSink}.
 */
final class ProfileEvents {
    private final Recording recording;
    private final Path file;

    private ProfileEvents(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    /**
     * Starts a recording that is written to {@code file} when it stops (or, if the JVM exits first, by
     * JFR's own exit hook).
     */
    static ProfileEvents start(String name, Path file) throws IOException {
        Recording r = new Recording();
        r.setName(name);
        r.enable("jdk.GarbageCollection");
        r.enable("jdk.GCHeapSummary");
        r.enable("jdk.ObjectAllocationSample").with("throttle", "150/s");
        r.enable(Resize.class).withoutStackTrace(); // one per resize: the flame graph has their (sampled) stacks
        r.enable(SameBucketWrite.class).withStackTrace();
        r.enable(MapSample.class).withStackTrace();
        r.setToDisk(true);
        r.setDestination(file);
        r.setDumpOnExit(true);
        r.start();
        // Initialise the event classes here, on the control thread, before any advice exists. First used from a
        // sampled map operation, an event class's initialisation takes JFR's metadata lock while a JFR thread
        // that holds that lock may be inside an advised HashMap waiting for the same initialisation: the
        // profiled JVM hung that way (seen twice with `run --profile` and with attach).
        new Resize().isEnabled();
        new SameBucketWrite().isEnabled();
        new MapSample().isEnabled();
        return new ProfileEvents(r, file);
    }

    /**
     * Stops the recording, which writes the file, and closes it; true if this call wrote it. False when
     * JFR's exit hook stopped it first: that hook is then writing the file and closes the recording itself,
     * so this one leaves it alone (closing it under the hook broke the hook's write).
     */
    boolean stop() {
        try {
            recording.stop();
        } catch (IllegalStateException e) {
            return false;
        }
        try {
            recording.close();
        } catch (RuntimeException e) {
            // closed by JFR's exit hook meanwhile
        }
        return true;
    }

    Path file() {
        return file;
    }

    void resize(
            String mapId,
            String mapClass,
            String label,
            String kind,
            int oldCapacity,
            int newCapacity,
            long bytes,
            long durationNanos) {
        Resize e = new Resize();
        if (e.isEnabled()) {
            e.mapId = mapId;
            e.mapClass = mapClass;
            e.label = label;
            e.kind = kind;
            e.oldCapacity = oldCapacity;
            e.newCapacity = newCapacity;
            e.bytes = bytes;
            e.resizeDuration = durationNanos;
            e.commit();
        }
    }

    void sameBucket(String mapId, String mapClass, String label, int bucket, String otherThread, long gapNanos) {
        SameBucketWrite e = new SameBucketWrite();
        if (e.isEnabled()) {
            e.mapId = mapId;
            e.mapClass = mapClass;
            e.label = label;
            e.bucket = bucket;
            e.otherThread = otherThread;
            e.gapNanos = gapNanos;
            e.commit();
        }
    }

    void sample(String mapId, String mapClass, String label, String operation, int bucket) {
        MapSample e = new MapSample();
        if (e.isEnabled()) {
            e.mapId = mapId;
            e.mapClass = mapClass;
            e.label = label;
            e.operation = operation;
            e.bucket = bucket;
            e.commit();
        }
    }

    @Name("dev.mapscope.Resize")
    @Label("Map Resize")
    @Category("mapscope")
    @Description("A hash map's table grew: HashMap.resize, ConcurrentHashMap.transfer, or a step of GoMap's grow")
    @StackTrace(true)
    static final class Resize extends Event {
        @Label("Map Id")
        String mapId;

        @Label("Map Class")
        String mapClass;

        @Label("Map")
        String label;

        @Label("Kind")
        String kind;

        @Label("Old Capacity")
        int oldCapacity;

        @Label("New Capacity")
        int newCapacity;

        @Label("Bytes")
        @DataAmount
        long bytes;

        @Label("Resize Duration")
        @Timespan(Timespan.NANOSECONDS)
        long resizeDuration;
    }

    @Name("dev.mapscope.SameBucketWrite")
    @Label("Same-Bucket Write")
    @Category("mapscope")
    @Description("Two threads wrote the same bucket of one map within the profile's window")
    @StackTrace(true)
    static final class SameBucketWrite extends Event {
        @Label("Map Id")
        String mapId;

        @Label("Map Class")
        String mapClass;

        @Label("Map")
        String label;

        @Label("Bucket")
        int bucket;

        @Label("Other Thread")
        String otherThread;

        @Label("Gap")
        @Timespan(Timespan.NANOSECONDS)
        long gapNanos;
    }

    @Name("dev.mapscope.MapSample")
    @Label("Map Operation Sample")
    @Category("mapscope")
    @Description("One sampled operation on a hash map (one in N per thread)")
    @StackTrace(true)
    static final class MapSample extends Event {
        @Label("Map Id")
        String mapId;

        @Label("Map Class")
        String mapClass;

        @Label("Map")
        String label;

        @Label("Operation")
        String operation;

        @Label("Bucket")
        int bucket;
    }
}
