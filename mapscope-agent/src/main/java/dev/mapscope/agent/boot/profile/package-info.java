/**
 * Bootstrap side of the map profile: {@code ProfileGate} (what the profile advice calls) and the
 * {@code ProfileSink} it hands samples to. Boot rules: see {@code dev.mapscope.agent.boot}.
 */
package dev.mapscope.agent.boot.profile;
