package dev.mapscope.maps;

import java.util.concurrent.ConcurrentMap;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * SyncMap is linearizable for its single-key operations: the ConcurrentMap ones of
 * {@link LincheckMapOperations} plus Go's {@code loadOrStore} and {@code loadAndDelete}, whose lock-free fast
 * paths and mutex slow paths (dirty promotion, expunge and unexpunge) interleave here. {@code size} is not
 * checked: it is documented as weakly consistent. Scope of the claim: see {@link LincheckMapOperations}.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:3")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class SyncMapLincheckTest extends LincheckMapOperations {
    private final SyncMap<Integer, Integer> map = new SyncMap<>();

    @Override
    ConcurrentMap<Integer, Integer> map() {
        return map;
    }

    @Operation
    public Integer loadOrStore(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map.loadOrStore(key, value);
    }

    @Operation
    public Integer loadAndDelete(@Param(name = "key") int key) {
        return map.loadAndDelete(key);
    }

    @Test
    void modelChecking() {
        check(SyncMapLincheckTest.class, modelCheckingOptions());
    }

    @Test
    void stress() {
        check(SyncMapLincheckTest.class, stressOptions());
    }
}
