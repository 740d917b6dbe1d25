/**
 * What the installers share: the advice table ({@code AdviceTable}, {@code Hook}) and the transformer that weaves it
 * with Byte Buddy's Advice but without AgentBuilder ({@code AdviceTransformer}, {@code Weaver}), the on-disk cache of
 * woven classes ({@code WovenCache}, {@code ClassDigest}); for the profile and probe installers, the explicit list of
 * classes to retransform and the listener that records what was transformed. Never imports a feature package.
 */
package dev.mapscope.agent.transform;
