/**
 * Other JVMs: checking a target pid, loading the agent into it, the attach session directory and its control file,
 * child processes, and finding the agent jar. Imports {@code console} only (and the agent's {@code protocol}).
 */
package dev.mapscope.cli.jvm;
