package dev.mapscope.agent.race;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Rewrites one class file so that its synchronisation actions call {@code dev.mapscope.agent.boot.race.Edges}
 * (the call shapes are listed there). Plain ASM, two passes over the bytes: a scan that decides whether
 * anything is to be done (most classes: nothing, and the bytes are returned untouched), then the rewrite.
 * Never COMPUTE_FRAMES (it loads classes to find common superclasses): the only new branch target is a
 * synchronized method's catch-all handler, whose frame is written here.
 */
final class SyncRewriter {
    /** What to rewrite in a class, by who defined it (see SyncTransformer.scope). */
    enum Scope {
        /** application and library classes: everything */
        APP,
        /** the JDK's java.util.concurrent classes built on volatiles and CAS: everything, keyed by object only */
        JDK_FULL,
        /** JDK classes that hold monitors around user-visible hand-offs: monitors, wait, static initializers */
        JDK_MONITORS,
        /** other JDK classes: the end of the static initializer only */
        CLINIT_ONLY
    }

    static final String EDGES = "dev/mapscope/agent/boot/race/Edges";
    private static final String OBJECT_V = "(Ljava/lang/Object;)V";
    private static final String VAR_HANDLE = "java/lang/invoke/VarHandle";

    /** Counters of one rewrite, added to SyncTransformer's totals. */
    static final class Counts {
        /** synchronized methods left as they are: they store into local 0, are native, or predate LDC of a class */
        int skippedMethods;
        /** field accesses whose owner's class file could not be read: volatile or not is unknown */
        int unresolvedFields;
        /** methods rewritten */
        int methods;
        /** of those, the static initializer (0 or 1): a class whose initializer has run gains nothing from it */
        int initializers;
    }

    private static final int NONE = 0;
    private static final int READ = 1;
    private static final int WRITE = 2;
    private static final int RMW = 3;

    private final Scope scope;
    private final ClassLoader loader;
    private final VolatileFields volatiles;
    private final Counts counts;
    /** "owner.name" -> volatile, decided once per class (both passes ask) */
    private final Map<String, Boolean> decided = new HashMap<>();

    private final Map<String, Boolean> ownFields = new HashMap<>();
    private final List<MethodPlan> plans = new ArrayList<>();
    private String className;
    private String superName;
    private int version;

    /** What the scan found in one method, in class-file order. */
    private static final class MethodPlan {
        boolean work;
        boolean sync;
        boolean isStatic;
        boolean storesLocal0;
        boolean clinit;
        boolean init;
        int maxLocals;
    }

    private SyncRewriter(Scope scope, ClassLoader loader, VolatileFields volatiles, Counts counts) {
        this.scope = scope;
        this.loader = loader;
        this.volatiles = volatiles;
        this.counts = counts;
    }

