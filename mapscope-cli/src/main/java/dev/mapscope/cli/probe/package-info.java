/**
 * {@code mapscope probe} and {@code mapscope inspect}: arming probes, printing their hits, and drawing a live map's
 * table. Checks conditions with the agent's own {@code dev.mapscope.agent.condition}. Imports {@code jvm},
 * {@code render} and {@code console}; never another feature package.
 */
package dev.mapscope.cli.probe;
