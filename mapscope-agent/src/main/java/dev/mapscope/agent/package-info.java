/**
 * The agent's entry points and wiring: {@link dev.mapscope.agent.MapscopeAgent} (premain and agentmain), the options,
 * the boot jar, the attach-session control loop and the registration of each feature's requests; and the public in-JVM
 * API {@link dev.mapscope.agent.Mapscope}. Only this package imports the feature packages; none of them imports it.
 */
package dev.mapscope.agent;
