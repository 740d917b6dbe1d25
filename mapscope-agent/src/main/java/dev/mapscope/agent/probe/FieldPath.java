package dev.mapscope.agent.probe;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;

/**
 * Resolves {@code CLASS.STATICFIELD[.FIELD...]} to the object it holds now, by reflection, in whatever class
 * loader the class lives. Fields of JDK classes are made readable by opening their package to the agent
 * (Instrumentation.redefineModule) rather than by failing.
 */
final class FieldPath {
    private FieldPath() {}

    /** The object at {@code path}; throws IllegalArgumentException with one sentence for every mistake. */
    static Object resolve(Instrumentation inst, String path, String as) {
        String[] parts = path.split("\\.");
        Class<?> c = null;
        int next = 0;
        for (int i = parts.length - 1; i >= 1 && c == null; i--) {
            c = loadedClass(inst, String.join(".", java.util.Arrays.copyOfRange(parts, 0, i)));
            next = i;
        }
        if (c == null) {
            throw new IllegalArgumentException("no class loaded in this JVM matches " + as
                    + " (the path is CLASS.STATICFIELD[.FIELD...] and the class must be loaded)");
        }
        Field f = field(c, parts[next]);
        String where = c.getName() + "." + parts[next];
        if (f == null) {
            throw new IllegalArgumentException(
                    "class " + c.getName() + " has no field " + parts[next] + " (" + as + ")");
        }
        if (!Modifier.isStatic(f.getModifiers())) {
            throw new IllegalArgumentException(
                    "field " + where + " is not static (" + as + "): the path starts at a static field");
        }
        Object v = read(inst, f, null);
        for (int i = next + 1; i < parts.length; i++) {
            if (v == null) {
                throw new IllegalArgumentException("field " + where + " is null (" + as + ")");
            }
            Field g = field(v.getClass(), parts[i]);
            if (g == null || Modifier.isStatic(g.getModifiers())) {
                throw new IllegalArgumentException(
                        "class " + v.getClass().getName() + " has no instance field " + parts[i] + " (" + as + ")");
            }
            where = where + "." + parts[i];
            v = read(inst, g, v);
        }
        if (v == null) {
            throw new IllegalArgumentException("field " + where + " is null (" + as + ")");
        }
        return v;
    }

    /** A loaded class named {@code name}, nested classes also written with dots; null if none. */
    static Class<?> loadedClass(Instrumentation inst, String name) {
        Class<?> dotted = null;
        for (Class<?> c : inst.getAllLoadedClasses()) {
            String n = c.getName();
            if (n.equals(name)) {
                return c;
            }
            if (dotted == null && n.indexOf('$') > 0 && n.replace('$', '.').equals(name)) {
                dotted = c;
            }
        }
        return dotted;
    }

    private static Field field(Class<?> c, String name) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                if (f.getName().equals(name)) {
                    return f;
                }
            }
        }
        return null;
    }

    static Object read(Instrumentation inst, Field f, Object owner) {
        open(inst, f);
        try {
            return f.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("field " + f.getDeclaringClass().getName() + "." + f.getName()
                    + " cannot be read: " + e.getMessage());
        }
    }

    /** Makes {@code f} accessible, opening its package to the agent's module when it is closed to it. */
    static void open(Instrumentation inst, Field f) {
        try {
            f.setAccessible(true);
        } catch (InaccessibleObjectException e) {
            Class<?> d = f.getDeclaringClass();
            Module target = d.getModule();
            Module me = FieldPath.class.getModule();
            inst.redefineModule(target, Set.of(), Map.of(), Map.of(d.getPackageName(), Set.of(me)), Set.of(), Map.of());
            f.setAccessible(true);
        }
    }
}
