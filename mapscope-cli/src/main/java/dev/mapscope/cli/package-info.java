/**
 * The {@code mapscope} command: {@link dev.mapscope.cli.MapscopeCommand} lists the subcommands and maps errors to exit
 * statuses. Only this package imports the feature packages; none of them imports it.
 */
package dev.mapscope.cli;
