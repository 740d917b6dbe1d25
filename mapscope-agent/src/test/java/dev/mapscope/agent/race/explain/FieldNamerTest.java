package dev.mapscope.agent.race.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The namer over the compiled {@link NamerFixtures}: each stack is the one the agent would record at that call
 * (the map's frames above the fixture's frame), with the fixture's real line, found in its class file.
 */
class FieldNamerTest {
    private static final String FIXTURES = NamerFixtures.class.getName();
    private static final String SERVICE = FIXTURES + "$Service";
    private static final List<ClassLoader> LOADERS = List.of(FieldNamerTest.class.getClassLoader());

    /** The line of the {@code nth} call named {@code call} in {@code method} of {@code cls}, from its class file. */
    private static int line(String cls, String method, String call, int nth) throws IOException {
        byte[] bytes;
        try (InputStream in =
                FieldNamerTest.class.getClassLoader().getResourceAsStream(cls.replace('.', '/') + ".class")) {
            bytes = in.readAllBytes();
        }
        List<Integer> found = new ArrayList<>();
        new ClassReader(bytes)
                .accept(
                        new ClassVisitor(Opcodes.ASM9) {
                            @Override
                            public MethodVisitor visitMethod(int a, String name, String d, String s, String[] e) {
                                if (!name.equals(method)) {
                                    return null;
                                }
                                return new MethodVisitor(Opcodes.ASM9) {
                                    int line;

                                    @Override
                                    public void visitLineNumber(int l, Label start) {
                                        line = l;
                                    }

                                    @Override
                                    public void visitMethodInsn(int op, String o, String n, String desc, boolean i) {
                                        if (n.equals(call)) {
                                            found.add(line);
                                        }
                                    }
                                };
                            }
                        },
                        0);
        return found.get(nth);
    }

    private static String frame(String cls, String method, int line) {
        return cls + "." + method + "(NamerFixtures.java:" + line + ")";
    }

    /** The stack of a put at the first call named {@code call} in {@code method}. */
    private static List<String> at(String cls, String method, String call, String... mapFrames) throws IOException {
        List<String> stack = new ArrayList<>(List.of(mapFrames));
        stack.add(frame(cls, method, line(cls, method, call, 0)));
        stack.add("java.lang.Thread.run(Thread.java:840)");
        return stack;
    }

    private static final String[] PUT = {
        "java.util.HashMap.putVal(HashMap.java:626)", "java.util.HashMap.put(HashMap.java:610)"
    };

    @Test
    void anInstanceField() throws IOException {
        List<String> stack = at(SERVICE, "instanceField", "put", PUT);
        MapField f = FieldNamer.name(stack, LOADERS);
        assertThat(f.name()).isEqualTo(SERVICE + ".cache");
        assertThat(f.isStatic()).isFalse();
        assertThat(f.frame()).isEqualTo(stack.get(2));
    }

    @Test
    void aStaticField() throws IOException {
        MapField f = FieldNamer.name(at(SERVICE, "staticField", "put", PUT), LOADERS);
        assertThat(f.name()).isEqualTo(FIXTURES + ".PRICES");
        assertThat(f.isStatic()).isTrue();
    }

    @Test
    void aLocalVariableCopiedFromAField() throws IOException {
        assertThat(FieldNamer.name(at(SERVICE, "localCopy", "put", PUT), LOADERS)
                        .name())
                .isEqualTo(SERVICE + ".cache");
    }

    @Test
    void aGetterThatReturnsAField() throws IOException {
        assertThat(FieldNamer.name(at(SERVICE, "viaGetter", "put", PUT), LOADERS)
                        .name())
                .isEqualTo(SERVICE + ".cache");
    }

    @Test
    void aSetNamesTheSetsField() throws IOException {
        MapField f = FieldNamer.name(
                at(SERVICE, "setField", "add", PUT[0], PUT[1], "java.util.HashSet.add(HashSet.java:229)"), LOADERS);
        assertThat(f.name()).isEqualTo(SERVICE + ".seen");
    }

    @Test
    void aViewOfTheMapNamesTheMapsField() throws IOException {
        String[] next = {
            "java.util.HashMap$HashIterator.nextNode(HashMap.java:1597)",
            "java.util.HashMap$KeyIterator.next(HashMap.java:1620)"
        };
        assertThat(FieldNamer.name(at(SERVICE, "forEachOverKeys", "next", next), LOADERS)
                        .name())
                .as("for (k : cache.keySet())")
                .isEqualTo(SERVICE + ".cache");
        String[] entry = {
            "java.util.HashMap$HashIterator.nextNode(HashMap.java:1597)",
            "java.util.HashMap$EntryIterator.next(HashMap.java:1630)"
        };
        assertThat(FieldNamer.name(at(SERVICE, "iteratorOfView", "next", entry), LOADERS)
                        .name())
                .as("it = cache.entrySet().iterator(); it.next()")
                .isEqualTo(SERVICE + ".cache");
    }