    /** The rewritten class file, or null when nothing in it is a synchronisation action in this scope. */
    static byte[] rewrite(byte[] bytes, Scope scope, ClassLoader loader, VolatileFields volatiles, Counts counts) {
        SyncRewriter r = new SyncRewriter(scope, loader, volatiles, counts);
        ClassReader reader = new ClassReader(bytes);
        int scanFlags = ClassReader.SKIP_DEBUG
                | ClassReader.SKIP_FRAMES
                | (scope == Scope.CLINIT_ONLY ? ClassReader.SKIP_CODE : 0);
        Scan scan = r.new Scan();
        reader.accept(scan, scanFlags);
        if (!scan.any) {
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        reader.accept(r.new Rewrite(writer), ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    /** READ, WRITE, RMW or NONE for a VarHandle or Unsafe method name: its memory effect in the JMM. */
    static int accessKind(String name) {
        if (name.startsWith("compareAnd")
                || name.startsWith("getAnd")
                || name.startsWith("weakCompareAndSet") && !name.endsWith("Plain")) {
            return RMW;
        }
        if (name.startsWith("get") && (name.endsWith("Volatile") || name.endsWith("Acquire"))) {
            return READ;
        }
        if (name.startsWith("put") && (name.endsWith("Volatile") || name.endsWith("Release"))
                || name.startsWith("putOrdered")
                || name.equals("setVolatile")
                || name.equals("setRelease")) {
            return WRITE;
        }
        return NONE;
    }

    /**
     * For a fence of VarHandle (static) or Unsafe (virtual): WRITE for a release fence (release, store,
     * store-store), READ for an acquire fence (acquire, load, load-load), RMW for a full fence, else NONE. A
     * fence orders no object of its own: it releases before it into the one static-fields clock and acquires
     * after it from there (see Edges), so every fencing thread meets every other, which can hide a race
     * between them, never invent one.
     */
    static int fenceKind(int opcode, String owner, String name) {
        boolean varHandle = opcode == Opcodes.INVOKESTATIC && owner.equals(VAR_HANDLE);
        boolean unsafe = opcode == Opcodes.INVOKEVIRTUAL
                && (owner.equals("sun/misc/Unsafe") || owner.equals("jdk/internal/misc/Unsafe"));
        if (!varHandle && !unsafe) {
            return NONE;
        }
        switch (name) {
            case "fullFence":
                return RMW;
            case "releaseFence":
            case "storeFence":
            case "storeStoreFence":
                return WRITE;
            case "acquireFence":
            case "loadFence":
            case "loadLoadFence":
                return READ;
            default:
                return NONE;
        }
    }

    private static boolean isAccessor(int opcode, String owner) {
        return opcode == Opcodes.INVOKEVIRTUAL
                && (owner.equals(VAR_HANDLE)
                        || owner.equals("sun/misc/Unsafe")
                        || owner.equals("jdk/internal/misc/Unsafe"));
    }

    private static boolean isWait(int opcode, String name, String desc) {
        return (opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKEINTERFACE)
                && name.equals("wait")
                && (desc.equals("()V") || desc.equals("(J)V") || desc.equals("(JI)V"));
    }

    private boolean volatilesToo() {
        return scope == Scope.APP || scope == Scope.JDK_FULL;
    }

    private boolean isVolatile(String owner, String name) {
        String key = owner + '.' + name;
        Boolean v = decided.get(key);
        if (v == null) {
            if (owner.equals(className) && ownFields.containsKey(name)) {
                v = ownFields.get(name);
            } else {
                String start = owner.equals(className) ? superName : owner;
                v = start == null ? Boolean.FALSE : volatiles.isVolatile(loader, start, name, scope == Scope.APP);
                if (v == null) {
                    counts.unresolvedFields++;
                    v = Boolean.FALSE;
                }
            }
            decided.put(key, v);
        }
        return v;
    }

    /** First pass: is there anything to rewrite, and in which methods. */
    private final class Scan extends ClassVisitor {
        boolean any;

        Scan() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int v, int access, String name, String signature, String superClass, String[] interfaces) {
            version = v & 0xFFFF;
            className = name;
            superName = superClass;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String desc, String signature, Object value) {
            ownFields.put(name, (access & Opcodes.ACC_VOLATILE) != 0);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
            MethodPlan p = new MethodPlan();
            plans.add(p);
            p.isStatic = (access & Opcodes.ACC_STATIC) != 0;
            p.clinit = name.equals("<clinit>");
            p.init = name.equals("<init>");
            boolean hasCode = (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
            p.sync = (access & Opcodes.ACC_SYNCHRONIZED) != 0 && scope != Scope.CLINIT_ONLY;
            if (p.sync && !hasCode) {
                p.sync = false;
                counts.skippedMethods++; // a native synchronized method: its monitor is held inside native code
            }
            if (scope == Scope.CLINIT_ONLY) {
                p.work = p.clinit;
                any |= p.work;
                return null;
            }
            if (!hasCode) {
                return null;
            }
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitInsn(int opcode) {
                    if (opcode == Opcodes.MONITORENTER
                            || opcode == Opcodes.MONITOREXIT
                            || p.clinit && opcode == Opcodes.RETURN) {
                        p.work = true;
                    }
                }

                @Override
                public void visitVarInsn(int opcode, int var) {
                    if (var == 0 && opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE) {
                        p.storesLocal0 = true;
                    }
                }

                @Override
                public void visitIincInsn(int var, int increment) {
                    if (var == 0) {
                        p.storesLocal0 = true;
                    }
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String fname, String fdesc) {
                    if (volatilesToo() && isVolatile(owner, fname)) {
                        p.work = true;
                    }
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String mname, String mdesc, boolean itf) {
                    if (isWait(opcode, mname, mdesc)
                            || volatilesToo() && isAccessor(opcode, owner) && accessKind(mname) != NONE
                            || volatilesToo() && fenceKind(opcode, owner, mname) != NONE) {
                        p.work = true;
                    }
                }

                @Override
                public void visitMaxs(int maxStack, int maxLocals) {
                    p.maxLocals = maxLocals;
                }

                @Override
                public void visitEnd() {
                    if (p.sync) {
                        if (!p.isStatic && p.storesLocal0 || p.isStatic && version < Opcodes.V1_5) {
                            p.sync = false; // no safe way to name the monitor in a catch-all handler
                            counts.skippedMethods++;
                        } else {
                            p.work = true;
                        }
                    }
                    any |= p.work;
                }
            };
        }
    }

    /** Second pass: the rewrite of the methods the scan marked. */
    private final class Rewrite extends ClassVisitor {
        private int index;

        Rewrite(ClassWriter writer) {
            super(Opcodes.ASM9, writer);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
            MethodPlan p = plans.get(index++);
            if (!p.work) {
                return mv;
            }
            counts.methods++;
            if (p.clinit) {
                counts.initializers++;
            }
            return new MethodRewrite(mv, p);
        }
    }

    private final class MethodRewrite extends MethodVisitor {
        private final MethodPlan plan;
        private final Label start = new Label();
        /** in a constructor, false until the first invokespecial of an <init> (this is uninitialised before) */
        private boolean thisReady;

        MethodRewrite(MethodVisitor mv, MethodPlan plan) {
            super(Opcodes.ASM9, mv);
            this.plan = plan;
            this.thisReady = !plan.init;
        }

        private void pushMonitor() {
            if (plan.isStatic) {
                super.visitLdcInsn(Type.getObjectType(className));
            } else {
                super.visitVarInsn(Opcodes.ALOAD, 0);
            }
        }

        private void call(String name, String desc) {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, EDGES, name, desc, false);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (plan.sync) {
                pushMonitor();
                call("acquire", OBJECT_V);
                super.visitLabel(start);
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (scope == Scope.CLINIT_ONLY) {
                if (opcode == Opcodes.RETURN) {
                    call("classInitialized", "()V");
                }
                super.visitInsn(opcode);
                return;
            }
            switch (opcode) {
                case Opcodes.MONITORENTER:
                    super.visitInsn(Opcodes.DUP);
                    call("monitorKey", "(Ljava/lang/Object;)I");
                    super.visitInsn(Opcodes.SWAP);
                    super.visitInsn(Opcodes.MONITORENTER);
                    call("monitorEntered", "(I)V");
                    return;
                case Opcodes.MONITOREXIT:
                    super.visitInsn(Opcodes.DUP);
                    call("release", OBJECT_V);
                    super.visitInsn(Opcodes.MONITOREXIT);
                    return;
                case Opcodes.IRETURN:
                case Opcodes.LRETURN:
                case Opcodes.FRETURN:
                case Opcodes.DRETURN:
                case Opcodes.ARETURN:
                case Opcodes.RETURN:
                    if (plan.sync) {
                        pushMonitor();
                        call("release", OBJECT_V);
                    }
                    if (plan.clinit && opcode == Opcodes.RETURN) {
                        call("classInitialized", "()V");
                    }
                    super.visitInsn(opcode);
                    return;
                default:
                    super.visitInsn(opcode);
            }
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String desc) {
            if (scope == Scope.CLINIT_ONLY || !volatilesToo() || !isVolatile(owner, name)) {
                super.visitFieldInsn(opcode, owner, name, desc);
                return;
            }
            boolean wide = desc.equals("J") || desc.equals("D");
            switch (opcode) {
                case Opcodes.GETSTATIC:
                    super.visitFieldInsn(opcode, owner, name, desc);
                    call("acquireStatic", "()V");
                    break;
                case Opcodes.PUTSTATIC:
                    call("releaseStatic", "()V");
                    super.visitFieldInsn(opcode, owner, name, desc);
                    break;
                case Opcodes.GETFIELD:
                    super.visitInsn(Opcodes.DUP); // obj obj
                    super.visitFieldInsn(opcode, owner, name, desc); // obj v
                    if (wide) {
                        super.visitInsn(Opcodes.DUP2_X1); // v obj v
                        super.visitInsn(Opcodes.POP2); // v obj
                    } else {
                        super.visitInsn(Opcodes.SWAP); // v obj
                    }
                    call("acquire", OBJECT_V); // v
                    break;
                default: // PUTFIELD
                    if (!thisReady) {
                        super.visitFieldInsn(opcode, owner, name, desc); // before super(): nobody else sees it
                        break;
                    }
                    if (wide) {
                        super.visitInsn(Opcodes.DUP2_X1); // v obj v
                        super.visitInsn(Opcodes.POP2); // v obj
                        super.visitInsn(Opcodes.DUP_X2); // obj v obj
                    } else {
                        super.visitInsn(Opcodes.SWAP); // v obj
                        super.visitInsn(Opcodes.DUP_X1); // obj v obj
                    }
                    call("release", OBJECT_V); // obj v
                    super.visitFieldInsn(opcode, owner, name, desc);
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
            if (opcode == Opcodes.INVOKESPECIAL && name.equals("<init>")) {
                super.visitMethodInsn(opcode, owner, name, desc, itf);
                thisReady = true;
                return;
            }
            if (scope != Scope.CLINIT_ONLY && isWait(opcode, name, desc)) {
                call("waitOn", "(Ljava/lang/Object;" + desc.substring(1));
                return;
            }
            int fence = volatilesToo() ? fenceKind(opcode, owner, name) : NONE;
            if (fence != NONE) {
                if (fence != READ) {
                    call("releaseStatic", "()V");
                }
                super.visitMethodInsn(opcode, owner, name, desc, itf);
                if (fence != WRITE) {
                    call("acquireStatic", "()V");
                }
                return;
            }
            int kind = volatilesToo() && isAccessor(opcode, owner) ? accessKind(name) : NONE;
            if (kind == NONE) {
                super.visitMethodInsn(opcode, owner, name, desc, itf);
                return;
            }
            access(opcode, owner, name, desc, itf, kind);
        }

        /**
         * A VarHandle or Unsafe access: release on its first reference argument (the object whose field or
         * element it reaches, when it has one) before a write, acquire on it after a read. The arguments above
         * that one are spilled to fresh locals past the method's own, in straight-line code (no new frame).
         */
        private void access(int opcode, String owner, String name, String desc, boolean itf, int kind) {
            boolean app = scope == Scope.APP;
            String release = app ? "releaseAccess" : "release";
            String acquire = app ? "acquireAccess" : "acquire";
            Type[] args = Type.getArgumentTypes(desc);
            int k = -1;
            for (int i = 0; i < args.length && k < 0; i++) {
                if (args[i].getSort() == Type.OBJECT || args[i].getSort() == Type.ARRAY) {
                    k = i;
                }
            }
            if (k < 0) {
                if (kind != READ) {
                    if (app) {
                        super.visitInsn(Opcodes.ACONST_NULL);
                        call(release, OBJECT_V);
                    } else {
                        call("releaseStatic", "()V");
                    }
                }
                super.visitMethodInsn(opcode, owner, name, desc, itf);
                if (kind != WRITE) {
                    if (app) {
                        super.visitInsn(Opcodes.ACONST_NULL);
                        call(acquire, OBJECT_V);
                    } else {
                        call("acquireStatic", "()V");
                    }
                }
                return;
            }
            int[] slots = new int[args.length];
            int next = plan.maxLocals;
            for (int i = k + 1; i < args.length; i++) {
                slots[i] = next;
                next += args[i].getSize();
            }
            for (int i = args.length - 1; i > k; i--) {
                super.visitVarInsn(args[i].getOpcode(Opcodes.ISTORE), slots[i]);
            }
            int target = next;
            if (kind != READ) {
                super.visitInsn(Opcodes.DUP);
                call(release, OBJECT_V);
            }
            if (kind != WRITE) {
                super.visitInsn(Opcodes.DUP);
                super.visitVarInsn(Opcodes.ASTORE, target);
            }
            for (int i = k + 1; i < args.length; i++) {
                super.visitVarInsn(args[i].getOpcode(Opcodes.ILOAD), slots[i]);
            }
            super.visitMethodInsn(opcode, owner, name, desc, itf);
            if (kind != WRITE) {
                super.visitVarInsn(Opcodes.ALOAD, target);
                call(acquire, OBJECT_V);
            }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            if (plan.sync) {
                // Catch-all, registered after the method's own handlers so they keep precedence: the monitor
                // is released on an exceptional exit too, then the exception goes on. Its frame declares only
                // what holds at every instruction: this (never stored over, the scan checked) or nothing.
                Label handler = new Label();
                super.visitTryCatchBlock(start, handler, handler, null);
                super.visitLabel(handler);
                if (version >= Opcodes.V1_6) {
                    Object[] locals = plan.isStatic ? new Object[0] : new Object[] {className};
                    super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
                }
                pushMonitor();
                call("release", OBJECT_V);
                super.visitInsn(Opcodes.ATHROW);
            }
            super.visitMaxs(maxStack, maxLocals);
        }
    }
}
