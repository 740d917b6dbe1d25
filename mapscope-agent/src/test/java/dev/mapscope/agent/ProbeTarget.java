package dev.mapscope.agent;

import dev.mapscope.maps.GoMap;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The program that probe and inspect tests attach to: it reads one command a line from stdin, runs it on
 * its static maps, and prints {@code ok COMMAND} (with a result for some). It never touches the agent's
 * classes, so that it runs as an application does.
 */
public final class ProbeTarget {
    static final Map<String, Integer> MAP = new HashMap<>();
    static final Map<String, Integer> OTHER = new HashMap<>();
    /** 64 buckets: 5 keys share bucket 1 (a chain), 12 share bucket 2 (a tree bin), 3 alone */
    static final Map<Colliding, Integer> COLLIDING = new HashMap<>(64);

    static final Map<Integer, Integer> SAME = new HashMap<>(16);
    static final GoMap<Integer, Integer> GO = new GoMap<>();
    static final Map<String, Integer> CHM = new ConcurrentHashMap<>();
    static final Map<String, Integer> TREE = new java.util.TreeMap<>();
    static final String NOT_A_MAP = "text";
    static Map<String, Integer> nullMap;
    static final Holder HOLDER = new Holder();

    static final class Holder {
        final Map<String, Integer> inner = new HashMap<>(Map.of("a", 1));
    }

    /** A key with a chosen hash code, comparable so that a tree bin can order it. */
    static final class Colliding implements Comparable<Colliding> {
        final int hash;
        final int n;

        Colliding(int hash, int n) {
            this.hash = hash;
            this.n = n;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Colliding && ((Colliding) o).hash == hash && ((Colliding) o).n == n;
        }

        @Override
        public int compareTo(Colliding o) {
            return hash != o.hash ? Integer.compare(hash, o.hash) : Integer.compare(n, o.n);
        }

        @Override
        public String toString() {
            return "c" + hash + "/" + n;
        }
    }

    private ProbeTarget() {}

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("ready");
        System.out.flush();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] w = line.strip().split(" ");
            String result = "";
            int n = w.length > 1 ? Integer.parseInt(w[1]) : 0;
            switch (w[0]) {
                case "put":
                    for (int i = 0; i < n; i++) {
                        MAP.put("k" + i, i);
                        OTHER.put("o" + i, i);
                    }
                    break;
                case "get":
                    for (int i = 0; i < n; i++) {
                        MAP.get("k" + i);
                    }
                    break;
                case "remove":
                    for (int i = 0; i < n; i++) {
                        MAP.remove("k" + i);
                    }
                    break;
                case "chm":
                    for (int i = 0; i < n; i++) {
                        CHM.put("c" + i, i);
                    }
                    break;
                case "chmcycle":
                    // put n (growing the 16-bin table), get, remove each, then clear
                    for (int i = 0; i < n; i++) {
                        CHM.put("x" + i, i);
                    }
                    for (int i = 0; i < n; i++) {
                        CHM.get("x" + i);
                        CHM.remove("x" + i);
                    }
                    CHM.clear();
                    break;
                case "treecycle":
                    for (int i = 0; i < n; i++) {
                        TREE.put("t" + i, i);
                        TREE.get("t" + i);
                    }
                    for (int i = 0; i < n; i++) {
                        TREE.remove("t" + i);
                    }
                    TREE.clear();
                    break;
                case "collide":
                    for (int i = 0; i < 5; i++) {
                        COLLIDING.put(new Colliding(1, i), i);
                    }
                    for (int i = 0; i < 12; i++) {
                        COLLIDING.put(new Colliding(2, i), i);
                    }
                    for (int h = 3; h < 6; h++) {
                        COLLIDING.put(new Colliding(h, 0), h);
                    }
                    break;
                case "go":
                    for (int i = 0; i < n; i++) {
                        GO.put(i, i);
                        GO.get(i);
                    }
                    break;
                case "gogrow":
                    // put until an incremental growth has started and is not finished
                    for (int i = GO.size(); !GO.snapshot().growing(); i++) {
                        GO.put(i, i);
                    }
                    result = GO.snapshot().toString();
                    break;
                case "twothreads":
                    writers(2, n);
                    break;
                case "onethread":
                    writers(1, n);
                    break;
                case "stale":
                    result = Long.toString((Long) Class.forName("dev.mapscope.agent.boot.probe.ProbeGate", false, null)
                            .getMethod("staleCalls")
                            .invoke(null));
                    break;
                case "exit":
                    System.out.println("ok exit");
                    System.out.flush();
                    return;
                default:
                    result = "unknown command";
            }
            System.out.println("ok " + w[0] + (result.isEmpty() ? "" : " " + result));
            System.out.flush();
        }
    }

    /** {@code threads} threads write bucket 0 of SAME in turns (under a lock: the writes never overlap). */
    private static void writers(int threads, int writes) throws InterruptedException {
        Thread[] t = new Thread[threads];
        for (int k = 0; k < threads; k++) {
            t[k] = new Thread(
                    () -> {
                        for (int i = 0; i < writes; i++) {
                            synchronized (SAME) {
                                SAME.put((i % 4) * 64, i); // 0, 64, 128, 192: bucket 0 of 16
                            }
                            // no Thread.yield here: on a loaded machine each yield can cost a time slice (the test
                            // took 71 s once); the window of the test (1 s) covers two threads that do not interleave
                            for (int spin = 0; spin < 1000; spin++) {
                                Thread.onSpinWait();
                            }
                        }
                    },
                    "writer-" + k);
            t[k].start();
        }
        for (Thread x : t) {
            x.join();
        }
    }
}
