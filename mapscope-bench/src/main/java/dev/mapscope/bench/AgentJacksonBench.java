package dev.mapscope.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
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
 * A realistic map-heavy workload under mapscope's agent: Jackson reads 4 MB of generated JSON into
 * {@code List<Map<String, Object>>} (LinkedHashMaps, about 60,000 maps per document), without the agent and
 * in each mode, side by side.
 *
 * <p>Run: {@code java -Dmapscope.agent.jar=mapscope-agent/target/mapscope-agent.jar -jar
 * mapscope-bench/target/benchmarks.jar AgentJacksonBench -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Djdk.attach.allowAttachSelf=true", "-Xmx1g"})
public class AgentJacksonBench {
    static final int BYTES = 4 << 20;

    @Param({"none", "overlap", "full"})
    public String agent;

    private byte[] json;
    private ObjectMapper mapper;

    @Setup
    public void setUp() throws Exception {
        AgentAttach.install(agent);
        json = AgentJson.generate(7, BYTES);
        mapper = new ObjectMapper();
    }

    @Benchmark
    public List<Map<String, Object>> readIntoMaps() throws Exception {
        return mapper.readValue(json, List.class);
    }
}
