package dev.mapscope.agent.transform;

import dev.mapscope.agent.boot.probe.ProbeGate;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Puts an {@link AdviceTable} into the JVM and takes it out again: a plain ClassFileTransformer that weaves the rows
 * of the classes it names (from {@link WovenCache} when it can, else with {@link Weaver}) and leaves every other
 * class alone after one map lookup.
 */
public final class AdviceTransformer implements ClassFileTransformer {
    /*
     * Byte Buddy's AgentBuilder did this before, at the cost of its general machinery: about 1,500 classes loaded and
     * over a second of start-up to instrument a dozen known JDK classes. Here Byte Buddy is loaded only when a class
     * is not in the woven cache, and then only its Advice and type descriptions.
     *
     * Every class of the table is loaded before the transformer is registered: a class first loaded while a
     * transformer runs on the same thread is shown to no transformer (the JVM's re-entrancy guard; Byte Buddy loads
     * TreeMap while it weaves), so it would silently stay as it was. They are then retransformed together.
     */
    private final AdviceTable table;
    private final WovenCache cache;
    private final List<String> errors;
    private final Set<String> transformed;
    /** the loaded classes of the table, retransformed at install and at uninstall */
    private final List<Class<?>> classes = new ArrayList<>();

    private final Object lock = new Object();
    /** guarded by lock */
    private int fromCache;

    private int woven;

    private AdviceTransformer(AdviceTable table, WovenCache cache, List<String> errors, Set<String> transformed) {
        this.table = table;
        this.cache = cache;
        this.errors = errors;
        this.transformed = transformed;
    }

    /**
     * Loads the table's classes, registers the transformer and retransforms them; returns it, for {@link #uninstall}.
     * {@code build} (the agent's build id, or null) keys the woven cache. Classes that could not be woven are added
     * to {@code errors} ("name: cause"), those that were to {@code transformed}.
     */
    public static AdviceTransformer install(
            Instrumentation inst, AdviceTable table, String build, List<String> errors, Set<String> transformed) {
        AdviceTransformer t =
                new AdviceTransformer(table, WovenCache.open(build, table.fingerprint()), errors, transformed);
        for (String name : table.typeNames()) {
            try {
                Class<?> c = Class.forName(name, false, null);
                if (inst.isModifiableClass(c)) {
                    t.classes.add(c);
                }
            } catch (ClassNotFoundException e) {
                // not in this JDK (a nested class renamed, VirtualThread before 21): nothing to instrument
            }
        }
        inst.addTransformer(t, true);
        retransform(inst, t.classes, errors);
        return t;
    }

    /** Removes the transformer and retransforms its classes without it: the original bytecode is back. */
    public void uninstall(Instrumentation inst) {
        inst.removeTransformer(this);
        retransform(inst, classes, new ArrayList<>());
    }

    /** "woven N, from cache M", for the agent's status. */
    public String counts() {
        synchronized (lock) {
            return "{\"woven\":" + woven + ",\"fromCache\":" + fromCache + ",\"cache\":" + cache.enabled() + "}";
        }
    }

    private static void retransform(Instrumentation inst, List<Class<?>> classes, List<String> errors) {
        if (classes.isEmpty()) {
            return;
        }
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (Throwable all) {
            for (Class<?> c : classes) {
                try {
                    inst.retransformClasses(c);
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(c.getName() + ": " + e);
                    }
                }
            }
        }
    }

    @Override
    public byte[] transform(
            ClassLoader loader, String internalName, Class<?> loaded, ProtectionDomain domain, byte[] bytes) {
        if (internalName == null || loader != null) {
            return null; // every row names a JDK class of the bootstrap loader
        }
        String name = internalName.replace('/', '.');
        List<Hook> hooks = table.hooks(name);
        if (hooks == null) {
            return null;
        }
        boolean was = ProbeGate.enterAgent(); // the weaver's own maps are not the application's
        try {
            byte[] out = cache.get(name, bytes);
            boolean hit = out != null;
            if (!hit) {
                out = Weaver.weave(name, bytes, loader, loaded, hooks);
                cache.put(name, bytes, out);
            }
            synchronized (lock) {
                if (hit) {
                    fromCache++;
                } else {
                    woven++;
                }
            }
            synchronized (transformed) {
                transformed.add(name);
            }
            return out;
        } catch (Throwable e) {
            synchronized (errors) {
                errors.add(name + ": " + e);
            }
            return null;
        } finally {
            ProbeGate.leaveAgent(was);
        }
    }
}
