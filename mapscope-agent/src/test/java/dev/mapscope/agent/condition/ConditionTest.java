package dev.mapscope.agent.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapscope.agent.condition.Subject.Name;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The language by example: values, precedence, regex, overflow, errors with their sentences and positions. */
class ConditionTest {
    private final Thread worker = new Thread(() -> {}, "worker-7");
    private final Map<String, Integer> map = new HashMap<>(Map.of("a", 1, "b", 2, "c", 3));
    private final Subject subject = new Subject().begin(worker, "put", map, "user:42", 3.5, 0x1234_5679, 17);

    private boolean eval(String source) {
        return Condition.parse(source).test(subject);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " :: ", textBlock = """
        bucket == 17 :: true
        17 == bucket :: true
        bucket != 17 :: false
        keyHash == 0x12345679 :: true
        keyHash == 305419897 :: true
        keyHash % 2 == 1 :: true
        keyHash & 0xff == 0x79 :: true
        keyHash >> 28 == 1 :: true
        1 << 4 == 16 :: true
        bucket * 2 + 1 == 35 :: true
        bucket - 20 == -3 :: true
        -bucket == -17 :: true
        bucket / 5 == 3 :: true
        -17 / 5 == -3 :: true
        -17 % 5 == -2 :: true
        6 ^ 3 == 5 :: true
        6 | 3 == 7 :: true
        bucket < 18 && bucket <= 17 && bucket > 16 && bucket >= 17 :: true
        bucket > 17 :: false
        thread.name == "worker-7" :: true
        thread.name != 'worker-7' :: false
        thread.name ~ "worker-.*" :: true
        thread.name ~ "ork" :: true
        thread.name ~ "^ork" :: false
        thread.name !~ "^main$" :: true
        thread.name ~ "\\d+$" :: true
        thread.id == thread.id :: true
        key == "user:42" :: true
        key ~ "^user:\\d+$" :: true
        value.class == "java.lang.Double" :: true
        map.size == 3 :: true
        map.class == "java.util.HashMap" :: true
        map.id ~ "^java\\.util\\.HashMap@[0-9a-f]+$" :: true
        op == "put" :: true
        op in ["get", "put"] :: true
        op in ["get", "remove"] :: false
        bucket in [1, 2, 17] :: true
        bucket in [-1, 2, 3] :: false
        bucket in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 17] :: true
        bucket in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] :: false
        true :: true
        false :: false
        !false :: true
        !(bucket == 17) :: false
        (bucket == 17) == (op == "put") :: true
        (bucket == 17) != true :: false
        """)
    void evaluates(String source, boolean expected) {
        assertThat(eval(source)).as(source).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " :: ", textBlock = """
        1 + 2 * 3 == 7 :: true
        (1 + 2) * 3 == 9 :: true
        10 - 4 - 3 == 3 :: true
        100 / 10 / 5 == 2 :: true
        2 * 3 % 4 == 2 :: true
        1 + 6 & 3 == 3 :: true
        1 | 2 & 0 == 1 :: true
        1 << 2 + 1 == 5 :: true
        -2 * 3 == -6 :: true
        --3 == 3 :: true
        true || false && false :: true
        (true || false) && false :: false
        !true || true :: true
        !(true || true) :: false
        false && false || true :: true
        """)
    void precedenceAndAssociativity(String source, boolean expected) {
        // Go's precedence: * / % << >> & bind tighter than + - | ^, which bind tighter than comparisons
        assertThat(eval(source)).as(source).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " :: ", textBlock = """
        0x7FFFFFFFFFFFFFFF + 1 == 0x8000000000000000 :: true
        0x7FFFFFFFFFFFFFFF + 1 < 0 :: true
        9223372036854775807 * 2 == -2 :: true
        -0x8000000000000000 == 0x8000000000000000 :: true
        0x8000000000000000 / -1 == 0x8000000000000000 :: true
        0xFFFFFFFFFFFFFFFF == -1 :: true
        0xFFFFFFFF == 4294967295 :: true
        1 << 64 == 1 :: true
        1 << 63 < 0 :: true
        -8 >> 1 == -4 :: true
        keyHash * 0x100000000 == 0x1234567900000000 :: true
        """)
    void integersAreSixtyFourBitAndWrap(String source, boolean expected) {
        assertThat(eval(source)).as(source).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " :: ", textBlock = """
        bucket / 0 == 1 :: false
        bucket / 0 != 1 :: false
        bucket % 0 == 0 :: false
        bucket % (bucket - 17) < 1 :: false
        bucket / (bucket - 17) >= 0 :: false
        !(bucket / 0 == 1) :: true
        bucket / 0 == 1 || bucket == 17 :: true
        bucket == 17 || bucket / 0 == 1 :: true
        bucket in [1] || 1 / 0 in [1] :: false
        bucket / (bucket - 16) == 17 :: true
        """)
    void divisionByZeroMakesItsComparisonFalse(String source, boolean expected) {
        assertThat(eval(source)).as(source).isEqualTo(expected);
    }

