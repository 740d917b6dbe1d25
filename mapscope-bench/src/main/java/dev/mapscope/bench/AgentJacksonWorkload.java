package dev.mapscope.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Jackson workload as a whole process, for memory and wall-clock with {@code -javaagent}: reads 4 MB of
 * generated JSON into maps ROUNDS times, keeping the last KEEP documents alive (a service's working set),
 * then prints the time of the last half of the rounds and the peak RSS (VmHWM).
 *
 * <p>Run: {@code java [-javaagent:mapscope-agent.jar=mode=...] -cp mapscope-bench/target/workloads.jar
 * dev.mapscope.bench.AgentJacksonWorkload}
 */
public final class AgentJacksonWorkload {
    static final int ROUNDS = 60;
    static final int KEEP = 4;

    private AgentJacksonWorkload() {}

    public static void main(String[] args) throws Exception {
        byte[] json = AgentJson.generate(7, AgentJacksonBench.BYTES);
        ObjectMapper mapper = new ObjectMapper();
        List<Object> kept = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = 0;
        long cpuStart = 0;
        for (int round = 0; round < ROUNDS; round++) {
            if (round == ROUNDS / 2) {
                start = System.nanoTime();
                cpuStart = threads.getCurrentThreadCpuTime();
            }
            kept.add(mapper.readValue(json, List.class));
            if (kept.size() > KEEP) {
                kept.remove(0);
            }
        }
        long perRound = (System.nanoTime() - start) / (ROUNDS - ROUNDS / 2);
        // the main thread's CPU time: steadier than wall time on a loaded machine (it leaves out waiting to run)
        long cpuPerRound = (threads.getCurrentThreadCpuTime() - cpuStart) / (ROUNDS - ROUNDS / 2);
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        String hwm = "?";
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                hwm = line.substring(6).strip();
            }
        }
        System.out.printf(
                "ms/round %.1f  cpu ms/round %.1f  heap after GC %d MB  peak RSS %s  (kept %d documents)%n",
                perRound / 1e6, cpuPerRound / 1e6, heap >> 20, hwm, kept.size());
    }
}
