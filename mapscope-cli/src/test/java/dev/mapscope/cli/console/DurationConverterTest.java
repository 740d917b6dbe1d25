package dev.mapscope.cli.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** One converter for every duration option, from nanoseconds to hours. */
class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @Test
    void everyUnitFromNanosecondsToHours() {
        assertThat(converter.convert("250ns")).isEqualTo(Duration.ofNanos(250));
        assertThat(converter.convert("500us")).isEqualTo(Duration.ofNanos(500_000));
        assertThat(converter.convert("500µs")).isEqualTo(Duration.ofNanos(500_000));
        assertThat(converter.convert("20ms")).isEqualTo(Duration.ofMillis(20));
        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert(" 5M ")).isEqualTo(Duration.ofMinutes(5));
        assertThat(converter.convert("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(converter.convert("90")).as("a bare number is seconds").isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void notADurationOrZeroIsOneSentence() {
        assertThatThrownBy(() -> converter.convert("ten"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'ten' is not a duration; write a whole number with ns, us, ms, s, m or h, for example"
                        + " 30s or 5m");
        assertThatThrownBy(() -> converter.convert("1d")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> converter.convert("0ms"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'0ms' is zero; give a duration longer than 0");
    }

    @Test
    void windowsTakeTheSameUnitsWithinOneMicrosecondAndOneMinute() {
        assertThat(DurationConverter.windowMicros("500us", "--window")).isEqualTo(500);
        assertThat(DurationConverter.windowMicros("1ms", "--window")).isEqualTo(1000);
        assertThat(DurationConverter.windowMicros("1m", "--window")).isEqualTo(60_000_000);
        assertThatThrownBy(() -> DurationConverter.windowMicros("999ns", "--window"))
                .hasMessage("--window must be between 1us and 60s, not '999ns'");
        assertThatThrownBy(() -> DurationConverter.windowMicros("2m", "--window"))
                .hasMessage("--window must be between 1us and 60s, not '2m'");
        assertThatThrownBy(() -> DurationConverter.windowMicros("fast", "--window"))
                .hasMessage("--window must be a whole number with ns, us, ms, s, m or h, for example 500us or 1ms,"
                        + " not 'fast'");
    }
}
