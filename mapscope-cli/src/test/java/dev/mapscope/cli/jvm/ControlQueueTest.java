package dev.mapscope.cli.jvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two mapscope commands that address one pid at once share one control file. Each must wait until the agent has
 * taken the other's request: before the control file was locked, both renamed their file into place and the agent
 * saw only the second request.
 */
class ControlQueueTest {
    @TempDir
    Path dir;

    @Test
    void twoConcurrentSendersBothGetTheirRequestRead() throws Exception {
        Session session = new Session(1, dir);
        List<String> read = new CopyOnWriteArrayList<>();
        AtomicBoolean sendersDone = new AtomicBoolean();
        Thread agent = new Thread(
                () -> {
                    Path control = dir.resolve("control");
                    try {
                        while (true) {
                            if (Files.exists(control)) {
                                read.add(Files.readString(control, StandardCharsets.UTF_8)
                                        .strip());
                                Files.delete(control); // as the agent does once it has acted
                            } else if (sendersDone.get()) {
                                return;
                            }
                            Thread.sleep(5);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                "fake-agent");
        agent.setDaemon(true);

        CountDownLatch start = new CountDownLatch(1);
        List<Boolean> sent = new CopyOnWriteArrayList<>();
        List<Thread> senders =
                List.of(sender(session, "probe a-1", start, sent), sender(session, "profile b-2", start, sent));
        senders.forEach(Thread::start);
        start.countDown();
        agent.start();
        for (Thread t : senders) {
            t.join();
        }
        sendersDone.set(true);
        agent.join();

        assertThat(sent).containsExactly(true, true);
        assertThat(read).containsExactlyInAnyOrder("probe a-1", "profile b-2");
    }

    private static Thread sender(Session session, String command, CountDownLatch start, List<Boolean> sent) {
        return new Thread(
                () -> {
                    try {
                        start.await();
                        sent.add(session.send(command, Duration.ofMinutes(5), () -> true));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "sender " + command);
    }
}
