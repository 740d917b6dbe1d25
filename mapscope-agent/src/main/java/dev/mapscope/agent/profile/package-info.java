/**
 * The map profile (docs/PROFILE-AGENT.md): the profile and profile-stop requests, the profile advice, the recorder
 * and the files it writes. Imports only {@code protocol}, {@code transform} and {@code boot.profile} (and
 * {@code boot.race} for the re-entrancy guard); never the root package or another feature.
 */
package dev.mapscope.agent.profile;