    @Test
    void namesUsedAreReported() {
        Condition c = Condition.parse("thread.name ~ \"worker-.*\" && bucket == 17 && keyHash % 2 == 0");
        assertThat(c.names()).containsExactlyInAnyOrder(Name.THREAD_NAME, Name.BUCKET, Name.KEY_HASH);
        assertThat(c.uses(Name.KEY)).isFalse();
        assertThat(c.mask()).isEqualTo(Name.THREAD_NAME.bit() | Name.BUCKET.bit() | Name.KEY_HASH.bit());
        assertThat(Condition.ALWAYS.test(subject)).isTrue();
        assertThat(Condition.ALWAYS.mask()).isZero();
        assertThat(c.source()).isEqualTo(c.toString()).startsWith("thread.name");
    }

    @Test
    void regexIsCompiledOnceAndFindsAnywhere() {
        Condition c = Condition.parse("key ~ 'ser:4'");
        assertThat(c.test(subject)).isTrue();
        subject.begin(worker, "get", map, "nobody", null, 1, 2);
        assertThat(c.test(subject)).isFalse();
        assertThat(Condition.parse("value.class == 'null'").test(subject)).isTrue();
        assertThat(Condition.parse("op == 'get'").test(subject)).isTrue();
    }

    @Test
    void stringEscapes() {
        subject.begin(worker, "put", map, "say \"hi\" \\o/", null, 0, 0);
        assertThat(eval("key == \"say \\\"hi\\\" \\\\o/\"")).isTrue();
        assertThat(eval("key == 'say \"hi\" \\\\o/'")).isTrue();
        // \\ is one backslash, so a regex that matches a backslash needs four in the condition
        assertThat(eval("key ~ '\\\\\\\\o/$'")).isTrue();
        assertThat(eval("key ~ '\\d'")).isFalse(); // \d stays as written: the regex for a digit
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " :: ", quoteCharacter = '`', textBlock = """
        `` :: 0 :: the condition is empty
        `   ` :: 0 :: the condition is empty
        `keyHash ~ "x"` :: 0 :: '~' matches a string against a pattern, but keyHash is an integer
        `thread.name > 3` :: 0 :: '>' works on integers, but thread.name is a string
        `bucket <= "3"` :: 10 :: '<=' works on integers, but "3" is a string
        `bukcet == 1` :: 0 :: unknown name 'bukcet'; did you mean bucket?
        `bucket == 1 && keyhash == 2` :: 15 :: unknown name 'keyhash'; did you mean keyHash?
        `thread.nmae == "x"` :: 0 :: unknown name 'thread.nmae'; did you mean thread.name?
        `hash == 1` :: 0 :: unknown name 'hash'; did you mean keyHash?
        `foo == 1` :: 0 :: unknown name 'foo'; the names are thread.name, thread.id, keyHash, bucket, key, value.class, map.size, map.class, map.id, op
        `thread.name.length > 3` :: 0 :: thread.name has no field 'length'; fields and methods are not part of the condition language
        `key.toString() == "x"` :: 0 :: calls are not part of the condition language: 'key.toString(...)' cannot be used
        `stack == 1` :: 0 :: stack can be captured but not tested in a condition
        `bucket == 1 foo` :: 12 :: unexpected 'foo' after a complete condition; join conditions with && or ||
        `bucket == 1 )` :: 12 :: ')' has no matching '('
        `(bucket == 1` :: 0 :: '(' is never closed
        `((bucket == 1)` :: 0 :: '(' is never closed
        `(bucket == 1 17` :: 13 :: expected ')' to close the '(' at 0 but found the number 17
        `bucket ==` :: 9 :: expected a name, a number, a string or '(' but found the end of the condition
        `bucket == 1 &&` :: 14 :: expected a name, a number, a string or '(' but found the end of the condition
        `== 1` :: 0 :: expected a name, a number, a string or '(' but found '=='
        `bucket = 1` :: 7 :: '=' is not an operator; write '==' to compare
        `bucket == 1 @` :: 12 :: unexpected character '@'
        `key == "abc` :: 7 :: the string starting here is never closed
        `key ~ "(ab"` :: 10 :: invalid pattern "(ab": unclosed group
        `key ~ "a**"` :: 9 :: invalid pattern "a**": dangling meta character '*'
        `key ~ "x[" && bucket == 1` :: 8 :: invalid pattern "x[": unclosed character class
        `key ~ bucket` :: 6 :: '~' needs a pattern in quotes on its right, e.g. thread.name ~ "worker-.*", but found 'bucket'
        `bucket` :: 0 :: the condition must be true or false, but bucket is an integer; compare it, e.g. bucket == 17
        `"put"` :: 0 :: the condition must be true or false, but "put" is a string; compare it, e.g. op == "put"
        `bucket + 1 && true` :: 0 :: '&&' joins conditions, but 'bucket + 1' is an integer; compare it, e.g. bucket == 17
        `true || key` :: 8 :: '||' joins conditions, but key is a string
        `bucket == 1 & op == "x"` :: 14 :: '&' works on integers, but op is a string
        `(bucket == 1) & (op == "x")` :: 0 :: '&' works on integers, but '(bucket == 1)' is a condition; write '&&' to join conditions
        `!bucket` :: 1 :: '!' negates a condition, but bucket is an integer
        `-op == 1` :: 1 :: '-' works on integers, but op is a string
        `thread.name == 3` :: 15 :: '==' compares two values of one type, but thread.name is a string and 3 is an integer
        `1 < bucket < 3` :: 11 :: comparisons do not chain; join them with &&, e.g. 1 <= bucket && bucket <= 3
        `bucket == 1 == true` :: 12 :: comparisons do not chain; join them with &&, e.g. 1 <= bucket && bucket <= 3
        `99999999999999999999 > 1` :: 0 :: integer 99999999999999999999 does not fit in 64 bits
        `0x1FFFFFFFFFFFFFFFF > 1` :: 0 :: integer 0x1FFFFFFFFFFFFFFFF does not fit in 64 bits
        `17abc == 1` :: 0 :: malformed number '17abc'
        `0x == 1` :: 0 :: malformed number '0x'
        `bucket in 17` :: 10 :: 'in' needs a list in brackets, e.g. bucket in [1, 2, 3], but found the number 17
        `bucket in []` :: 10 :: the list after 'in' is empty
        `bucket in [1, "a"]` :: 14 :: the list after 'in' holds integer literals only, like bucket, not the string "a"
        `op in ["a", 1]` :: 12 :: the list after 'in' holds string literals only, like op, not the number 1
        `bucket in [1, 2` :: 10 :: '[' is never closed
        `bucket in [1 2]` :: 13 :: expected ',' or ']' in the list but found the number 2
        `(bucket == 1) in [1]` :: 0 :: 'in' looks for a value in a list, but '(bucket == 1)' is a condition
        `in == 1` :: 0 :: expected a name, a number, a string or '(' but found 'in'
        """)
    void mistakesGetOneSentenceAndAPosition(String source, int position, String message) {
        assertThatThrownBy(() -> Condition.parse(source)).isInstanceOfSatisfying(ConditionException.class, e -> {
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.position()).as("position in %s", source).isEqualTo(position);
            assertThat(e.source()).isEqualTo(source);
        });
    }

    @Test
    void sizeAndDepthAreBounded() {
        // 99 comparisons joined by 98 ||: 100 levels (a comparison and its operands are two), accepted
        String longList = "bucket == 0" + " || bucket == 1".repeat(98);
        assertThat(Condition.parse(longList).test(subject)).isFalse();
        assertThat(Condition.parse("(".repeat(99) + "bucket == 17" + ")".repeat(99))
                        .test(subject))
                .isTrue();
        assertThat(Condition.parse("!".repeat(98) + "true").test(subject)).isTrue();

        assertThatThrownBy(() -> Condition.parse(longList + " || bucket == 2"))
                .hasMessage("the condition has more than 100 levels of operators; write long lists as 'in [...]'")
                .extracting(e -> ((ConditionException) e).position())
                .isEqualTo(longList.length() + 1);
        assertThatThrownBy(() -> Condition.parse("(".repeat(101) + "true" + ")".repeat(101)))
                .hasMessage("the condition nests deeper than 100 parentheses and unary operators")
                .extracting(e -> ((ConditionException) e).position())
                .isEqualTo(100);
        assertThatThrownBy(() -> Condition.parse("-".repeat(200) + "1 == 1"))
                .hasMessage("the condition nests deeper than 100 parentheses and unary operators");
        assertThatThrownBy(() -> Condition.parse("(".repeat(100_000)))
                .hasMessage("the condition is longer than 10000 characters")
                .extracting(e -> ((ConditionException) e).position())
                .isEqualTo(10_000);
    }

    @Test
    void caretPointsAtThePosition() {
        ConditionException e = (ConditionException) catchThrowable("bucket == 1 && bukcet == 2");
        assertThat(e.caret()).isEqualTo("bucket == 1 && bukcet == 2\n               ^");
    }

    @Test
    void nullSourceIsEmpty() {
        assertThat(catchThrowable(null)).hasMessage("the condition is empty");
    }

    private static Throwable catchThrowable(String source) {
        try {
            Condition.parse(source);
            return null;
        } catch (ConditionException e) {
            return e;
        }
    }
}
