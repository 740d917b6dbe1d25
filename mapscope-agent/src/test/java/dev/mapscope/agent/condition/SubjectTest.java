package dev.mapscope.agent.condition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.agent.condition.Subject.Name;
import java.lang.management.ManagementFactory;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The subject computes derived values only when a condition reaches them, once per operation, and never throws. */
class SubjectTest {
    private final Thread thread = new Thread(() -> {}, "worker-1");

    /** A key that counts its toString calls, and can be told to throw from it. */
    static final class CountingKey {
        final AtomicInteger calls = new AtomicInteger();
        final boolean fail;

        CountingKey(boolean fail) {
            this.fail = fail;
        }

        @Override
        public String toString() {
            calls.incrementAndGet();
            if (fail) {
                throw new IllegalStateException("no toString for you");
            }
            return "counted";
        }
    }

    /** A map that counts its size() calls. */
    static final class CountingMap extends AbstractMap<String, String> {
        final AtomicInteger sizes = new AtomicInteger();

        @Override
        public int size() {
            sizes.incrementAndGet();
            return 5;
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aConditionWithoutKeyNeverCallsToString() {
        CountingKey key = new CountingKey(true);
        Subject s = new Subject();
        Condition c = Condition.parse("thread.name ~ 'worker' && bucket == 17 && keyHash % 2 == 0 && map.size > 1");
        for (int i = 0; i < 100; i++) {
            c.test(s.begin(thread, "put", new HashMap<>(), key, null, i, 17));
        }
        assertThat(key.calls).hasValue(0);
        assertThat(c.uses(Name.KEY)).isFalse();
    }

    @Test
    void cheapTestsRunFirstSoAFalseOneSparesTheKey() {
        // written with the key first: the compiler moves the integer test ahead (&& is pure, see Compiler)
        CountingKey key = new CountingKey(false);
        CountingMap map = new CountingMap();
        Condition c = Condition.parse("key == 'counted' && map.size == 5 && bucket == 3");
        Subject s = new Subject();
        assertThat(c.test(s.begin(thread, "put", map, key, null, 0, 4))).isFalse();
        assertThat(key.calls).hasValue(0);
        assertThat(map.sizes).hasValue(0);
        assertThat(c.test(s.begin(thread, "put", map, key, null, 0, 3))).isTrue();
        assertThat(key.calls).hasValue(1);
        assertThat(map.sizes).hasValue(1);
    }

    @Test
    void derivedValuesAreComputedOncePerOperation() {
        CountingKey key = new CountingKey(false);
        CountingMap map = new CountingMap();
        Condition c =
                Condition.parse("(key == 'x' || key ~ 'count' || key in ['a', 'b']) && map.size + map.size == 10");
        Subject s = new Subject();
        assertThat(c.test(s.begin(thread, "put", map, key, null, 0, 0))).isTrue();
        assertThat(s.key()).isEqualTo("counted"); // the capture reads the same cached value
        assertThat(key.calls).hasValue(1);
        assertThat(map.sizes).hasValue(1);
        c.test(s.begin(thread, "get", map, key, null, 0, 0));
        assertThat(key.calls).hasValue(2);
        assertThat(map.sizes).hasValue(2);
    }

    @Test
    void aThrowingToStringIsDescribedNotRethrown() {
        Subject s = new Subject().begin(thread, "put", new HashMap<>(), new CountingKey(true), null, 0, 0);
        assertThat(Condition.parse("key ~ 'threw'").test(s)).isTrue();
        assertThat(s.key()).isEqualTo("<toString threw java.lang.IllegalStateException>");
    }

    @Test
    void keysAreCutTo200CharsWithoutSplittingASurrogatePair() {
        Subject s = new Subject().begin(thread, "put", null, "k".repeat(500), null, 0, 0);
        assertThat(s.key()).hasSize(Subject.KEY_CHARS);
        String emoji = "k".repeat(199) + "\uD83D\uDE00" + "tail";
        assertThat(s.begin(thread, "put", null, emoji, null, 0, 0).key()).isEqualTo("k".repeat(199));
        assertThat(s.begin(thread, "put", null, null, null, 0, 0).key()).isEqualTo("null");
        Object nullString = new Object() {
            @Override
            public String toString() {
                return null;
            }
        };
        assertThat(s.begin(thread, "put", null, nullString, null, 0, 0).key()).isEqualTo("<toString returned null>");
    }

    @Test
    void factsAsCapturesRead() {
        HashMap<String, Integer> map = new HashMap<>();
        map.put("a", 1);
        Subject s = new Subject().begin(thread, "remove", map, "a", 7L, -5, 9);
        assertThat(s.integer(Name.KEY_HASH)).isEqualTo(-5);
        assertThat(s.integer(Name.BUCKET)).isEqualTo(9);
        assertThat(s.integer(Name.MAP_SIZE)).isEqualTo(1);
        assertThat(s.integer(Name.THREAD_ID)).isEqualTo(thread.getId());
        assertThat(s.string(Name.THREAD_NAME)).isEqualTo("worker-1");
        assertThat(s.string(Name.VALUE_CLASS)).isEqualTo("java.lang.Long");
        assertThat(s.string(Name.MAP_CLASS)).isEqualTo("java.util.HashMap");
        assertThat(s.string(Name.MAP_ID))
                .isEqualTo("java.util.HashMap@" + Integer.toHexString(System.identityHashCode(map)));
        assertThat(s.string(Name.OP)).isEqualTo("remove");
        assertThat(s.string(Name.KEY)).isEqualTo("a");
        assertThat(new Subject()
                        .begin(thread, "put", "not a map", null, null, 0, 0)
                        .mapSize())
                .isEqualTo(-1);
    }

    @Test
    void aRenamedThreadIsSeenAtTheNextOperation() {
        Thread t = new Thread(() -> {}, "worker-1");
        Subject s = new Subject();
        Condition c = Condition.parse("thread.name ~ '^worker-'");
        assertThat(c.test(s.begin(t, "put", null, null, null, 0, 0))).isTrue();
        t.setName("main");
        assertThat(c.test(s.begin(t, "put", null, null, null, 0, 0))).isFalse();
        t.setName("worker-2");
        assertThat(c.test(s.begin(t, "put", null, null, null, 0, 0))).isTrue();
    }

    @Test
    void manyPatternsShareTheMemoCorrectly() {
        Subject s = new Subject();
        Condition[] cs = new Condition[7];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = Condition.parse("key ~ '^k" + i + "$' || thread.name ~ 'x" + i + "'");
        }
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < cs.length; k++) {
                s.begin(thread, "put", null, "k" + k, null, 0, 0);
                for (int i = 0; i < cs.length; i++) {
                    assertThat(cs[i].test(s)).as("k%d against %d", k, i).isEqualTo(i == k);
                }
            }
        }
    }

    @Test
    void aBacktrackingPatternIsAbandonedAndItsComparisonIsFalse() {
        Subject s = new Subject().begin(thread, "put", null, "a".repeat(30), null, 0, 0);
        // (.*a){12}b makes 1.6 billion reads of 30 a's (23 s, measured on JDK 17): abandoned after
        // Subject.MATCH_STEPS reads, and false both ways
        assertThat(Condition.parse("key ~ '(.*a){12}b'").test(s)).isFalse();
        assertThat(Condition.parse("key !~ '(.*a){12}b'").test(s)).isFalse();
        assertThat(Condition.parse("!(key ~ '(.*a){12}b')").test(s)).isTrue();
        // the subject is still usable, and ordinary quadratic finds over a full-length key complete
        s.begin(thread, "put", null, "x".repeat(199) + "z", null, 0, 0);
        assertThat(Condition.parse("key ~ '.*z.*'").test(s)).isTrue();
        assertThat(Condition.parse("key !~ 'y'").test(s)).isTrue();
    }

    /**
     * The hot path allocates nothing for integer-only conditions, nor for a regex over the thread's name once
     * its result is memoised. (The JMH figure with -prof gc is in docs/PERFORMANCE.md; this guards it.)
     */
    @Test
    void integerConditionsAllocateNothing() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Subject s = new Subject();
        HashMap<String, String> map = new HashMap<>();
        Condition ints =
                Condition.parse("bucket == 17 && keyHash % 2 == 0 || bucket in [1, 2, 3] && keyHash & 0xff != 0");
        Condition named =
                Condition.parse("thread.name ~ 'worker-.*' && bucket == 17 && keyHash % 2 == 0 && op == 'put'");
        Thread current = Thread.currentThread();
        String key = "k";
        int hits = run(ints, s, current, map, key) + run(named, s, current, map, key); // warm: first Matcher, classes
        long before = bean.getCurrentThreadAllocatedBytes();
        hits += run(ints, s, current, map, key);
        hits += run(named, s, current, map, key);
        long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        assertThat(hits).isPositive();
        assertThat(allocated).as("bytes allocated by 200,000 evaluations").isLessThan(1024);
    }

    private static int run(Condition c, Subject s, Thread t, Object map, Object key) {
        int hits = 0;
        for (int i = 0; i < 100_000; i++) {
            if (c.test(s.begin(t, "put", map, key, null, i * 0x9E3779B9, i & 63))) {
                hits++;
            }
        }
        return hits;
    }
}
