package dev.mapscope.maps;

import java.util.concurrent.ConcurrentMap;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * ShardedMap is linearizable for the single-key operations of {@link LincheckMapOperations}. Two shards for
 * three keys, so that some keys share a shard and some do not. {@code size} is not checked: it is documented
 * as not atomic (it adds per-shard counts taken at different instants). Scope of the claim: see
 * {@link LincheckMapOperations}.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:3")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class ShardedMapLincheckTest extends LincheckMapOperations {
    private final ShardedMap<Integer, Integer> map = new ShardedMap<>(2);

    @Override
    ConcurrentMap<Integer, Integer> map() {
        return map;
    }

    @Test
    void modelChecking() {
        check(ShardedMapLincheckTest.class, modelCheckingOptions());
    }

    @Test
    void stress() {
        check(ShardedMapLincheckTest.class, stressOptions());
    }
}
