package dev.mapscope.agent;

import com.sun.tools.attach.VirtualMachine;

/**
 * Loads the agent into a JVM by pid. Run as {@code java -cp mapscope-agent.jar dev.mapscope.agent.Attach PID JAR
 * OPTIONS} from a helper JVM when a JVM may not attach to itself.
 */
final class Attach {
    private Attach() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Attach PID AGENT_JAR [OPTIONS]");
            System.exit(2);
        }
        try {
            load(args[0], args[1], args.length > 2 ? args[2] : "");
        } catch (Exception e) {
            System.err.println("attach to pid " + args[0] + " failed: " + e);
            System.exit(1);
        }
    }

    static void load(String pid, String jar, String options) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            vm.loadAgent(jar, options);
        } finally {
            vm.detach();
        }
    }
}
