/**
 * Rendering: findings read from the agent's JSON lines and printed as text or an HTML page, the bucket heat map, HTML
 * escaping. Imports {@code console} only.
 */
package dev.mapscope.cli.render;
