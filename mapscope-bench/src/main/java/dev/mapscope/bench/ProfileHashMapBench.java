package dev.mapscope.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
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
 * What the map profile costs a single-threaded HashMap get and put, and the Jackson parse of
 * AgentJacksonBench (4 MB of JSON into maps): without the agent, with the agent in
 * mode=overlap (the race advice only), and with the same agent running a map profile from the start
 * ({@code profile=DIR}, one operation in {@code sample} sampled with its stack), side by side.
 *
 * <p>Run: {@code java -Dmapscope.agent.jar=mapscope-agent/target/mapscope-agent.jar -jar
 * mapscope-bench/target/benchmarks.jar ProfileHashMapBench -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Djdk.attach.allowAttachSelf=true", "-Xmx1g"})
public class ProfileHashMapBench {
    static final int KEYS = 1 << 12;

    /** none, agent (mode=overlap), profile (mode=overlap and a map profile) */
    @Param({"none", "agent", "profile"})
    public String agent;

    /** the profile's sampling: one operation in this many per thread */
    @Param({"64", "1024"})
    public int sample;

    private HashMap<Integer, Integer> map;
    private byte[] json;
    private ObjectMapper mapper;
    private Integer[] keys;
    private int i;

    @Setup
    public void setUp() throws Exception {
        if (!agent.equals("none")) {
            String jar = System.getProperty("mapscope.agent.jar");
            if (jar == null) {
                throw new IllegalStateException(
                        "run with -Dmapscope.agent.jar=mapscope-agent/target/mapscope-agent.jar");
            }
            String options = "mode=overlap,stderr=false";
            if (agent.equals("profile")) {
                options +=
                        ",profile=" + Files.createTempDirectory("mapscope-bench-profile") + ",profile-sample=" + sample;
            }
            VirtualMachine vm =
                    VirtualMachine.attach(Long.toString(ProcessHandle.current().pid()));
            try {
                vm.loadAgent(jar, options);
            } finally {
                vm.detach();
            }
        }
        json = AgentJson.generate(7, AgentJacksonBench.BYTES);
        mapper = new ObjectMapper();
        SplittableRandom r = new SplittableRandom(42);
        keys = new Integer[KEYS];
        map = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            keys[k] = r.nextInt();
            map.put(keys[k], k);
        }
    }

    /** Replaces the value of an existing key: putVal, no resize. */
    @Benchmark
    public Integer put() {
        Integer k = keys[i++ & (KEYS - 1)];
        return map.put(k, k);
    }

    /** A realistic map-heavy workload: about 60,000 LinkedHashMaps per document, each written by one thread. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public List<?> readIntoMaps() throws Exception {
        return mapper.readValue(json, List.class);
    }

    /** getNode: not instrumented by the race advice, only by the profile's. */
    @Benchmark
    public Integer get() {
        return map.get(keys[i++ & (KEYS - 1)]);
    }
}
