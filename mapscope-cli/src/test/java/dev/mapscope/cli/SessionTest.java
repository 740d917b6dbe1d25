package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mapscope.cli.console.UserError;
import dev.mapscope.cli.jvm.Attachment;
import dev.mapscope.cli.jvm.Jvm;
import dev.mapscope.cli.jvm.Session;
import dev.mapscope.cli.jvm.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Attach preflight and session bookkeeping that need a real JVM to point at, but not the agent. */
class SessionTest {

    @Test
    void detachingWhatWasNeverAttachedIsOneSentence() throws Exception {
        try (RacyJvm target = RacyJvm.start()) {
            Cli.Result r = Cli.run("detach", Long.toString(target.pid()));
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err())
                    .isEqualTo("mapscope: mapscope is not attached to pid " + target.pid() + "; nothing to detach\n");
            Cli.Result s = Cli.run("status", Long.toString(target.pid()));
            assertThat(s.exit()).isEqualTo(1);
            assertThat(s.err())
                    .startsWith("mapscope: mapscope is not attached to pid " + target.pid() + " (no session in ");
        }
    }

    @Test
    void attachingTwiceIsOneSentence() throws Exception {
        try (RacyJvm target = RacyJvm.start()) {
            Session session = new Session(target.pid());
            session.createPrivate();
            try {
                // What an agent that is still attached leaves behind.
                String since = Instant.now().toString();
                Files.writeString(
                        session.statusFile(),
                        "{\"pid\":" + target.pid() + ",\"state\":\"attached\","
                                + "\"mode\":\"full\",\"since\":\"" + since + "\",\"findings\":0,\"dropped\":0,"
                                + "\"instrumented\":[\"java.util.HashMap\"]}");
                // ... by a mapscope attach that is still watching it (it holds the session's owner lock) ...
                try (Session.Owner watching = session.own(java.time.Duration.ZERO)) {
                    assertThat(watching).isNotNull();
                    Cli.Result r = Cli.run("attach", Long.toString(target.pid()), "--for", "1s");
                    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
                    assertThat(r.err())
                            .isEqualTo("mapscope: another mapscope command (pid "
                                    + ProcessHandle.current().pid()
                                    + ") is attaching to or watching pid " + target.pid()
                                    + "; wait for it to end, or end its session with `mapscope detach "
                                    + target.pid() + "`\n");
                }
                // ... or by one that was killed: nobody holds the lock, the sentence says how to go on.
                Cli.Result r = Cli.run("attach", Long.toString(target.pid()), "--for", "1s");
                assertThat(r.exit()).as(r.toString()).isEqualTo(1);
                assertThat(r.err())
                        .isEqualTo("mapscope: mapscope is already attached to pid " + target.pid()
                                + " (since " + since + ") by a mapscope command that has ended; see it with"
                                + " `mapscope status " + target.pid() + "` or end it with `mapscope detach "
                                + target.pid() + "`, then attach again\n");
                // The session directory and its parent are private to the user.
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(session.dir())))
                        .isEqualTo("rwx------");
                assertThat(PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(session.dir().getParent())))
                        .isEqualTo("rwx------");
            } finally {
                session.clearPrevious();
                Files.deleteIfExists(session.dir().resolve("session.lock"));
                Files.deleteIfExists(session.dir());
            }
        }
    }

    @Test
    void theSessionDirectoryOfAProcessThatEndedIsRemoved() throws Exception {
        // A target killed while attached leaves its directory; the next session of any pid removes it.
        Process ended = new ProcessBuilder(Jvm.java(), "-version")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        ended.waitFor();
        Session left = new Session(ended.pid());
        left.createPrivate();
        Files.writeString(left.statusFile(), "{\"pid\":" + ended.pid() + ",\"state\":\"attached\"}");
        Files.writeString(left.dir().resolve("control"), "status\n");
        try (RacyJvm target = RacyJvm.start()) {
            Session session = new Session(target.pid());
            session.createPrivate();
            assertThat(left.dir()).doesNotExist();
            assertThat(session.dir()).isDirectory();
            Files.deleteIfExists(session.dir());
        }
    }

    @Test
    void anAgentOfAnotherBuildIsOneSentenceWithTheFix() throws Exception {
        Path jar = dev.mapscope.cli.jvm.AgentJar.locate();
        String mine = dev.mapscope.cli.jvm.AgentJar.build(jar);
        Assumptions.assumeTrue(mine != null, "the agent jar says its build");
        Session.Status older = new Session.Status(
                42, "attached", "full", Instant.now().toString(), 0, 0, java.util.List.of(), Instant.now(), null);
        assertThat(Attachment.sameBuild(older, jar)).isFalse();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Attachment.checkBuild(older, jar, 42)))
                .isInstanceOf(UserError.class)
                .hasMessage("pid 42 holds the mapscope agent of another build (an earlier one that does not say its"
                        + " build, this mapscope's is " + mine + ") and a JVM cannot unload an agent; restart pid 42"
                        + " to use this build, or use the mapscope that loaded it");
        Session.Status same = new Session.Status(
                42, "attached", "full", Instant.now().toString(), 0, 0, java.util.List.of(), Instant.now(), mine);
        assertThat(Attachment.sameBuild(same, jar)).isTrue();
    }

    @Test
    void aSessionLeftByAnEarlierProcessWithTheSamePidIsStale() throws Exception {
        try (RacyJvm target = RacyJvm.start()) {
            Target t = Target.of(target.pid());
            Session.Status old = new Session.Status(
                    target.pid(), "attached", "full", "2020-01-01T00:00:00Z", 0, 0, java.util.List.of(), Instant.EPOCH);
            assertThat(Attachment.stale(old, t)).isTrue();
            Session.Status current = new Session.Status(
                    target.pid(),
                    "attached",
                    "full",
                    Instant.now().toString(),
                    0,
                    0,
                    java.util.List.of(),
                    Instant.now());
            assertThat(Attachment.stale(current, t)).isFalse();
        }
    }

    @Test
    void javaVersionsAreReadFromTheSpecificationVersion() {
        assertThat(Attachment.feature("1.8")).isEqualTo(8);
        assertThat(Attachment.feature("17")).isEqualTo(17);
        assertThat(Attachment.feature("25")).isEqualTo(25);
        assertThat(Attachment.feature("?")).isZero();
    }

    @Test
    void attachDisabledIsOneSentence() throws Exception {
        try (RacyJvm target = RacyJvm.start("-XX:+DisableAttachMechanism")) {
            Cli.Result r = Cli.run("attach", Long.toString(target.pid()), "--for", "1s");
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err())
                    .isEqualTo("mapscope: pid " + target.pid() + " was started with"
                            + " -XX:+DisableAttachMechanism, so no tool can attach to it; restart it without that flag, or"
                            + " with -javaagent:$(mapscope agent-path)\n");
        }
    }

    @Test
    void anotherUsersProcessIsOneSentence() throws Exception {
        String runuser = Jvm.findOnPath("runuser");
        Assumptions.assumeTrue(
                "root".equals(System.getProperty("user.name")) && runuser != null,
                "needs root and runuser to start a process as another user");
        Process other = new ProcessBuilder(runuser, "-u", "nobody", "--", "sleep", "60").start();
        try {
            ProcessHandle sleep = null;
            for (int i = 0; i < 100 && sleep == null; i++) {
                sleep = other.children().findFirst().orElse(null);
                Thread.sleep(50);
            }
            long pid = sleep == null ? other.pid() : sleep.pid();
            Assumptions.assumeTrue(
                    ProcessHandle.of(pid)
                            .flatMap(h -> h.info().user())
                            .orElse("")
                            .equals("nobody"),
                    "runuser did not start the process as nobody");
            Cli.Result r = Cli.run("attach", Long.toString(pid));
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err())
                    .isEqualTo("mapscope: pid " + pid + " belongs to nobody, not root; the JVM only lets"
                            + " its own user attach, so run mapscope as nobody\n");
        } finally {
            other.descendants().forEach(ProcessHandle::destroy);
            other.destroy();
        }
    }

    @Test
    void aSessionDirectoryOpenToOthersIsRefused() throws Exception {
        Path parent = Files.createTempDirectory("mapscope-session-test");
        try {
            Path dir = Files.createDirectory(
                    parent.resolve("123"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            Session s = new Session(123, dir);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(s::createPrivate))
                    .isInstanceOf(UserError.class)
                    .hasMessage("the session directory " + dir + " is open to other users (it must be mode 0700);"
                            + " remove it and retry");
        } finally {
            Files.deleteIfExists(parent.resolve("123"));
            Files.deleteIfExists(parent);
        }
    }
}
