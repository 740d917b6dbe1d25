package dev.mapscope.bench;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelVariableResolver;
import dev.mapscope.agent.condition.Condition;
import dev.mapscope.agent.condition.Subject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.jexl3.JexlBuilder;
import org.apache.commons.jexl3.JexlContext;
import org.apache.commons.jexl3.JexlEngine;
import org.apache.commons.jexl3.JexlExpression;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one probe condition costs per map operation: mapscope's condition language (parsed and compiled to a
 * tree of specialised nodes) beside Apache Commons JEXL 3 and Google's CEL-Java evaluating the same
 * condition over the same facts, and a hand-written Java test as the floor. Each invocation starts a new
 * operation on the {@link Subject} (as the agent's advice does) and evaluates the condition once; facts
 * cycle through 1024 seeded operations, so that a test like {@code bucket == 17} is mostly false, as a
 * probe's condition is on most operations.
 *
 * <p>All three read the facts lazily from the same Subject (JEXL through a {@link JexlContext}, CEL through a
 * {@link CelVariableResolver}), so derived strings are computed the same way for each. JEXL's {@code =~} is
 * a full match and would compile a string pattern at each evaluation, so it gets a precompiled
 * {@link Pattern} from its context; CEL's {@code matches} and mapscope's {@code ~} find a match anywhere.
 *
 * <p>{@code mapscopePolluted} is mapscope's tree after every condition below has run in the same JVM, so
 * the JIT sees many node classes at each call site (an agent that has armed several probes), not one.
 *
 * <p>Run: {@code java -jar mapscope-bench/target/benchmarks.jar ConditionBench -f 1 -wi 3 -i 5 -w 1s -r 1s}
 * (add {@code -prof gc} for the allocation per evaluation). Besides the wall-clock score, each benchmark
 * reports its thread's CPU time per operation ({@link Cpu}), which is what to compare on a busy machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ConditionBench {
    static final int OPS = 1024;

    /** One condition in each language: mapscope, JEXL, CEL. */
    static final Map<String, String[]> CONDITIONS = Map.of(
            "ints",
                    new String[] {
                        "bucket == 17 && keyHash % 2 == 0",
                        "bucket == 17 && keyHash % 2 == 0",
                        "bucket == 17 && keyHash % 2 == 0"
                    },
            "typical",
                    new String[] {
                        "thread.name ~ \"worker-.*\" && bucket == 17 && keyHash % 2 == 0",
                        "threadName =~ workerPattern && bucket == 17 && keyHash % 2 == 0",
                        "threadName.matches(\"worker-.*\") && bucket == 17 && keyHash % 2 == 0"
                    },
            "key", new String[] {"key ~ \"^user:1[0-9]$\"", "key =~ keyPattern", "key.matches(\"^user:1[0-9]$\")"},
            "in",
                    new String[] {
                        "op in [\"remove\", \"clear\"] || bucket in [3, 17, 40]",
                        "op =~ ['remove', 'clear'] || bucket =~ [3, 17, 40]",
                        "op in [\"remove\", \"clear\"] || bucket in [3, 17, 40]"
                    });

    @Param({"ints", "typical", "key", "in"})
    public String condition;

    private final Subject subject = new Subject();
    private final Map<String, Integer> map = new HashMap<>();
    private final int[] hashes = new int[OPS];
    private final String[] keys = new String[OPS];
    /** boxed once, so that the harness allocates nothing per operation */
    private final Integer[] values = new Integer[OPS];

    private Thread thread;
    private int i;
    /** index of {@link #condition} in the @Param list, for the hand-written floor */
    private int shape;

    private final Matcher workerMatcher = Pattern.compile("worker-.*").matcher("");
    private final Matcher keyMatcher = Pattern.compile("^user:1[0-9]$").matcher("");

    private Condition mapscope;
    private JexlExpression jexl;
    private JexlContext jexlContext;
    private CelRuntime.Program cel;
    private CelVariableResolver celVariables;

    @Setup
    public void setUp() throws Exception {
        thread = Thread.currentThread();
        thread.setName("worker-3");
        SplittableRandom r = new SplittableRandom(42);
        for (int k = 0; k < OPS; k++) {
            hashes[k] = r.nextInt();
            keys[k] = "user:" + k;
            values[k] = k;
            map.put(keys[k], k);
        }
        shape = List.of("ints", "typical", "key", "in").indexOf(condition);
        String[] sources = CONDITIONS.get(condition);
        mapscope = Condition.parse(sources[0]);

        JexlEngine engine =
                new JexlBuilder().strict(true).silent(false).cache(64).create();
        jexl = engine.createExpression(sources[1]);
        jexlContext = new SubjectContext(subject);

        CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
                .addVar("threadName", SimpleType.STRING)
                .addVar("key", SimpleType.STRING)
                .addVar("op", SimpleType.STRING)
                .addVar("bucket", SimpleType.INT)
                .addVar("keyHash", SimpleType.INT)
                .build();
        cel = CelRuntimeFactory.standardCelRuntimeBuilder()
                .build()
                .createProgram(compiler.compile(sources[2]).getAst());
        celVariables = this::celVariable;

        // The three must agree on every operation before their speed means anything.
        for (int k = 0; k < OPS; k++) {
            next();
            boolean expected = mapscope.test(subject);
            if (expected != (Boolean) jexl.evaluate(jexlContext)
                    || expected != (Boolean) cel.eval(celVariables)
                    || expected != javaTest(subject)) {
                throw new IllegalStateException(condition + " disagrees at operation " + k);
            }
        }
    }

    private Optional<Object> celVariable(String name) {
        switch (name) {
            case "threadName":
                return Optional.of(subject.threadName());
            case "key":
                return Optional.of(subject.key());
            case "op":
                return Optional.of(subject.op());
            case "bucket":
                return Optional.of((long) subject.bucket());
            case "keyHash":
                return Optional.of((long) subject.keyHash());
            default:
                return Optional.empty();
        }
    }

    /** The next operation's facts, as the agent's advice would store them. */
    private Subject next() {
        int k = i++ & (OPS - 1);
        int h = hashes[k];
        String op = (k & 7) == 0 ? "remove" : "put";
        return subject.begin(thread, op, map, keys[k], values[k], h, h & 63);
    }

    /**
     * The floor: each condition written by hand in Java over the same Subject, cheapest test first, with a
     * reused Matcher; what compiling conditions to bytecode could at best reach.
     */
    @Benchmark
    public boolean java(Cpu cpu) {
        cpu.tick();
        return javaTest(next());
    }

    private boolean javaTest(Subject s) {
        switch (shape) {
            case 0: // ints
                return s.bucket() == 17 && s.keyHash() % 2 == 0;
            case 1: // typical
                return s.bucket() == 17
                        && s.keyHash() % 2 == 0
                        && workerMatcher.reset(s.threadName()).find();
            case 2: // key
                return keyMatcher.reset(s.key()).find();
            default: { // in
                int b = s.bucket();
                String op = s.op();
                return b == 3 || b == 17 || b == 40 || op.equals("remove") || op.equals("clear");
            }
        }
    }

    @Benchmark
    public boolean mapscope(Cpu cpu) {
        cpu.tick();
        return mapscope.test(next());
    }

    @Benchmark
    public boolean mapscopePolluted(Polluted polluted, Cpu cpu) {
        cpu.tick();
        return mapscope.test(next());
    }

    @Benchmark
    public Object jexl(Cpu cpu) {
        cpu.tickSlow();
        next();
        return jexl.evaluate(jexlContext);
    }

    @Benchmark
    public Object cel(Cpu cpu) throws Exception {
        cpu.tickSlow();
        next();
        return cel.eval(celVariables);
    }

    /**
     * The benchmark thread's CPU time per operation, beside JMH's wall-clock score: on a shared machine the
     * thread is descheduled for long stretches, which inflates wall time but not CPU time. Reported as the
     * secondary results {@code cpuNanos} and {@code ops} of each iteration (cpuNanos / ops = CPU ns per
     * operation), sampled every 65,536 operations (256 for the microsecond-long JEXL and CEL evaluations) so
     * that reading the clock costs nothing measurable.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        public long cpuNanos;
        public long ops;
        private long start;
        private long n;

        @Setup(Level.Iteration)
        public void start() {
            cpuNanos = 0;
            ops = 0;
            n = 0;
            start = THREADS.getCurrentThreadCpuTime();
        }

        void tick() {
            if ((++n & 0xFFFF) == 0) {
                cpuNanos = THREADS.getCurrentThreadCpuTime() - start;
                ops = n;
            }
        }

        /** For operations of microseconds: every 256, so that an iteration has samples; still under 1%. */
        void tickSlow() {
            if ((++n & 0xFF) == 0) {
                cpuNanos = THREADS.getCurrentThreadCpuTime() - start;
                ops = n;
            }
        }
    }

    /** Runs every condition many times before measuring, so that call sites in the node tree see many classes. */
    @State(Scope.Thread)
    public static class Polluted {
        @Setup
        public void setUp() {
            Subject s = new Subject();
            Map<String, Integer> m = new HashMap<>();
            String[] extra = {
                "bucket >= 3 && bucket <= 9 || key == \"x\"",
                "!(keyHash & 0xff == 7) && map.size > 3",
                "thread.id != 1 && (keyHash ^ bucket) % 5 == 1",
                "value.class == \"java.lang.Integer\" || op == \"get\""
            };
            for (int round = 0; round < 2; round++) {
                for (String[] c : CONDITIONS.values()) {
                    run(Condition.parse(c[0]), s, m);
                }
                for (String c : extra) {
                    run(Condition.parse(c), s, m);
                }
            }
        }

        private static void run(Condition c, Subject s, Map<String, Integer> m) {
            SplittableRandom r = new SplittableRandom(7);
            for (int k = 0; k < 50_000; k++) {
                int h = r.nextInt();
                s.begin(Thread.currentThread(), "put", m, "k" + (k & 63), k, h, h & 63);
                c.test(s);
            }
        }
    }

    /** JEXL's view of the Subject: names resolved on demand, like the agent's own conditions. */
    static final class SubjectContext implements JexlContext {
        private static final Pattern WORKER = Pattern.compile("worker-.*");
        private static final Pattern KEY = Pattern.compile("user:1[0-9]");
        private final Subject s;

        SubjectContext(Subject s) {
            this.s = s;
        }

        @Override
        public Object get(String name) {
            switch (name) {
                case "threadName":
                    return s.threadName();
                case "key":
                    return s.key();
                case "op":
                    return s.op();
                case "bucket":
                    return s.bucket();
                case "keyHash":
                    return s.keyHash();
                case "workerPattern":
                    return WORKER;
                case "keyPattern":
                    return KEY;
                default:
                    return null;
            }
        }

        @Override
        public void set(String name, Object value) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public boolean has(String name) {
            return get(name) != null;
        }
    }
}
