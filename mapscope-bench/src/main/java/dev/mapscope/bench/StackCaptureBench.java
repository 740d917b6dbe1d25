package dev.mapscope.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What it would cost the same-bucket detector to keep each probed write's stack (so that a detection could
 * show the earlier writer's stack as of its write): a 16-frame StackWalker walk and a full
 * Thread.getStackTrace, each from a call depth of about 20 frames as in an application. Compared with the
 * detector's per-write check (nanoseconds), this decides what the detector records (docs/PROBES-AGENT.md).
 *
 * <p>Run: {@code java -jar mapscope-bench/target/benchmarks.jar StackCaptureBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class StackCaptureBench {
    static final int DEPTH = 20;
    private static final StackWalker WALKER = StackWalker.getInstance();

    @Benchmark
    public Object walk16() {
        return nest(DEPTH, true);
    }

    @Benchmark
    public Object getStackTrace() {
        return nest(DEPTH, false);
    }

    private static Object nest(int depth, boolean walker) {
        if (depth > 0) {
            return nest(depth - 1, walker);
        }
        if (walker) {
            List<StackWalker.StackFrame> frames = WALKER.walk(s -> s.limit(16).collect(Collectors.toList()));
            return frames;
        }
        return Thread.currentThread().getStackTrace();
    }
}
