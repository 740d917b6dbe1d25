package dev.mapscope.agent;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The target of {@link SoakIT}: a worker that writes a map under a lock all the time, and on each stdin line
 * {@code stats N} the line {@code stats N HEAP THREADS CLASSES METASPACE} (bytes and counts after a full GC, once the
 * agent's threads of an earlier session have ended). Prints {@code ready} when it runs.
 */
final class SoakTarget {
    private SoakTarget() {}

    public static void main(String[] args) throws Exception {
        Map<Integer, Integer> shared = new HashMap<>();
        Thread worker = new Thread(
                () -> {
                    for (int i = 0; ; i++) {
                        synchronized (shared) {
                            shared.put(i & 1023, i);
                        }
                        if ((i & 1023) == 0) {
                            try {
                                Thread.sleep(1);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                },
                "soak-worker");
        worker.setDaemon(true);
        worker.start();
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("stats ")) {
                awaitAgentThreads();
                for (int i = 0; i < 3; i++) {
                    System.gc();
                }
                long metaspace = 0;
                for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (p.getName().equals("Metaspace")) {
                        metaspace = p.getUsage().getUsed();
                    }
                }
                Runtime rt = Runtime.getRuntime();
                System.out.println(line + " " + (rt.totalMemory() - rt.freeMemory()) + " "
                        + Thread.activeCount() + " "
                        + ManagementFactory.getClassLoadingMXBean().getLoadedClassCount() + " " + metaspace);
            }
        }
    }

    /** Waits for the threads of a detached agent (they end on their own once told) so a count never races them. */
    private static void awaitAgentThreads() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("mapscope-") && !t.getName().equals("mapscope-exit")) {
                t.join();
            }
        }
    }
}
