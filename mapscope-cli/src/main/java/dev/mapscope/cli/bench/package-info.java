/**
 * {@code mapscope bench}: the safe maps measured side by side in child JVMs. Imports {@code console} only.
 */
package dev.mapscope.cli.bench;
