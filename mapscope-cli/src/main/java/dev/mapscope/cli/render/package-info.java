/**
 * Rendering: findings read from the agent's JSON lines and printed as text or an HTML page, or for CI as SARIF, JUnit
 * XML and GitHub annotations; suppression rules; the bucket heat map; HTML escaping. Imports {@code console} only.
 */
package dev.mapscope.cli.render;
