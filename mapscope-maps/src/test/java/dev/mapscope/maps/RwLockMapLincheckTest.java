package dev.mapscope.maps;

import java.util.concurrent.ConcurrentMap;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * RwLockMap is linearizable for the single-key operations of {@link LincheckMapOperations} and for
 * {@code size} (whole-map operations run under its one lock). Scope of the claim: see
 * {@link LincheckMapOperations}.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:3")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class RwLockMapLincheckTest extends LincheckMapOperations {
    private final RwLockMap<Integer, Integer> map = new RwLockMap<>();

    @Override
    ConcurrentMap<Integer, Integer> map() {
        return map;
    }

    @Operation
    public int size() {
        return map.size();
    }

    @Test
    void modelChecking() {
        check(RwLockMapLincheckTest.class, modelCheckingOptions());
    }

    @Test
    void stress() {
        check(RwLockMapLincheckTest.class, stressOptions());
    }
}
