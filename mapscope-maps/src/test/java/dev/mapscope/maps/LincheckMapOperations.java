package dev.mapscope.maps;

import java.util.HashMap;
import java.util.concurrent.ConcurrentMap;
import org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * The operations every safe map's Lincheck test drives, and the two Lincheck configurations they run under.
 *
 * <p>Keys 1..3 and values 1..3, so that threads collide on keys all the time. Every operation is a single-key
 * {@code ConcurrentMap} operation, the read-modify-write ones included ({@code replace(k, old, new)},
 * {@code compute}, {@code merge}): Lincheck runs random scenarios of 2 or 3 threads with a few operations each
 * and checks that every outcome matches some sequential order of the same operations on a plain
 * {@link java.util.HashMap} ({@link MapSequentialSpec}), which is what linearizability means. Model checking
 * explores thread switches at every shared-memory access and lock operation of the map's code, systematically,
 * up to a budget; stress runs the same scenarios on real threads.
 *
 * <p>Scope of the claim: the scenarios are small (at most 3 threads × 3 operations plus a prefix and suffix),
 * keys few, and the interleavings explored are a budgeted sample, not all of them; model checking assumes
 * sequential consistency, so a bug that needs a weaker memory model (a missing fence) is only caught, if at
 * all, by the stress runs. A pass is strong evidence, not a proof.
 */
@Param(name = "key", gen = org.jetbrains.lincheck.datastructures.IntGen.class, conf = "1:3")
@Param(name = "value", gen = org.jetbrains.lincheck.datastructures.IntGen.class, conf = "1:3")
public abstract class LincheckMapOperations {

    /**
     * Multiplies the number of scenarios: {@code -Dmapscope.lincheck.scale=20} for a long local run. The default
     * keeps the module's tests within a couple of minutes on 2 cores (CI).
     */
    static final int SCALE = Integer.getInteger("mapscope.lincheck.scale", 1);

    /** The map under test; a fresh one per scenario (Lincheck creates a new test instance each time). */
    abstract ConcurrentMap<Integer, Integer> map();

    @Operation
    public Integer get(@Param(name = "key") int key) {
        return map().get(key);
    }

    @Operation
    public Integer put(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map().put(key, value);
    }

    @Operation
    public Integer putIfAbsent(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map().putIfAbsent(key, value);
    }

    @Operation
    public Integer remove(@Param(name = "key") int key) {
        return map().remove(key);
    }

    @Operation
    public boolean removeValue(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map().remove(key, value);
    }

    @Operation
    public Integer replace(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map().replace(key, value);
    }

    @Operation
    public boolean replaceValue(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map().replace(key, value, value + 1);
    }

    @Operation
    public Integer computeIfAbsent(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map().computeIfAbsent(key, k -> value);
    }

    @Operation
    public Integer compute(@Param(name = "key") int key) {
        return map().compute(key, (k, v) -> v == null ? 1 : v == 3 ? null : v + 1);
    }

    @Operation
    public Integer merge(@Param(name = "key") int key, @Param(name = "value") int value) {
        return map().merge(key, value, Integer::sum);
    }

    /**
     * Model checking: systematic thread switches, budgeted. HashMap's methods are treated as atomic (no thread
     * switch inside them): every map here calls them under a lock or on a HashMap that no thread modifies any
     * more (SyncMap's read snapshot), so switching inside would only explore interleavings that cannot differ,
     * and it made the search about ten times slower. SyncMap's read table lookup is treated as atomic for the
     * same reason: it only reads an array and entry fields that no thread writes after the table is published.
     */
    static ModelCheckingOptions modelCheckingOptions() {
        return new ModelCheckingOptions()
                .iterations(5 * SCALE)
                .invocationsPerIteration(100)
                .addGuarantee(ManagedStrategyGuaranteeKt.forClasses(HashMap.class.getName())
                        .allMethods()
                        .treatAsAtomic())
                .addGuarantee(ManagedStrategyGuaranteeKt.forClasses(SyncMap.class.getName() + "$ReadOnly")
                        .methods("get")
                        .treatAsAtomic())
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1)
                .sequentialSpecification(MapSequentialSpec.class);
    }

    /** Stress: real threads, many runs per scenario. */
    static StressOptions stressOptions() {
        return new StressOptions()
                .iterations(5 * SCALE)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(2)
                .actorsAfter(1)
                .sequentialSpecification(MapSequentialSpec.class);
    }

    static void check(Class<?> testClass, org.jetbrains.lincheck.datastructures.Options<?, ?> options) {
        options.check(testClass);
    }
}
