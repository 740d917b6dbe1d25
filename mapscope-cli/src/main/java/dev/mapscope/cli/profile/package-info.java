/**
 * {@code mapscope profile}: the agent's map profile and async-profiler's, read from their files and converted into
 * flame graphs, pprof, a summary and an HTML report. Imports {@code jvm}, {@code render} and {@code console}; never
 * another feature package.
 */
package dev.mapscope.cli.profile;
