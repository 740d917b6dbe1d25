package dev.mapscope.agent.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class JsonTimeTest {
    @Property
    void agreesWithInstantToMillisecondsFromYear1To9999(
            @ForAll @LongRange(min = -62_135_596_800_000L, max = 253_402_300_799_999L) long millis) {
        String t = Json.time(millis);
        assertThat(Instant.parse(t)).isEqualTo(Instant.ofEpochMilli(millis));
        assertThat(t).hasSize(24);
    }

    @Test
    void leapDaysCenturiesAndTheEpoch() {
        for (String s : new String[] {
            "1970-01-01T00:00:00.000Z",
            "1969-12-31T23:59:59.999Z",
            "2000-02-29T12:00:00.005Z",
            "1900-02-28T23:59:59.090Z",
            "1900-03-01T00:00:00.000Z",
            "2024-02-29T23:59:59.999Z",
            "2026-12-07T13:20:11.123Z",
            "2100-03-01T00:00:00.000Z"
        }) {
            assertThat(Json.time(Instant.parse(s).toEpochMilli())).isEqualTo(s);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        assertThat(Instant.parse(Json.time(now.toEpochMilli()))).isEqualTo(now);
    }
}
