package dev.mapscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.agent.boot.race.MapWatch;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Installs, detaches and reinstalls the agent in this very JVM, several times (self-attach: the pom runs
 * this class with -Djdk.attach.allowAttachSelf=true). The maps keep working throughout, findings appear
 * only while it is installed.
 */
class ReloadIT {
    @Test
    void loadDetachReload() throws Exception {
        for (int round = 0; round < 4; round++) {
            Mapscope.install("stderr=false");
            Mapscope.install("stderr=false"); // a second install is a no-op
            assertThat(Mapscope.isInstalled()).isTrue();
            assertThat(MapWatch.enabled()).isTrue();
            Patterns.racySeed();
            assertThat(Mapscope.findings()).as("round " + round).isNotEmpty();
            checkMap();

            assertThat(Mapscope.detach()).isTrue();
            assertThat(Mapscope.detach()).isFalse();
            assertThat(MapWatch.enabled()).isFalse();
            int before = Mapscope.findings().size();
            Patterns.racySeed();
            assertThat(Mapscope.findings()).hasSize(before);
            checkMap();
        }
    }

    @Test
    void loadingTheJarTwiceIsHarmless() throws Exception {
        Mapscope.install("stderr=false");
        String pid = Long.toString(ProcessHandle.current().pid());
        Attach.load(pid, Jvm.agentJar().toString(), "stderr=false");
        assertThat(Mapscope.isInstalled()).isTrue();
        checkMap();
        Mapscope.detach();
    }

    private static void checkMap() {
        Map<Integer, Integer> m = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            m.put(i, i);
        }
        for (int i = 0; i < 10_000; i += 2) {
            m.remove(i);
        }
        assertThat(m).hasSize(5_000).containsEntry(9_999, 9_999).doesNotContainKey(0);
    }
}
