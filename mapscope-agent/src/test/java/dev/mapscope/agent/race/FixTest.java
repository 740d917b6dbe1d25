package dev.mapscope.agent.race;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.agent.boot.race.Race;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fix recommended for each usage profile, and without one for each kind. */
class FixTest {
    private static final String HASH_MAP = "java.util.HashMap";
    private static final List<String> KINDS = List.of(
            Race.CONCURRENT,
            Race.UNSYNCHRONIZED,
            Race.CONCURRENT_READ,
            Race.UNSYNCHRONIZED_READ,
            Race.CONCURRENT_ITERATION,
            Race.UNSYNCHRONIZED_ITERATION);

    private static Usage usage(
            long reads, long writes, long iterations, int readers, int writers, long checkThenAct, boolean lru) {
        return new Usage(reads, writes, iterations, readers, writers, checkThenAct, lru, 1200);
    }

    @Test
    void readMostlyWithRareWrites() {
        Fix f = Fix.of(Race.UNSYNCHRONIZED_READ, HASH_MAP, null, usage(900, 10, 0, 8, 2, 0, false));
        assertThat(f.advice()).contains("ConcurrentHashMap", "SyncMap");
        assertThat(f.because())
                .isEqualTo("read-mostly: 900 reads, 10 writes (99% reads) from 8 reader and 2 writer threads in 1.2 s");
        assertThat(f.bench()).isEqualTo("mapscope bench --mix 99/1 --threads 8");
    }

    @Test
    void checkThenPut() {
        Fix f = Fix.of(Race.UNSYNCHRONIZED, HASH_MAP, null, usage(4000, 300, 0, 8, 8, 297, false));
        assertThat(f.advice()).contains("computeIfAbsent");
        assertThat(f.because()).startsWith("297 of 300 writes followed a miss of the same key");
        assertThat(f.bench()).isEqualTo("mapscope bench --mix 93/7 --threads 8");
        Fix set = Fix.of(Race.UNSYNCHRONIZED, HASH_MAP, "java.util.HashSet", usage(50, 40, 0, 4, 4, 12, false));
        assertThat(set.advice()).contains("ConcurrentHashMap.newKeySet()", "add()");
    }

    @Test
    void iterationDuringWrites() {
        Fix f = Fix.of(Race.CONCURRENT_ITERATION, HASH_MAP, null, usage(10, 50, 40, 2, 3, 0, false));
        assertThat(f.advice()).contains("weakly consistent", "a copy taken under the lock");
        assertThat(f.because())
                .startsWith("40 iterations while 3 threads wrote it; 10 reads, 40 iterations, 50 writes");
    }

    @Test
    void anAccessOrderedLruCache() {
        Fix f = Fix.of(Race.UNSYNCHRONIZED, "java.util.LinkedHashMap", null, usage(500, 500, 0, 6, 6, 0, true));
        assertThat(f.advice()).contains("one lock", "Caffeine");
        assertThat(f.because()).startsWith("an access-ordered LinkedHashMap (an LRU cache): 500 reads");
        assertThat(f.bench()).as("no safe map in the bench keeps access order").isNull();
    }

    @Test
    void aSortedMapOrSet() {
        assertThat(Fix.of(Race.CONCURRENT, "java.util.TreeMap", null, usage(5, 5, 0, 1, 2, 0, false))
                        .advice())
                .contains("ConcurrentSkipListMap");
        assertThat(Fix.of(Race.CONCURRENT, "java.util.TreeMap", "java.util.TreeSet", null)
                        .advice())
                .contains("ConcurrentSkipListSet");
    }

    @Test
    void writeHeavy() {
        Fix f = Fix.of(Race.CONCURRENT, HASH_MAP, null, usage(10, 90, 0, 2, 4, 0, false));
        assertThat(f.advice()).contains("ConcurrentHashMap", "ShardedMap");
        assertThat(f.because()).startsWith("write-heavy: 10 reads, 90 writes (10% reads) from 2 reader and 4 writer");
        assertThat(f.bench()).isEqualTo("mapscope bench --mix 10/90 --threads 4");
    }

    @Test
    void withoutAUsageEachKindHasItsOwnSentence() {
        Set<String> advice = new HashSet<>();
        Set<String> because = new HashSet<>();
        for (String kind : KINDS) {
            Fix f = Fix.of(kind, HASH_MAP, null, null);
            assertThat(f.advice()).as(kind).contains("ConcurrentHashMap");
            assertThat(f.bench()).as(kind).isNull();
            advice.add(f.advice());
            because.add(f.because());
        }
        assertThat(advice)
                .as("read, iteration, concurrent and unsynchronized writes differ")
                .hasSize(4);
        assertThat(because).hasSize(KINDS.size());
        for (String cls : List.of("java.util.WeakHashMap", "java.util.IdentityHashMap", "java.util.LinkedHashMap")) {
            for (String kind : KINDS) {
                assertThat(Fix.of(kind, cls, null, null).advice()).as(cls).contains("lock");
            }
        }
    }

    @Test
    void theFixIsInTheJsonAndTheText() {
        StackTraceElement[] stack = {
            new StackTraceElement("java.util.HashMap", "putVal", "HashMap.java", 1),
            new StackTraceElement("com.example.Gone", "put", "Gone.java", 3)
        };
        Finding f = Finding.of(new Race(
                Race.UNSYNCHRONIZED,
                new java.util.HashMap<>(),
                "putVal",
                1,
                1,
                Thread.currentThread(),
                stack,
                Thread.currentThread(),
                "putVal",
                stack,
                Race.AT_WRITE));
        assertThat(f.json()).contains("\"field\":null,\"fieldNote\":\"not named yet\"");
        f.usage(usage(900, 10, 0, 8, 2, 0, false));
        String text = f.text();
        assertThat(text)
                .contains("  field: unknown (no class file for com.example.Gone (a generated class?))\n")
                .contains("  fix: use a ConcurrentHashMap (reads take no lock)")
                .contains("       because: read-mostly: 900 reads, 10 writes (99% reads)")
                .contains("       compare: mapscope bench --mix 99/1 --threads 8\n");
        assertThat(f.json())
                .contains("\"field\":null,\"fieldNote\":\"no class file for com.example.Gone (a generated class?)\"")
                .contains("\"fix\":{\"advice\":\"use a ConcurrentHashMap")
                .contains("\"bench\":\"mapscope bench --mix 99/1 --threads 8\"}");
    }
}
