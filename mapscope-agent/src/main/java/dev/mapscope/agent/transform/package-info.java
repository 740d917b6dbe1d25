/**
 * Byte Buddy helpers that the race, profile and probe installers share: the explicit list of classes to
 * retransform and the listener that records what was transformed. Never imports a feature package.
 */
package dev.mapscope.agent.transform;
