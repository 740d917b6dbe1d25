package dev.mapscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe and probe-stop requests against a separately started JVM (docs/PROBES-AGENT.md). */
class ProbeIT {
    @TempDir
    Path dir;

    @Test
    void probeOnPutWritesHitsAndDisarmsAtItsLimit() throws Exception {
        try (ProbeSession s = ProbeSession.start(dir)) {
            String id = s.request("probe", "on=put", "map=field:dev.mapscope.agent.ProbeTarget.MAP",
                    "capture=thread,keyHash,bucket,key,value.class,map.size,stack", "limit=5", "stack=8");
            assertThat(s.file(id, "armed")).contains("\"on\":[\"put\"]").contains("\"java.util.HashMap\"");
            s.run("put 20");
            String done = s.file(id, "done");
            assertThat(done).contains("\"hits\":5").contains("\"reason\":\"limit\"")
                    .contains("the probe disarmed itself after its limit of 5 hits");
            List<String> hits = s.hits(id);
            assertThat(hits).hasSize(5);
            assertThat(hits.get(0)).startsWith("{\"n\":1,").contains("\"op\":\"put\"")
                    .contains("\"map\":\"java.util.HashMap@").contains("\"thread\":{\"name\":\"main\",\"id\":")
                    .contains("\"key\":\"k0\"").contains("\"value.class\":\"java.lang.Integer\"")
                    .contains("\"keyHash\":" + spread("k0".hashCode())).contains("\"map.size\":")
                    .contains("\"stack\":[\"java.util.HashMap.putVal(").contains("ProbeTarget.main(ProbeTarget.java:");
            assertThat(hits.get(4)).contains("\"n\":5,").contains("\"key\":\"k4\"");
            // OTHER is written in the same loop and was not selected
            assertThat(String.join("\n", hits)).doesNotContain("\"key\":\"o");
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
