package dev.mapscope.bench;

import com.sun.tools.attach.VirtualMachine;

/**
 * Loads mapscope's agent into the current (forked benchmark) JVM by self-attach, in a given mode. The jar
 * comes from {@code -Dmapscope.agent.jar=...} on the JMH command line (forks inherit it); the fork needs
 * {@code -Djdk.attach.allowAttachSelf=true}, which the benchmarks set in their {@code @Fork}.
 */
final class AgentAttach {
    private AgentAttach() {}

    /** {@code agent}: "none", or a mode of the agent ("overlap", "full"). */
    static void install(String agent) throws Exception {
        if (agent.equals("none")) {
            return;
        }
        String jar = System.getProperty("mapscope.agent.jar");
        if (jar == null) {
            throw new IllegalStateException("run with -Dmapscope.agent.jar=mapscope-agent/target/mapscope-agent.jar");
        }
        VirtualMachine vm =
                VirtualMachine.attach(Long.toString(ProcessHandle.current().pid()));
        try {
            vm.loadAgent(jar, "mode=" + agent + ",stderr=false");
        } finally {
            vm.detach();
        }
    }
}
