package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.cli.jvm.AgentJar;
import dev.mapscope.cli.jvm.Jvm;
import dev.mapscope.cli.jvm.Session;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real {@code mapscope attach}, in its own JVM, killed with SIGKILL while it watches (no shutdown hook runs: the
 * agent stays in the target, attached), and a target killed under a watching command: neither leaves anything that
 * blocks the next command. The waits are for lines the commands print, bounded only to fail rather than hang.
 */
class KilledSessionTest {
    private static final long HANG_GUARD_SECONDS = 180;

    @Test
    void anAttachKilledWhileWatchingLeavesASessionThatDetachEnds() throws Exception {
        try (RacyJvm target = RacyJvm.start()) {
            String pid = Long.toString(target.pid());
            Process cli = attachInChildJvm(pid);
            try {
                assertThat(readUntil(cli, "attached to pid " + pid)).contains("attached to pid " + pid);
            } finally {
                cli.destroyForcibly();
                assertThat(cli.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();
            }
            // The owner lock went with the killed command; the agent is still attached: one sentence, the way out.
            Cli.Result again = Cli.run("attach", pid, "--for", "1s");
            assertThat(again.exit()).as(again.toString()).isEqualTo(1);
            assertThat(again.err())
                    .as(again.toString())
                    .contains("by a mapscope command that has ended")
                    .contains("`mapscope detach " + pid + "`");
            Cli.Result detach = Cli.run("detach", pid);
            assertThat(detach.exit()).as(detach.toString()).isZero();
            Cli.Result attach = Cli.run("attach", pid, "--for", "1s");
            assertThat(attach.exit()).as(attach.toString()).isZero();
            assertThat(attach.out())
                    .contains("attached to pid " + pid)
                    .contains("detached: the original bytecode is restored");
            assertThat(new Session(target.pid()).readStatus().attached()).isFalse();
        }
    }

    @Test
    void aTargetKilledWhileWatchedEndsTheAttachAndNothingIsLeft() throws Exception {
        RacyJvm target = RacyJvm.start();
        String pid = Long.toString(target.pid());
        Session killed = new Session(target.pid());
        Process cli = attachInChildJvm(pid);
        String out;
        try {
            readUntil(cli, "attached to pid " + pid);
            target.process.destroyForcibly();
            assertThat(target.process.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS))
                    .isTrue();
            out = readUntil(cli, null); // the command notices, says why it ends, and exits
            assertThat(cli.waitFor(HANG_GUARD_SECONDS, TimeUnit.SECONDS)).isTrue();
        } finally {
            cli.destroyForcibly();
            target.process.destroyForcibly(); // not close(): it would remove the session directory itself
        }
        assertThat(cli.exitValue()).as(out).isZero();
        assertThat(out).contains("mapscope: the process ended");
        // What a dead target's session left, if anything, is removed by the next session of any pid.
        try (RacyJvm next = RacyJvm.start()) {
            Cli.Result attach = Cli.run("attach", Long.toString(next.pid()), "--for", "1s");
            assertThat(attach.exit()).as(attach.toString()).isZero();
            assertThat(killed.dir()).doesNotExist();
        }
    }

    private static Process attachInChildJvm(String pid) throws Exception {
        return new ProcessBuilder(List.of(
                        Jvm.java(),
                        "-D" + AgentJar.PROPERTY + "=" + AgentJar.locate(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.mapscope.cli.MapscopeCommand",
                        "attach",
                        pid,
                        "--for",
                        "10m"))
                .redirectErrorStream(true)
                .start();
    }

    /**
     * Reads the command's output until a line contains {@code wanted} (or until it ends, for null); returns what it
     * read. A reader thread and the hang guard keep a broken command from blocking the build.
     */
    private static String readUntil(Process p, String wanted) throws Exception {
        StringBuilder seen = new StringBuilder();
        Thread reader = new Thread(() -> {
            BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (seen) {
                        seen.append(line).append('\n');
                    }
                    if (wanted != null && line.contains(wanted)) {
                        return;
                    }
                }
            } catch (java.io.IOException e) {
                // the process was killed: what was read is the answer
            }
        });
        reader.setDaemon(true);
        reader.start();
        reader.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
        synchronized (seen) {
            String s = seen.toString();
            assertThat(reader.isAlive())
                    .as("the command never printed %s; it printed:%n%s", wanted, s)
                    .isFalse();
            return s;
        }
    }
}
