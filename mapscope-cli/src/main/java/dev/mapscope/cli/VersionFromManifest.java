package dev.mapscope.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code mapscope --version}: the version the build wrote into the jar's manifest ({@code Implementation-Version},
 * from the pom), so that it never disagrees with the artifact; classes run outside the jar say so.
 */
public final class VersionFromManifest implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {line(MapscopeCommand.class.getPackage().getImplementationVersion())};
    }

    static String line(String implementationVersion) {
        return implementationVersion == null
                ? "mapscope (version unknown: not run from the built jar)"
                : "mapscope " + implementationVersion;
    }
}
