package dev.mapscope.bench;

import com.sun.tools.attach.VirtualMachine;

/**
 * Loads mapscope's agent into the current (forked benchmark) JVM by self-attach, in a given mode. The jar
 * comes from {@code -Dmapscope.agent.jar=...} on the JMH command line (forks inherit it); the fork needs
 * {@code -Djdk.attach.allowAttachSelf=true}, which the benchmarks set in their {@code @Fork}.
 *
 * <p>The agent that runs is the copy inside benchmarks.jar: the JVM loads an agent's classes through the class
 * path, where benchmarks.jar comes first. So the named jar must be the same build, and this refuses another one
 * (comparing the boot classes both carry): to compare two agent builds, build benchmarks.jar with each.
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
        if (!dev.mapscope.agent.MapscopeAgent.sameBuild(java.nio.file.Path.of(jar))) {
            throw new IllegalStateException(jar + " is another build than the agent inside benchmarks.jar, which is"
                    + " the one that would run: rebuild benchmarks.jar with it (mvn -pl mapscope-bench -am package)");
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
