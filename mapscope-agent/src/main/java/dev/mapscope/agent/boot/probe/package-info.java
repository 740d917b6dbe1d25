/**
 * Bootstrap side of the probes: {@code ProbeGate} (what the probe advice calls) and the {@code ProbeHook} an armed
 * probe installs in its slot. Boot rules: see {@code dev.mapscope.agent.boot}.
 */
package dev.mapscope.agent.boot.probe;
