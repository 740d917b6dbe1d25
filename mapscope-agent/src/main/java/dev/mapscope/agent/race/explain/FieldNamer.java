package dev.mapscope.agent.race.explain;

import dev.mapscope.agent.race.explain.ReceiverScan.Site;
import dev.mapscope.agent.race.explain.ReceiverScan.Value;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Names the field that holds a raced map, from the bytecode of the first application frame of a stack: the call
 * on that frame's line that reached the map's frame above it, and where its receiver came from (a GETFIELD or a
 * GETSTATIC, possibly through a local variable, a getter, a view such as {@code keySet()} or a wrapper such as
 * {@code Collections.unmodifiableMap}). Never throws, never loads a class: the class file is read as a resource
 * of the given class loaders.
 */
public final class FieldNamer {
    /*
     * Stacks carry lines, not bytecode indexes (a StackTraceElement has none), so the call is found by its line
     * and its method's name (the name of the frame just above the application's frame). One line that makes
     * that call on maps from two different fields is ambiguous and said so; two calls on one field are fine.
     * Taking bytecode indexes would mean StackWalker where the detector takes its stacks, at a cost on the slow
     * path only, but for little: a line rarely calls one method on two maps.
     *
     * Where the map is an argument rather than the receiver (a copy constructor or putAll iterating it,
     * String.valueOf or a string concatenation calling its toString), the arguments that come from fields are
     * the candidates.
     */

    /** class files larger than this are not read */
    static final int MAX_CLASS_BYTES = 8 << 20;
    /** getters followed, one inside another */
    static final int MAX_GETTER_DEPTH = 3;

    /** calls that return a view of their receiver: the view's map is the receiver's */
    private static final Set<String> VIEWS = Set.of(
            "keySet",
            "values",
            "entrySet",
            "navigableKeySet",
            "descendingKeySet",
            "descendingMap",
            "headMap",
            "tailMap",
            "subMap",
            "headSet",
            "tailSet",
            "subSet",
            "iterator",
            "descendingIterator",
            "spliterator",
            "stream",
            "parallelStream",
            "sequencedKeySet",
            "sequencedValues",
            "sequencedEntrySet",
            "reversed");

    /** methods whose argument is iterated: when the stack shows an iteration under them, the map is the argument */
    private static final Set<String> BULK =
            Set.of("putAll", "addAll", "containsAll", "removeAll", "retainAll", "equals", "<init>");

    private final List<ClassLoader> loaders;

    private FieldNamer(List<ClassLoader> loaders) {
        this.loaders = loaders;
    }

    /**
     * The field read at the first application frame of {@code stack} (frames as {@code class.method(File:line)},
     * innermost first), looking for class files in {@code loaders} (nulls skipped; the system class loader is
     * tried last). Any failure gives a MapField without a name and a note.
     */
    public static MapField name(List<String> stack, List<ClassLoader> loaders) {
        String frame = null;
        try {
            int app = appFrame(stack);
            if (app < 0) {
                return MapField.unnamed(null, "no application frame in the stack");
            }
            frame = stack.get(app);
            if (app == 0) {
                return MapField.unnamed(frame, "the map's own frames are missing from the stack");
            }
            return new FieldNamer(loaders).name(frame, stack.get(app - 1), stack.subList(0, app - 1));
        } catch (Throwable t) { // never into the reporter: the finding stays, without a field
            return MapField.unnamed(frame, "the namer failed (" + t.getClass().getSimpleName() + ")");
        }
    }

