/**
 * Bootstrap side of the race detector: {@code MapWatch} (what the advice calls), the per-thread state and vector
 * clocks, the lock and sharing tables, and the {@code Race} handed to the tooling's {@code Sink}. Boot rules: see
 * {@code dev.mapscope.agent.boot}.
 */
package dev.mapscope.agent.boot.race;
