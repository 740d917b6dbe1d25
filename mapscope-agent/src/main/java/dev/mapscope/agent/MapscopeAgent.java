package dev.mapscope.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry point, for {@code -javaagent:mapscope-agent.jar[=options]} and for dynamic attach.
 * Options are described in AGENT-PROTOCOL.md; a bad option prints one {@code mapscope:} line and installs
 * nothing.
 */
public final class MapscopeAgent {
    /*
     * This class must not touch a class of the boot package before BootJar has defined it in the bootstrap
     * loader: the advice inlined into java.util resolves them there, and the tooling must see the very
     * same classes (it would load its own copy if it resolved them first).
     */
    private MapscopeAgent() {}

    public static void premain(String args, Instrumentation inst) {
        load(args, inst);
    }

    public static void agentmain(String args, Instrumentation inst) {
        load(args, inst);
    }

    private static synchronized void load(String args, Instrumentation inst) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mapscope: " + e.getMessage() + "; nothing was installed");
            return;
        }
        try {
            BootJar.defineOnce(inst);
            Agent.load(options, inst);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("mapscope: " + e.getMessage() + "; nothing was installed");
        } catch (Throwable e) {
            System.err.println("mapscope: could not install the agent (" + e + "); the application runs without it");
        }
    }
}
