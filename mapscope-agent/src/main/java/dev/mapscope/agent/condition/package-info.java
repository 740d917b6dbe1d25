/**
 * The condition language of probes (docs/CONDITIONS.md): lexer, parser, syntax tree, compiler to nodes, the subject a
 * condition is evaluated on, and capture lists. java.base only: the CLI and the benchmarks use it directly, and the
 * CLI jar carries it, so it must never import another package of the agent.
 */
package dev.mapscope.agent.condition;
