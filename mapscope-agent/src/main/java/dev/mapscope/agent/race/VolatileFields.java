package dev.mapscope.agent.race;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Whether a field named in another class's bytecode is volatile, answered from class files read through the
 * loader as resources: a transformer must not load classes (a class loaded from inside a transformer is
 * shown to no transformer, and loading can deadlock). Thread-safe; bounded: at most {@link #PER_LOADER} classes per
 * loader, loaders held weakly.
 */
final class VolatileFields {
    static final int PER_LOADER = 4096;

    /** A class file's superclass and fields. */
    private static final class Info {
        String superName;
        final Set<String> fields = new HashSet<>();
        final Set<String> volatiles = new HashSet<>();
    }

    /** guarded by this */
    private final Map<ClassLoader, Map<String, Info>> byLoader = new WeakHashMap<>();
    /** the boot loader's classes; guarded by this */
    private final Map<String, Info> boot = lru();

    private static Map<String, Info> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Info> eldest) {
                return size() > PER_LOADER;
            }
        };
    }

    /** JDK classes: application bytecode sees only their public fields, none of which is volatile. */
    static boolean jdk(String internalName) {
        return internalName.startsWith("java/")
                || internalName.startsWith("javax/")
                || internalName.startsWith("jdk/")
                || internalName.startsWith("sun/")
                || internalName.startsWith("com/sun/");
    }

    /**
     * TRUE or FALSE, or null when a class file on the way up from {@code owner} to the declaring class could
     * not be read (the caller counts it: a volatile access it cannot see is a missing edge).
     */
    Boolean isVolatile(ClassLoader loader, String owner, String field, boolean skipJdk) {
        String c = owner;
        for (int depth = 0; c != null && depth < 64; depth++) {
            if (skipJdk && jdk(c)) {
                return Boolean.FALSE;
            }
            Info i = info(loader, c);
            if (i == null) {
                return null;
            }
            if (i.fields.contains(field)) {
                return i.volatiles.contains(field);
            }
            c = i.superName;
        }
        return Boolean.FALSE; // not in the superclass chain: an interface constant, final by definition
    }

    /**
     * The class file's facts, read outside the monitor: a loader's getResource may take that loader's lock,
     * which a thread defining a class holds while it waits for this transformer.
     */
    private Info info(ClassLoader loader, String name) {
        synchronized (this) {
            Map<String, Info> m = loader == null ? boot : byLoader.computeIfAbsent(loader, l -> lru());
            if (m.containsKey(name)) {
                return m.get(name);
            }
        }
        Info i = read(loader, name);
        synchronized (this) {
            Map<String, Info> m = loader == null ? boot : byLoader.computeIfAbsent(loader, l -> lru());
            m.put(name, i); // null too: a class file that is not there stays not there
        }
        return i;
    }

    private static Info read(ClassLoader loader, String name) {
        String resource = name + ".class";
        try (InputStream in = loader == null
                ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Info info = new Info();
            new ClassReader(in.readAllBytes())
                    .accept(
                            new ClassVisitor(Opcodes.ASM9) {
                                @Override
                                public void visit(
                                        int version,
                                        int access,
                                        String n,
                                        String signature,
                                        String superName,
                                        String[] itf) {
                                    info.superName = superName;
                                }

                                @Override
                                public FieldVisitor visitField(
                                        int access, String n, String desc, String signature, Object value) {
                                    info.fields.add(n);
                                    if ((access & Opcodes.ACC_VOLATILE) != 0) {
                                        info.volatiles.add(n);
                                    }
                                    return null;
                                }
                            },
                            ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            return info;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
