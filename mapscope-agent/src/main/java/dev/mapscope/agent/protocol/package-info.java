/**
 * What the agent and the CLI agree on (docs/AGENT-PROTOCOL.md): request dispatch, atomic result files, JSON strings,
 * stack frames as findings write them, map ids and the shared defaults. java.base only: the CLI jar carries this
 * package, so it must never import another package of the agent.
 */
package dev.mapscope.agent.protocol;
