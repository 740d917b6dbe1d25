package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;

/**
 * A mailbox field accessed through a {@code VarHandle}, JCTools style: the sender fills a plain map and
 * publishes it with {@code setRelease}; the receiver takes it with {@code getAcquire} and a
 * {@code compareAndSet} back to null, then writes it. The sender waits for the empty mailbox (acquire) before
 * it sends the next map, and then writes the previous one again to close it.
 */
public final class VarHandleHandOff implements Program {
    private static final int LETTERS = 2_000;
    private static final VarHandle MAILBOX;

    static {
        try {
            MAILBOX = MethodHandles.lookup().findVarHandle(VarHandleHandOff.class, "mailbox", Map.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through MAILBOX only: release stores, acquire loads, CAS
    private Map<String, Integer> mailbox;

    @Override
    public void run() throws InterruptedException {
        Thread sender = new Thread(this::send, "varhandle-sender");
        Thread receiver = new Thread(this::receive, "varhandle-receiver");
        sender.start();
        receiver.start();
        sender.join();
        receiver.join();
    }

    private void send() {
        Map<String, Integer> previous = null;
        for (int i = 0; i < LETTERS; i++) {
            Map<String, Integer> letter = write(i);
            MAILBOX.setRelease(this, letter);
            while (MAILBOX.getAcquire(this) != null) { // pairs with the receiver's CAS to null
                Thread.onSpinWait();
                Thread.yield();
            }
            if (previous != null) {
                close(previous);
            }
            previous = letter;
        }
    }

    @SuppressWarnings("unchecked")
    private void receive() {
        for (int i = 0; i < LETTERS; i++) {
            Map<String, Integer> letter;
            while ((letter = (Map<String, Integer>) MAILBOX.getAcquire(this)) == null) {
                Thread.onSpinWait();
                Thread.yield();
            }
            read(letter);
            MAILBOX.compareAndSet(this, letter, null); // volatile: publishes read() to the sender
        }
    }

    private Map<String, Integer> write(int i) {
        Map<String, Integer> letter = new HashMap<>();
        letter.put("number", i);
        return letter;
    }

    private void read(Map<String, Integer> letter) {
        letter.put("read", 1);
    }

    private void close(Map<String, Integer> letter) {
        letter.put("closed", 1);
    }
}
