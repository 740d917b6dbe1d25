package dev.mapscope.maps;

import java.util.concurrent.ConcurrentMap;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * SerialMap is linearizable for the single-key operations of {@link LincheckMapOperations} and for
 * {@code size}. Stress mode only: the model checker controls the threads of the scenario, not the map's own
 * owner thread, so it cannot explore the hand-off; the claim rests on real-thread runs (scope otherwise as in
 * {@link LincheckMapOperations}). Each scenario's map is closed after it ({@link #closeMap}), so the runs leave
 * no owner threads behind.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:3")
@Param(name = "value", gen = IntGen.class, conf = "1:3")
public class SerialMapLincheckTest extends LincheckMapOperations {
    private final SerialMap<Integer, Integer> map = new SerialMap<>();

    @Override
    ConcurrentMap<Integer, Integer> map() {
        return map;
    }

    @Operation
    public int size() {
        return map.size();
    }

    @Validate
    public void closeMap() {
        map.close();
    }

    @Test
    void stress() {
        check(SerialMapLincheckTest.class, stressOptions());
    }
}