    private MapField name(String frame, String callee, List<String> inside) {
        String cls = className(frame);
        String method = methodName(frame);
        int line = lineNumber(frame);
        if (line < 0) {
            return MapField.unnamed(frame, "no line number in the frame");
        }
        byte[] bytes = classFile(cls);
        if (bytes == null) {
            return MapField.unnamed(frame, "no class file for " + cls + " (a generated class?)");
        }
        List<Site> sites = scan(bytes, method, null, line).sites;
        String calleeClass = className(callee);
        String calleeMethod = methodName(callee);
        List<Site> calls = new ArrayList<>();
        for (Site s : sites) {
            if (s.name().equals(calleeMethod)) {
                calls.add(s);
            }
        }
        if (calls.isEmpty() && !collectionClass(calleeClass)) {
            // reached through code that is not a map's: String.valueOf, a string concatenation (invokedynamic)
            for (Site s : sites) {
                if (s.opcode() == Opcodes.INVOKEDYNAMIC || s.opcode() == Opcodes.INVOKESTATIC) {
                    calls.add(s);
                }
            }
        }
        if (calls.isEmpty()) {
            return MapField.unnamed(frame, "line " + line + " calls no " + calleeMethod + "()");
        }
        boolean iterated = false;
        for (String f : inside) {
            iterated |= className(f).contains("Iterator") || methodName(f).equals("forEach");
        }
        Set<Resolved> named = new LinkedHashSet<>();
        Resolved firstUnnamed = null;
        for (Site s : calls) {
            boolean onReceiver =
                    s.receiver() != null && collectionClass(calleeClass) && !(iterated && BULK.contains(calleeMethod));
            if (onReceiver) {
                Resolved r = resolve(s.receiver(), cls, method, 0);
                if (r.field != null) {
                    named.add(r);
                } else if (firstUnnamed == null) {
                    firstUnnamed = r;
                }
            } else {
                boolean any = false;
                for (Value a : s.args()) {
                    Resolved r = resolve(a, cls, method, 0);
                    if (r.field != null) {
                        named.add(r);
                        any = true;
                    }
                }
                if (!any && firstUnnamed == null) {
                    firstUnnamed = Resolved.note("the map was passed to " + s.name() + "() from no field");
                }
            }
        }
        if (named.size() == 1) {
            Resolved r = named.iterator().next();
            return MapField.named(r.field, r.isStatic, frame);
        }
        if (named.size() > 1) {
            List<String> names = new ArrayList<>();
            for (Resolved r : named) {
                names.add(r.field);
            }
            return MapField.unnamed(
                    frame,
                    "ambiguous: line " + line + " calls " + calleeMethod + "() on " + String.join(" and ", names));
        }
        return MapField.unnamed(frame, firstUnnamed.note);
    }

    /** A field, or why there is none. */
    private record Resolved(String field, boolean isStatic, String note) {
        static Resolved note(String note) {
            return new Resolved(null, false, note);
        }
    }

    private Resolved resolve(Value v, String cls, String method, int depth) {
        switch (v.kind) {
            case FIELD:
                return new Resolved(v.owner.replace('/', '.') + "." + v.name, v.isStatic, null);
            case THIS:
                return Resolved.note("the map is the object itself (" + simple(cls) + " extends a map class)");
            case PARAM:
                if (method.startsWith("lambda$")) {
                    return Resolved.note("a variable captured by a lambda in " + simple(cls) + "." + enclosing(method));
                }
                return Resolved.note("a parameter of " + simple(cls) + "." + method + " (the caller passed it in)");
            case NEW:
                return Resolved.note("a map made in " + simple(cls) + "." + method + ", not read from a field");
            case CALL:
                return resolveCall(v, cls, method, depth);
            case MERGED:
                Set<Resolved> named = new LinkedHashSet<>();
                for (Value w : v.values) {
                    Resolved r = resolve(w, cls, method, depth);
                    if (r.field == null) {
                        return Resolved.note("one of several values, not all from a field");
                    }
                    named.add(r);
                }
                if (named.size() == 1) {
                    return named.iterator().next();
                }
                List<String> names = new ArrayList<>();
                for (Resolved r : named) {
                    names.add(r.field);
                }
                return Resolved.note("ambiguous: " + String.join(" or ", names));
            default:
                return Resolved.note("an expression the namer does not follow");
        }
    }

    private Resolved resolveCall(Value v, String cls, String method, int depth) {
        String owner = v.owner.replace('/', '.');
        if (v.receiver != null && VIEWS.contains(v.name)) {
            return resolve(v.receiver, cls, method, depth);
        }
        if (v.isStatic
                && owner.equals("java.util.Collections")
                && v.values.length > 0
                && (v.name.startsWith("unmodifiable")
                        || v.name.startsWith("synchronized")
                        || v.name.startsWith("checked"))) {
            return resolve(v.values[0], cls, method, depth);
        }
        String returned = "the value returned by " + simple(owner) + "." + v.name + "()";
        if (v.values.length > 0 || isJdk(owner) || depth >= MAX_GETTER_DEPTH) {
            return Resolved.note(returned);
        }
        byte[] bytes = classFile(owner);
        if (bytes == null) {
            return Resolved.note(returned);
        }
        ReceiverScan getter = scan(bytes, v.name, v.desc, -1);
        if (getter == null || getter.returned.isEmpty()) {
            return Resolved.note(returned);
        }
        Resolved only = null;
        for (Value r : getter.returned) {
            Resolved x = resolve(r, owner, v.name, depth + 1);
            if (x.field == null || (only != null && !only.equals(x))) {
                return Resolved.note(returned);
            }
            only = x;
        }
        return only;
    }

