package dev.mapscope.agent.protocol;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The control-file requests besides {@code status} and {@code detach} (docs/AGENT-PROTOCOL.md, "Requests"):
 * a line {@code VERB ID ARGS}. A handler writes its results as {@code ID.*} files in the session directory and
 * {@code ID.done} last; a handler that throws leaves {@code ID.error} holding one sentence instead.
 */
public final class Requests {
    /** One verb's work. Runs on the control thread, so it must hand anything long to a thread of its own. */
    public interface Handler {
        public void run(Path sessionDir, String id, String args) throws Exception;
    }

    /** Every verb, registered once here; guarded by Requests.class. */
    private static final Map<String, Handler> VERBS = new HashMap<>();
    /** Run at detach, before the bytecode is restored: features stop their threads and remove their advice. */
    private static final List<Runnable> ON_DETACH = new ArrayList<>();

    private Requests() {}

    public static synchronized void register(String verb, Handler handler) {
        VERBS.put(verb, handler);
    }

    public static synchronized void onDetach(Runnable stop) {
        ON_DETACH.add(stop);
    }

    /** Runs every detach hook; one that fails does not keep the others from running. */
    public static void detaching() {
        List<Runnable> hooks;
        synchronized (Requests.class) {
            hooks = new ArrayList<>(ON_DETACH);
        }
        for (Runnable r : hooks) {
            try {
                r.run();
            } catch (Throwable e) {
                // never into the application; the feature's own files say what it managed
            }
        }
    }

    /** Runs {@code line} if its verb is registered; returns false for an unknown verb. */
    public static boolean run(Path dir, String line) {
        String[] parts = line.split(" ", 3);
        Handler h;
        synchronized (Requests.class) {
            h = VERBS.get(parts[0]);
        }
        if (h == null) {
            return false;
        }
        if (parts.length < 2 || !parts[1].matches("[A-Za-z0-9_-]{1,64}")) {
            return true; // no usable id: nowhere to answer; the CLI times out with its own sentence
        }
        String id = parts[1];
        try {
            h.run(dir, id, parts.length > 2 ? parts[2] : "");
        } catch (Throwable e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            AtomicFiles.write(dir.resolve(id + ".error"), why.strip() + "\n");
        }
        return true;
    }
}
