/**
 * The bootstrap side of the agent: the classes that advice inlined into {@code java.util} calls, one sub-package per
 * feature ({@code race}, {@code profile}, {@code probe}). They are defined in the bootstrap class loader from the
 * nested jar {@code META-INF/mapscope/mapscope-agent-boot.jar} and all loaded by {@code BootJar} before any
 * transformer is installed. Rules for every class under here: java.base and other boot packages only; never throw
 * into the application, never block and never allocate on a fast path; add a new class to {@code BootJar}'s list.
 */
package dev.mapscope.agent.boot;
