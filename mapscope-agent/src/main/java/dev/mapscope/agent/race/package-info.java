/**
 * The race detector's tooling side: which JDK methods get which advice ({@code RaceInstaller}, {@code MapAdvice},
 * {@code SyncAdvice}), and the reporter that turns a {@code boot.race.Race} into a {@code Finding}. Imports only
 * {@code protocol}, {@code transform} and {@code boot.race}; never the root package or another feature.
 */
package dev.mapscope.agent.race;
