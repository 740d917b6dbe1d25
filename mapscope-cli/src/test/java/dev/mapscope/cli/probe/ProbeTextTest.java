package dev.mapscope.cli.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** How a hit in the contract's format reads on the terminal. */
class ProbeTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aHitIsOneLineWithItsStackIndentedAndCapped() throws Exception {
        String hit = "{\"n\":3,\"op\":\"put\",\"map\":\"java.util.HashMap@1b6d3586\",\"thread\":{\"name\":\"writer-2\","
                + "\"id\":31},\"keyHash\":273,\"bucket\":17,\"key\":\"273\",\"map.size\":100,"
                + "\"stack\":[\"a.B.c(B.java:1)\",\"a.B.d(B.java:2)\",\"a.B.e(B.java:3)\"]}";
        String text = ProbeText.hit(JSON.readTree(hit), 2);
        assertThat(text)
                .isEqualTo("#3  put  HashMap@1b6d3586 (size 100)  bucket 17  keyHash 273  key \"273\""
                        + "  thread \"writer-2\" (id 31)\n"
                        + "      at a.B.c(B.java:1)\n"
                        + "      at a.B.d(B.java:2)\n"
                        + "      ... 1 more\n");
    }

    @Test
    void aSameBucketPairShowsBothThreads() throws Exception {
        String hit = "{\"n\":1,\"op\":\"put\",\"thread\":{\"name\":\"w-1\",\"id\":31},\"bucket\":17,"
                + "\"stack\":[\"x.Y.put(Y.java:9)\"],\"sameBucket\":{\"gapNanos\":8200,"
                + "\"thread\":{\"name\":\"w-2\",\"id\":32},\"stack\":[\"x.Y.put(Y.java:9)\"],\"stackAt\":\"now\"}}";
        assertThat(ProbeText.hit(JSON.readTree(hit), 8))
                .isEqualTo("#1  put  bucket 17  thread \"w-1\" (id 31)\n"
                        + "      at x.Y.put(Y.java:9)\n"
                        + "    the same bucket was written 8.2 \u00b5s earlier by thread \"w-2\" (id 32); its stack at this hit (not at"
                        + " its write):\n"
                        + "      at x.Y.put(Y.java:9)\n");
    }

    @Test
    void unknownFieldsAreShownAndKeysAreEscaped() throws Exception {
        String hit = "{\"n\":1,\"key\":\"a\\\"b\\nc\\u001b\",\"map.capacity\":256,\"thread.name\":\"t\"}";
        assertThat(ProbeText.hit(JSON.readTree(hit), 8))
                .isEqualTo("#1  key \"a\\\"b\\nc\\u001b\"  thread \"t\"  map.capacity=256\n");
    }

    @Test
    void durations() {
        assertThat(ProbeText.nanos(820)).isEqualTo("820 ns");
        assertThat(ProbeText.nanos(8_200)).isEqualTo("8.2 \u00b5s");
        assertThat(ProbeText.nanos(1_300_000)).isEqualTo("1.3 ms");
        assertThat(ProbeText.nanos(2_100_000_000L)).isEqualTo("2.1 s");
    }
}
