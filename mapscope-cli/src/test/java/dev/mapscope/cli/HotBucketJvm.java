package dev.mapscope.cli;

import java.util.List;

/**
 * The demo's {@code HotBucket} (a shared map with one hot bucket and a resize storm) in its own JVM, for profile
 * tests; a small heap so that the storm makes the collector run. Closing it kills it.
 */
final class HotBucketJvm extends TargetJvm {
    private HotBucketJvm(Process process) {
        super(process);
    }

    static HotBucketJvm start() throws Exception {
        return new HotBucketJvm(launch(
                List.of("-Xmx48m", "-XX:+UseSerialGC", "-XX:+EnableDynamicAgentLoading"),
                "dev.mapscope.demo.HotBucket",
                "--threads",
                "2",
                "--seconds",
                "180"));
    }
}
