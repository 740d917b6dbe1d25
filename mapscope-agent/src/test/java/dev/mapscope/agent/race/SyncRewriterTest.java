package dev.mapscope.agent.race;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mapscope.agent.boot.race.ClockProbe;
import dev.mapscope.agent.boot.race.Edges;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SyncRewriter on small classes, loaded through a class loader of their own after the rewrite (so the JVM
 * verifies the result) and run: the program still does what it did, and each synchronisation action now
 * reaches the clocks (a release starts a new epoch of the thread).
 */
class SyncRewriterTest {
    @BeforeAll
    static void on() {
        Edges.start();
    }

    @AfterAll
    static void off() {
        Edges.stop();
    }

    /** Defines the rewritten classes; every other class comes from the parent. */
    static final class Rewritten extends ClassLoader {
        final SyncRewriter.Counts counts = new SyncRewriter.Counts();
        final List<String> names;

        Rewritten(String... names) {
            super(SyncRewriterTest.class.getClassLoader());
            this.names = List.of(names);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (!names.contains(name)) {
                    return super.loadClass(name, resolve);
                }
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] b = bytes(name);
                    byte[] r =
                            SyncRewriter.rewrite(b, SyncRewriter.Scope.APP, getParent(), new VolatileFields(), counts);
                    byte[] use = r == null ? b : r;
                    c = defineClass(name, use, 0, use.length);
                }
                return c;
            }
        }
    }

    static byte[] bytes(String name) {
        try (InputStream in =
                SyncRewriterTest.class.getClassLoader().getResourceAsStream(name.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Object call(Class<?> c, Object target, String method) throws Throwable {
        Method m = c.getDeclaredMethod(method);
        m.setAccessible(true);
        try {
            return m.invoke(target);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    static Object instance(Class<?> c) throws Exception {
        var k = c.getDeclaredConstructor();
        k.setAccessible(true);
        return k.newInstance();
    }

    /** Each method's expected releases are in its name's last digit where a test counts them. */
    static final class Monitors {
        int n;

        synchronized int syncReturns() {
            return ++n;
        }

        synchronized int syncThrows() {
            n++;
            throw new IllegalStateException("thrown inside a synchronized method");
        }

        static synchronized long staticSync(long x) {
            return x * 2;
        }

        int block() {
            synchronized (this) {
                return ++n;
            }
        }

        void waits() throws InterruptedException {
            synchronized (this) {
                wait(1);
                wait(1, 0);
            }
        }
    }

    @Test
    void theRewrittenCallsNameTheClockClassWhereItIs() {
        // a stale internal name here makes every rewritten class throw NoClassDefFoundError under the agent
        assertThat(SyncRewriter.EDGES).isEqualTo(Edges.class.getName().replace('.', '/'));
    }

    @Test
    void aSynchronizedMethodReleasesOnReturnAndOnAThrow() throws Throwable {
        Rewritten loader = new Rewritten(Monitors.class.getName());
        Class<?> c = loader.loadClass(Monitors.class.getName());
        Object o = instance(c);
        int e0 = ClockProbe.epoch();
        assertThat(call(c, o, "syncReturns")).isEqualTo(1);
        assertThat(ClockProbe.epoch()).as("one release at the return").isEqualTo(e0 + 1);
        assertThatThrownBy(() -> call(c, o, "syncThrows"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("thrown inside a synchronized method");
        assertThat(ClockProbe.epoch())
                .as("one release in the catch-all, then the exception goes on")
                .isEqualTo(e0 + 2);
        assertThat(Thread.holdsLock(o)).isFalse();
        assertThat(call(c, o, "block")).isEqualTo(3);
        assertThat(ClockProbe.epoch()).as("monitorexit releases").isEqualTo(e0 + 3);
        Method s = c.getDeclaredMethod("staticSync", long.class);
        s.setAccessible(true);
        assertThat(s.invoke(null, 21L)).isEqualTo(42L);
        assertThat(ClockProbe.epoch())
                .as("a static synchronized method releases its class")
                .isEqualTo(e0 + 4);
        assertThat(loader.counts.skippedMethods).isZero();
    }

    @Test
    void waitReleasesAndReacquiresTheMonitor() throws Throwable {
        Class<?> c = new Rewritten(Monitors.class.getName()).loadClass(Monitors.class.getName());
        Object o = instance(c);
        int e0 = ClockProbe.epoch();
        call(c, o, "waits");
        assertThat(ClockProbe.epoch()).as("two waits and the monitorexit").isEqualTo(e0 + 3);
        assertThat(calls(Monitors.class.getName(), "waits"))
                .contains("Edges.waitOn(Ljava/lang/Object;J)V", "Edges.waitOn(Ljava/lang/Object;JI)V")
                .noneMatch(s -> s.contains(".wait("));
    }

    /** Another thread acquires what a synchronized method released: its clock learns this thread's epoch. */
    @Test
    void anotherThreadEnteringTheMonitorLearnsTheEpoch() throws Throwable {
        Class<?> c = new Rewritten(Monitors.class.getName()).loadClass(Monitors.class.getName());
        Object o = instance(c);
        call(c, o, "syncReturns");
        int me = ClockProbe.index();
        int released = ClockProbe.epoch() - 1;
        int[] seen = new int[1];
        Thread t = new Thread(() -> {
            try {
                call(c, o, "block");
                seen[0] = ClockProbe.knows(me);
            } catch (Throwable e) {
                seen[0] = -1;
            }
        });
        t.start();
        t.join();
        assertThat(seen[0]).isGreaterThanOrEqualTo(released);
    }

    static final class Volatiles {
        volatile long l = 1;
        volatile double d = 1.5;
        volatile int i = 1;
        static volatile long sl = 10;
        static volatile double sd = 0.25;
        volatile Volatiles next;

        long wide() {
            l = l + 2; // GETFIELD J then PUTFIELD J
            d = d * 2;
            sl = sl + l; // GETSTATIC, PUTSTATIC
            sd = sd + d;
            return l + (long) d + sl + (long) (sd * 4) + i;
        }

        long chained() {
            Volatiles v = new Volatiles();
            next = v;
            next.l = 5; // a volatile of another instance, reached through a volatile
            return next.l + next.i;
        }
    }

    @Test
    void volatileLongAndDoubleKeepTheirValuesThroughTheStackShuffles() throws Throwable {
        Rewritten loader = new Rewritten(Volatiles.class.getName());
        Class<?> c = loader.loadClass(Volatiles.class.getName());
        Object o = instance(c);
        int e0 = ClockProbe.epoch();
        // l=3, d=3.0, sl=13, sd=3.25: 3 + 3 + 13 + 13 + 1
        assertThat(call(c, o, "wide")).isEqualTo(33L);
        assertThat(ClockProbe.epoch()).as("four volatile writes").isEqualTo(e0 + 4);
        assertThat(call(c, o, "chained")).isEqualTo(6L);
        assertThat(loader.counts.unresolvedFields).isZero();
    }

    static final class Handles {
        static final VarHandle VALUE;

        static {
            try {
                VALUE = MethodHandles.lookup().findVarHandle(Handles.class, "value", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        volatile long value;

        long casThenRead() {
            boolean set = VALUE.compareAndSet(this, 0L, 7L);
            long v = (long) VALUE.getAcquire(this);
            VALUE.setRelease(this, v + 1);
            return set ? (long) VALUE.getVolatile(this) : -1;
        }
    }

    @Test
    void varHandleCallSitesKeepTheirArguments() throws Throwable {
        Class<?> c = new Rewritten(Handles.class.getName()).loadClass(Handles.class.getName());
        Object o = instance(c);
        int e0 = ClockProbe.epoch();
        assertThat(call(c, o, "casThenRead")).isEqualTo(8L);
        // compareAndSet and setRelease each release the object's clock and the statics clock
        assertThat(ClockProbe.epoch()).isEqualTo(e0 + 4);
        assertThat(calls(Handles.class.getName(), "casThenRead"))
                .contains("Edges.releaseAccess(Ljava/lang/Object;)V", "Edges.acquireAccess(Ljava/lang/Object;)V");
        assertThat(calls(Handles.class.getName(), "<clinit>")).contains("Edges.classInitialized()V");
    }

    /** Nothing to rewrite: the class file is returned as it was (null), and its methods run untouched. */
    static final class Plain {
        int x;

        int add(int y) {
            return x += y;
        }
    }

    @Test
    void aClassWithoutSynchronisationIsLeftAlone() {
        assertThat(SyncRewriter.rewrite(
                        bytes(Plain.class.getName()),
                        SyncRewriter.Scope.APP,
                        null,
                        new VolatileFields(),
                        new SyncRewriter.Counts()))
                .isNull();
        assertThat(SyncRewriter.rewrite(
                        bytes(Monitors.class.getName()),
                        SyncRewriter.Scope.CLINIT_ONLY,
                        null,
                        new VolatileFields(),
                        new SyncRewriter.Counts()))
                .as("no static initializer")
                .isNull();
    }

    @Test
    void theAgentsOwnClassesAndTheHooksPathAreNeverRewritten() {
        assertThat(SyncTransformer.scope(null, "java/lang/ThreadLocal")).isNull();
        assertThat(SyncTransformer.scope(null, "java/lang/Thread")).isNull();
        assertThat(SyncTransformer.scope(null, "jdk/internal/misc/Unsafe")).isNull();
        assertThat(SyncTransformer.own(null, "dev/mapscope/agent/boot/race/Edges", null))
                .isTrue();
        assertThat(SyncTransformer.scope(null, "java/util/Hashtable")).isEqualTo(SyncRewriter.Scope.JDK_MONITORS);
        assertThat(SyncTransformer.scope(null, "java/util/stream/Collectors"))
                .as("groupingByConcurrent's monitor")
                .isEqualTo(SyncRewriter.Scope.JDK_MONITORS);
        assertThat(SyncTransformer.scope(null, "java/util/zip/ZipFile"))
                .as("class loading reads jars under these monitors: they would order every loading thread")
                .isEqualTo(SyncRewriter.Scope.CLINIT_ONLY);
        assertThat(SyncTransformer.scope(null, "java/util/concurrent/CompletableFuture$UniApply"))
                .isEqualTo(SyncRewriter.Scope.JDK_FULL);
        assertThat(SyncTransformer.scope(null, "java/util/concurrent/locks/ReentrantReadWriteLock"))
                .as("read locks must not order readers")
                .isEqualTo(SyncRewriter.Scope.CLINIT_ONLY);
        assertThat(SyncTransformer.scope(getClass().getClassLoader(), "com/example/App"))
                .isEqualTo(SyncRewriter.Scope.APP);
    }

    /** A synchronized method that stores into local 0 cannot name its monitor in a handler: skipped, counted. */
    @Test
    void aSynchronizedMethodThatOverwritesThisIsSkippedAndCounted() {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V11, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "t/Odd", null, "java/lang/Object", null);
        MethodVisitor m = w.visitMethod(Opcodes.ACC_SYNCHRONIZED, "odd", "()V", null, null);
        m.visitCode();
        m.visitInsn(Opcodes.ACONST_NULL);
        m.visitVarInsn(Opcodes.ASTORE, 0);
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        w.visitEnd();
        SyncRewriter.Counts counts = new SyncRewriter.Counts();
        assertThat(SyncRewriter.rewrite(w.toByteArray(), SyncRewriter.Scope.APP, null, new VolatileFields(), counts))
                .isNull();
        assertThat(counts.skippedMethods).isEqualTo(1);
    }

    @Test
    void accessKindsFollowTheMemoryModel() {
        assertThat(SyncRewriter.accessKind("getVolatile")).isEqualTo(1);
        assertThat(SyncRewriter.accessKind("getReferenceAcquire")).isEqualTo(1);
        assertThat(SyncRewriter.accessKind("setRelease")).isEqualTo(2);
        assertThat(SyncRewriter.accessKind("putOrderedInt")).isEqualTo(2);
        assertThat(SyncRewriter.accessKind("compareAndSwapObject")).isEqualTo(3);
        assertThat(SyncRewriter.accessKind("getAndAddLong")).isEqualTo(3);
        assertThat(SyncRewriter.accessKind("weakCompareAndSetPlain"))
                .as("plain: no order")
                .isZero();
        assertThat(SyncRewriter.accessKind("get")).as("plain get").isZero();
        assertThat(SyncRewriter.accessKind("setOpaque")).isZero();
    }

    @Test
    void fencesReleaseBeforeAndAcquireAfter() {
        int stat = Opcodes.INVOKESTATIC;
        int virt = Opcodes.INVOKEVIRTUAL;
        String vh = "java/lang/invoke/VarHandle";
        assertThat(SyncRewriter.fenceKind(stat, vh, "releaseFence")).isEqualTo(2);
        assertThat(SyncRewriter.fenceKind(stat, vh, "storeStoreFence")).isEqualTo(2);
        assertThat(SyncRewriter.fenceKind(stat, vh, "acquireFence")).isEqualTo(1);
        assertThat(SyncRewriter.fenceKind(stat, vh, "loadLoadFence")).isEqualTo(1);
        assertThat(SyncRewriter.fenceKind(stat, vh, "fullFence")).isEqualTo(3);
        assertThat(SyncRewriter.fenceKind(virt, "sun/misc/Unsafe", "storeFence"))
                .isEqualTo(2);
        assertThat(SyncRewriter.fenceKind(virt, "sun/misc/Unsafe", "loadFence")).isEqualTo(1);
        assertThat(SyncRewriter.fenceKind(virt, "jdk/internal/misc/Unsafe", "fullFence"))
                .isEqualTo(3);
        assertThat(SyncRewriter.fenceKind(virt, vh, "releaseFence"))
                .as("not VarHandle's static")
                .isZero();
        assertThat(SyncRewriter.fenceKind(stat, "java/lang/Thread", "onSpinWait"))
                .isZero();
    }

    @Test
    void aFenceInApplicationCodeMeetsTheStaticsClock() {
        assertThat(calls(Fenced.class.getName(), "publish"))
                .containsSubsequence("Edges.releaseStatic()V", "VarHandle.releaseFence()V");
        assertThat(calls(Fenced.class.getName(), "take"))
                .containsSubsequence("VarHandle.acquireFence()V", "Edges.acquireStatic()V");
    }

    static final class Fenced {
        Object slot;

        void publish(Object o) {
            java.lang.invoke.VarHandle.releaseFence();
            slot = o;
        }

        Object take() {
            Object o = slot;
            java.lang.invoke.VarHandle.acquireFence();
            return o;
        }
    }

    /** The static calls in one method of the rewritten class, as "Owner.name(desc)" with the owner's simple name. */
    static List<String> calls(String className, String method) {
        byte[] r = SyncRewriter.rewrite(
                bytes(className),
                SyncRewriter.Scope.APP,
                SyncRewriterTest.class.getClassLoader(),
                new VolatileFields(),
                new SyncRewriter.Counts());
        List<String> out = new ArrayList<>();
        new ClassReader(r)
                .accept(
                        new ClassVisitor(Opcodes.ASM9) {
                            @Override
                            public MethodVisitor visitMethod(
                                    int access, String name, String desc, String signature, String[] exceptions) {
                                if (!name.equals(method)) {
                                    return null;
                                }
                                return new MethodVisitor(Opcodes.ASM9) {
                                    @Override
                                    public void visitMethodInsn(int op, String owner, String n, String d, boolean itf) {
                                        out.add(owner.substring(owner.lastIndexOf('/') + 1) + "." + n + d);
                                    }
                                };
                            }
                        },
                        0);
        return out;
    }
}
