package dev.mapscope.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inspect request against a separately started JVM: tables read live, and every mistake in one sentence. */
class InspectIT {
    private static final String T = "dev.mapscope.agent.ProbeTarget.";

    @TempDir
    Path dir;

    @Test
    void inspectsLiveTables() throws Exception {
        try (ProbeSession s = ProbeSession.start(dir)) {
            s.run("collide");
            String id = s.request("inspect", "field=" + T + "COLLIDING");
            String json = s.file(id, "json");
            assertThat(s.file(id, "done")).isNotEmpty();
            // 64 buckets: 5 keys chained in bucket 1, 12 in a tree bin in bucket 2, one each in 3, 4, 5
            assertThat(json)
                    .contains("\"class\":\"java.util.HashMap\"")
                    .contains("\"kind\":\"tree-bins\"")
                    .contains("\"size\":20,")
                    .contains("\"capacity\":64,")
                    .contains("\"threshold\":48,")
                    .contains("\"chains\":[0,5,12,1,1,1,0,0,")
                    .contains("\"trees\":[2]")
                    .contains("\"empty\":59,")
                    .contains("\"longest\":12,")
                    .contains("\"consistent\":true");
            String mapId = json.substring(json.indexOf("\"map\":\"") + 7).split("\"")[0];
            assertThat(mapId).startsWith("java.util.HashMap@");

            // the id is known now (inspect remembers the maps it read): inspect map=ID reads the same table
            String again = s.request("inspect", "map=" + mapId);
            assertThat(s.file(again, "json")).contains("\"chains\":[0,5,12,1,1,1,0,0,");

            s.run("chm 100");
            String chm = s.request("inspect", "field=" + T + "CHM");
            assertThat(s.file(chm, "json"))
                    .contains("\"kind\":\"concurrent\"")
                    .contains("\"size\":100,")
                    .contains("\"capacity\":256,")
                    .contains("\"resizing\":false");

            String grow = s.run("gogrow");
            assertThat(grow).contains("growing");
            String go = s.request("inspect", "field=" + T + "GO");
            String goJson = s.file(go, "json");
            assertThat(goJson)
                    .contains("\"kind\":\"gomap\"")
                    .contains("\"go\":{\"B\":")
                    .contains("\"growing\":true")
                    .contains("\"oldTophash\":[[")
                    .contains("\"tophash\":[[")
                    .contains("\"consistent\":true");
            int b = Integer.parseInt(
                    goJson.substring(goJson.indexOf("\"B\":") + 4).split(",")[0]);
            int oldB = Integer.parseInt(
                    goJson.substring(goJson.indexOf("\"oldB\":") + 7).split(",")[0]);
            assertThat(oldB).isEqualTo(b - 1);
            assertThat(goJson).contains("\"capacity\":" + (1 << b) + ",");

            String inner = s.request("inspect", "field=" + T + "HOLDER.inner");
            assertThat(s.file(inner, "json")).contains("\"size\":1,");
        }
    }

    @Test
    void mistakesGetOneSentence() throws Exception {
        try (ProbeSession s = ProbeSession.start(dir)) {
            assertThat(error(s, "field=com.example.Missing.MAP"))
                    .isEqualTo(
                            "no class loaded in this JVM matches"
                                    + " field=com.example.Missing.MAP (the path is CLASS.STATICFIELD[.FIELD...] and the class must be loaded)");
            assertThat(error(s, "field=" + T + "NOPE"))
                    .isEqualTo("class dev.mapscope.agent.ProbeTarget has no field NOPE (field=" + T + "NOPE)");
            assertThat(error(s, "field=" + T + "NOT_A_MAP"))
                    .isEqualTo("field " + T + "NOT_A_MAP holds a java.lang.String, not a map");
            assertThat(error(s, "field=" + T + "nullMap"))
                    .isEqualTo("field " + T + "nullMap is null (field=" + T + "nullMap)");
            assertThat(error(s, "field=" + T + "HOLDER.outer"))
                    .isEqualTo("class dev.mapscope.agent.ProbeTarget$Holder" + " has no instance field outer (field="
                            + T + "HOLDER.outer)");
            assertThat(error(s, "map=java.util.HashMap@1234"))
                    .isEqualTo("no map with id java.util.HashMap@1234 is known"
                            + " to the agent: ids come from findings, profiles or probes of this session");
            assertThat(error(s, "size=3")).isEqualTo("inspect has no argument size (in size=3)");
            assertThat(error(s))
                    .isEqualTo("inspect needs exactly one of field=CLASS.STATICFIELD[.FIELD...] and map=MAPID");
        }
    }

    private static String error(ProbeSession s, String... args) throws Exception {
        String id = s.request("inspect", args);
        return s.file(id, "error").strip();
    }
}
