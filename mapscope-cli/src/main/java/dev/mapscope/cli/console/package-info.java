/**
 * How every command talks to the user: one-sentence errors and their exit statuses ({@code UserError}), durations
 * from ns to h, the terminal, shutdown hooks and output checks. Imports nothing else of the CLI.
 */
package dev.mapscope.cli.console;
