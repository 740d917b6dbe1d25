/**
 * Probes and inspect (docs/PROBES-AGENT.md): arming a probe, its advice, checking each hit against its condition,
 * writing hits, and reading a live map's table for inspect. Imports {@code condition}, {@code protocol},
 * {@code transform} and {@code boot.probe}; never the root package or another feature.
 */
package dev.mapscope.agent.probe;
