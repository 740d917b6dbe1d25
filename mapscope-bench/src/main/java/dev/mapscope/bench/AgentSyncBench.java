package dev.mapscope.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What tier 2's happens-before model costs one thread's synchronisation: an uncontended monitor enter/exit
 * pair, a volatile read, a volatile write, without the agent and in each mode, side by side. In mode=full
 * this class is rewritten at attach like any application class (and so is JMH's harness, whose loop reads
 * a volatile flag after every call: {@code baseline} shows that share).
 *
 * <p>Run: {@code java -Dmapscope.agent.jar=mapscope-agent/target/mapscope-agent.jar -jar
 * mapscope-bench/target/benchmarks.jar AgentSyncBench -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Djdk.attach.allowAttachSelf=true")
public class AgentSyncBench {
    @Param({"none", "overlap", "full"})
    public String agent;

    private final Object lock = new Object();
    private int counter;
    private volatile int flag;

    @Setup
    public void setUp() throws Exception {
        AgentAttach.install(agent);
    }

    /** A plain field increment: the harness's own cost. */
    @Benchmark
    public int baseline() {
        return ++counter;
    }

    /** monitorenter and monitorexit of an object only this thread locks. */
    @Benchmark
    public int monitor() {
        synchronized (lock) {
            return ++counter;
        }
    }

    @Benchmark
    public int volatileRead() {
        return flag;
    }

    @Benchmark
    public void volatileWrite() {
        flag = ++counter;
    }
}
