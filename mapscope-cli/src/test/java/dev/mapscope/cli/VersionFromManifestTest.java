package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionFromManifestTest {
    @Test
    void theVersionIsTheManifestsAndOutsideTheJarItSaysItIsUnknown() {
        assertThat(VersionFromManifest.line("1.4.0")).isEqualTo("mapscope 1.4.0");
        // The tests run on target/classes, which has no manifest.
        Cli.Result r = Cli.run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("mapscope (version unknown: not run from the built jar)\n");
    }
}
