package dev.mapscope.corpus.correct;

import dev.mapscope.corpus.Program;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A config map passed back and forth through two {@code AtomicReference} slots: the holder writes it, then
 * {@code setRelease}s it into the other side's slot; the other side spins on {@code getAcquire} until it sees
 * it. A release store happens-before the acquire load that reads it (JLS 17.4.4 with the
 * {@code VarHandle} access modes the atomics are specified by).
 */
public final class AtomicReferenceHandOff implements Program {
    private static final int TRIPS = 2_000;

    private final AtomicReference<Map<String, Integer>> toEditor = new AtomicReference<>();
    private final AtomicReference<Map<String, Integer>> toOwner = new AtomicReference<>();

    @Override
    public void run() throws InterruptedException {
        Thread owner = new Thread(this::owner, "atomicref-owner");
        Thread editor = new Thread(this::editor, "atomicref-editor");
        owner.start();
        editor.start();
        owner.join();
        editor.join();
    }

    private void owner() {
        Map<String, Integer> config = new HashMap<>();
        for (int i = 0; i < TRIPS; i++) {
            propose(config, i);
            toEditor.setRelease(config);
            config = await(toOwner);
        }
    }

    private void editor() {
        for (int i = 0; i < TRIPS; i++) {
            Map<String, Integer> config = await(toEditor);
            approve(config, i);
            toOwner.setRelease(config);
        }
    }

    /** Spins until the slot holds a map, then empties it; the acquire pairs with the sender's setRelease. */
    private static Map<String, Integer> await(AtomicReference<Map<String, Integer>> slot) {
        Map<String, Integer> m;
        while ((m = slot.getAcquire()) == null) {
            Thread.onSpinWait();
            Thread.yield();
        }
        slot.setPlain(null); // only this thread reads the slot, and the sender stores again only after our reply
        return m;
    }

    private void propose(Map<String, Integer> config, int i) {
        config.put("proposed", i);
    }

    private void approve(Map<String, Integer> config, int i) {
        config.put("approved", i);
        config.remove("proposed");
    }
}