    /**
     * Runs the methods named {@code method} (with descriptor {@code desc}, or any) of a class file; the calls on
     * {@code line} are gathered over all of them. Returns the last method scanned, or null if none.
     */
    private static ReceiverScan scan(byte[] bytes, String method, String desc, int line) {
        List<ReceiverScan> scans = new ArrayList<>();
        new ClassReader(bytes)
                .accept(
                        new ClassVisitor(Opcodes.ASM9) {
                            @Override
                            public MethodVisitor visitMethod(
                                    int access, String name, String d, String signature, String[] exceptions) {
                                if (!name.equals(method) || (desc != null && !desc.equals(d))) {
                                    return null;
                                }
                                ReceiverScan s = new ReceiverScan(access, d, line);
                                scans.add(s);
                                return s;
                            }
                        },
                        ClassReader.SKIP_FRAMES);
        if (scans.isEmpty()) {
            return null;
        }
        ReceiverScan all = scans.get(scans.size() - 1);
        for (ReceiverScan s : scans) {
            if (s != all) {
                all.sites.addAll(0, s.sites);
            }
        }
        return all;
    }

    private byte[] classFile(String cls) {
        String path = cls.replace('.', '/') + ".class";
        List<ClassLoader> tried = new ArrayList<>(loaders);
        tried.add(ClassLoader.getSystemClassLoader());
        for (ClassLoader l : tried) {
            if (l == null) {
                continue;
            }
            try (InputStream in = l.getResourceAsStream(path)) {
                if (in != null) {
                    byte[] b = in.readNBytes(MAX_CLASS_BYTES + 1);
                    return b.length > MAX_CLASS_BYTES ? null : b;
                }
            } catch (IOException | RuntimeException e) {
                // this loader cannot say: try the next
            }
        }
        return null;
    }

    /** The index of the first frame outside the JDK, or -1. */
    static int appFrame(List<String> stack) {
        for (int i = 0; i < stack.size(); i++) {
            if (!isJdk(className(stack.get(i)))) {
                return i;
            }
        }
        return -1;
    }

    /** The JDK classes a map call goes through: maps, sets, their views and iterators, wrappers. */
    static boolean collectionClass(String c) {
        if (!c.startsWith("java.util.") || c.indexOf('.', "java.util.".length()) >= 0) {
            return false; // not java.util itself (java.util.concurrent, java.util.stream...)
        }
        String simple = c.substring("java.util.".length());
        int dollar = simple.indexOf('$');
        String outer = dollar < 0 ? simple : simple.substring(0, dollar);
        return outer.endsWith("Map")
                || outer.endsWith("Set")
                || outer.equals("AbstractCollection")
                || outer.equals("Collection")
                || outer.equals("Collections")
                || outer.equals("Iterator")
                || outer.equals("Spliterator");
    }

    static boolean isJdk(String c) {
        return c.startsWith("java.")
                || c.startsWith("javax.")
                || c.startsWith("jdk.")
                || c.startsWith("sun.")
                || c.startsWith("com.sun.");
    }

    static String className(String frame) {
        int open = frame.indexOf('(');
        String qualified = open < 0 ? frame : frame.substring(0, open);
        int dot = qualified.lastIndexOf('.');
        return dot < 0 ? qualified : qualified.substring(0, dot);
    }

    static String methodName(String frame) {
        int open = frame.indexOf('(');
        String qualified = open < 0 ? frame : frame.substring(0, open);
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    /** The frame's line, or -1. */
    static int lineNumber(String frame) {
        int colon = frame.lastIndexOf(':');
        int close = frame.lastIndexOf(')');
        if (colon < 0 || close < colon) {
            return -1;
        }
        try {
            return Integer.parseInt(frame.substring(colon + 1, close));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String simple(String cls) {
        return cls.substring(cls.lastIndexOf('.') + 1);
    }

    /** {@code lambda$main$2} → {@code main}: the method the lambda was written in. */
    private static String enclosing(String lambda) {
        String[] parts = lambda.split("\\$");
        return parts.length >= 2 ? parts[1] : lambda;
    }
}