    @Test
    void theMapAsAnArgumentThatIsIterated() throws IOException {
        String[] copy = {
            "java.util.HashMap$HashIterator.nextNode(HashMap.java:1597)",
            "java.util.HashMap$EntryIterator.next(HashMap.java:1630)",
            "java.util.HashMap.putMapEntries(HashMap.java:511)",
            "java.util.HashMap.<init>(HashMap.java:484)"
        };
        assertThat(FieldNamer.name(at(SERVICE, "copy", "<init>", copy), LOADERS).name())
                .as("new HashMap<>(cache)")
                .isEqualTo(SERVICE + ".cache");
        String[] printed = {
            "java.util.HashMap$HashIterator.nextNode(HashMap.java:1597)",
            "java.util.AbstractMap.toString(AbstractMap.java:550)",
            "java.lang.String.valueOf(String.java:4465)"
        };
        assertThat(FieldNamer.name(at(SERVICE, "printed", "valueOf", printed), LOADERS)
                        .name())
                .as("String.valueOf(cache)")
                .isEqualTo(SERVICE + ".cache");
    }

    @Test
    void oneLineThatPutsIntoTwoFieldsIsAmbiguous() throws IOException {
        MapField f = FieldNamer.name(at(SERVICE, "ambiguousLine", "put", PUT), LOADERS);
        assertThat(f.known()).isFalse();
        assertThat(f.note()).contains("ambiguous", SERVICE + ".cache", SERVICE + ".other");
        assertThat(FieldNamer.name(at(SERVICE, "sameFieldTwice", "put", PUT), LOADERS)
                        .name())
                .as("two calls on one field are not ambiguous")
                .isEqualTo(SERVICE + ".cache");
        MapField either = FieldNamer.name(at(SERVICE, "eitherField", "put", PUT), LOADERS);
        assertThat(either.known()).isFalse();
        assertThat(either.note()).contains("ambiguous: ", SERVICE + ".cache", " or ", SERVICE + ".other");
    }

    @Test
    void whatIsNotAFieldIsSaidInOnePhrase() throws IOException {
        assertThat(FieldNamer.name(at(SERVICE, "parameter", "put", PUT), LOADERS))
                .satisfies(f -> assertThat(f.known()).isFalse())
                .satisfies(f -> assertThat(f.note())
                        .isEqualTo("a parameter of NamerFixtures$Service.parameter (the " + "caller passed it in)"));
        assertThat(FieldNamer.name(at(SERVICE, "returnedByAMethod", "put", PUT), LOADERS)
                        .note())
                .isEqualTo("the value returned by NamerFixtures$Service.fresh()");
        String lambda = lambdaName();
        List<String> captured = List.of(PUT[0], PUT[1], frame(SERVICE, lambda, line(SERVICE, lambda, "put", 0)));
        assertThat(FieldNamer.name(captured, LOADERS).note())
                .isEqualTo("a variable captured by a lambda in NamerFixtures$Service.captured");
    }

    @Test
    void aMissingClassFileOrABrokenStackIsANoteNeverAThrow() {
        assertThat(FieldNamer.name(List.of(PUT[0], PUT[1], "com.example.Gone.put(Gone.java:3)"), LOADERS)
                        .note())
                .isEqualTo("no class file for com.example.Gone (a generated class?)");
        assertThat(FieldNamer.name(List.of(PUT[0], PUT[1]), LOADERS).note())
                .isEqualTo("no application frame in the stack");
        assertThat(FieldNamer.name(List.of(PUT[0], PUT[1], SERVICE + ".instanceField(Unknown Source)"), LOADERS)
                        .note())
                .isEqualTo("no line number in the frame");
        assertThat(FieldNamer.name(List.of("garbage", "(", ")x:y", ""), LOADERS).known())
                .isFalse();
        List<ClassLoader> withNull = new ArrayList<>(LOADERS);
        withNull.add(0, null);
        assertThat(FieldNamer.name(List.of(PUT[0], PUT[1], frame(SERVICE, "instanceField", 1)), withNull)
                        .note())
                .as("line 1 has no call")
                .isEqualTo("line 1 calls no put()");
    }

    @Test
    void theClassIsReadNotLoadedSoItsStaticInitialiserDoesNotRun() throws IOException {
        String guarded = FIXTURES + "$Guarded";
        MapField f = FieldNamer.name(at(guarded, "put", "put", PUT), LOADERS);
        assertThat(f.name()).isEqualTo(guarded + ".TABLE");
        assertThat(NamerFixtures.guardedInitialised).isFalse();
    }

    /** javac's name for the lambda in Service.captured. */
    private static String lambdaName() throws IOException {
        byte[] bytes;
        try (InputStream in =
                FieldNamerTest.class.getClassLoader().getResourceAsStream(SERVICE.replace('.', '/') + ".class")) {
            bytes = in.readAllBytes();
        }
        List<String> names = new ArrayList<>();
        new ClassReader(bytes)
                .accept(
                        new ClassVisitor(Opcodes.ASM9) {
                            @Override
                            public MethodVisitor visitMethod(int a, String name, String d, String s, String[] e) {
                                if (name.startsWith("lambda$captured$")) {
                                    names.add(name);
                                }
                                return null;
                            }
                        },
                        0);
        return names.get(0);
    }
}
