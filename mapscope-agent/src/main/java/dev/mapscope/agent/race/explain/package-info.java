/**
 * Explaining a finding from the application's bytecode: which field holds the raced map ({@code FieldNamer}).
 * Runs on the reporter's own thread, once per finding; reads class files as resources and never loads or
 * initialises an application class. Imports only Byte Buddy's relocated ASM and java.base; never the race
 * package above it (race calls in, not the other way).
 */
package dev.mapscope.agent.race.explain;
