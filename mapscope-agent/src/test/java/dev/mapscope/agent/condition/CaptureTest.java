package dev.mapscope.agent.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapscope.agent.condition.Subject.Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CaptureTest {
    @Test
    void namesComeInTheirFixedOrderWithoutRepeats() {
        Capture c = Capture.parse(" stack, key ,thread,keyHash,bucket , key");
        assertThat(c.names())
                .containsExactly(Name.THREAD_NAME, Name.THREAD_ID, Name.KEY_HASH, Name.BUCKET, Name.KEY, Name.STACK);
        assertThat(c.uses(Name.STACK)).isTrue();
        assertThat(c.uses(Name.MAP_SIZE)).isFalse();
        assertThat(c.mask() & Name.KEY.bit()).isNotZero();
        assertThat(Capture.parse("value.class,map.size,map.id,map.class,op,thread.name,thread.id")
                        .names())
                .hasSize(7);
        assertThat(Capture.DEFAULT.names())
                .containsExactly(Name.THREAD_NAME, Name.THREAD_ID, Name.KEY_HASH, Name.BUCKET, Name.OP);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " :: ", quoteCharacter = '`', textBlock = """
        ``                   :: 0  :: the capture list is empty; the names are thread, thread.name, thread.id, keyHash, bucket, key, value.class, map.size, map.class, map.id, op, stack
        `key,,bucket`        :: 4  :: empty name in the capture list
        `key,`               :: 4  :: empty name in the capture list
        `key, bukcet`        :: 5  :: unknown capture 'bukcet'; did you mean bucket?
        `thread, keyhash`    :: 8  :: unknown capture 'keyhash'; did you mean keyHash?
        `stak`               :: 0  :: unknown capture 'stak'; did you mean stack?
        `everything`         :: 0  :: unknown capture 'everything'; the names are thread, thread.name, thread.id, keyHash, bucket, key, value.class, map.size, map.class, map.id, op, stack
        """)
    void mistakesGetOneSentenceAndAPosition(String list, int position, String message) {
        assertThatThrownBy(() -> Capture.parse(list)).isInstanceOfSatisfying(ConditionException.class, e -> {
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.position()).isEqualTo(position);
        });
    }
}
