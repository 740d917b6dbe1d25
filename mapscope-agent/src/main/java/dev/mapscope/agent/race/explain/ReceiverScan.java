package dev.mapscope.agent.race.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * One method's bytecode run symbolically: where each value on the operand stack and in each local variable came
 * from (a field load, {@code this}, a parameter, a call's result, a {@code new}), so that the receiver and the
 * arguments of every call on one source line can be traced back to a field. A small cousin of ASM's
 * {@code SourceInterpreter}, which Byte Buddy's relocated ASM does not carry.
 */
final class ReceiverScan extends MethodVisitor {
    /*
     * One pass in class-file order. The stack is modelled in slots (a long or a double takes two), so the DUP
     * and POP forms work on it as the JVM does. A forward jump records its state for its target label; at the
     * label that state is merged with the fall-through one (a value that differs becomes MERGED). A label reached
     * only by a backward jump (a loop head after javac's GOTO to the condition) keeps the state before that GOTO:
     * for locals that is the state at the loop's entry, which is what a loop that does not reassign its map
     * needs. An exception handler starts with one unknown value on the stack and the current locals. Anything
     * this does not model exactly gives OTHER, never a wrong field: a value is a field only if it was loaded by
     * GETFIELD/GETSTATIC and carried unchanged (stores, loads, DUPs, CHECKCASTs).
     */

    /** Where a value came from. */
    static final class Value {
        enum Kind {
            FIELD,
            THIS,
            PARAM,
            CALL,
            NEW,
            MERGED,
            OTHER
        }

        final Kind kind;
        /** FIELD: the field's owner (internal name), name and descriptor; CALL: the method's */
        final String owner;

        final String name;
        final String desc;
        /** FIELD: a static field; CALL: an INVOKESTATIC */
        final boolean isStatic;
        /** PARAM: the parameter's position, 0 for the first declared parameter */
        final int index;
        /** CALL: the receiver, null for a static call */
        final Value receiver;
        /** CALL: the arguments; MERGED: the alternatives */
        final Value[] values;

        private Value(
                Kind kind,
                String owner,
                String name,
                String desc,
                boolean isStatic,
                int index,
                Value receiver,
                Value[] values) {
            this.kind = kind;
            this.owner = owner;
            this.name = name;
            this.desc = desc;
            this.isStatic = isStatic;
            this.index = index;
            this.receiver = receiver;
            this.values = values;
        }

        static final Value OTHER = new Value(Kind.OTHER, null, null, null, false, -1, null, null);
        static final Value THIS = new Value(Kind.THIS, null, null, null, false, -1, null, null);
        static final Value NEW = new Value(Kind.NEW, null, null, null, false, -1, null, null);

        static Value field(String owner, String name, String desc, boolean isStatic) {
            return new Value(Kind.FIELD, owner, name, desc, isStatic, -1, null, null);
        }

        static Value param(int index) {
            return new Value(Kind.PARAM, null, null, null, false, index, null, null);
        }

        static Value call(String owner, String name, String desc, boolean isStatic, Value receiver, Value[] args) {
            return new Value(Kind.CALL, owner, name, desc, isStatic, -1, receiver, args);
        }

        /** At most MAX_ALTERNATIVES alternatives are kept; beyond that the value is OTHER. */
        static Value merge(Value a, Value b) {
            if (a == b) {
                return a;
            }
            List<Value> all = new ArrayList<>();
            for (Value v : new Value[] {a, b}) {
                if (v.kind == Kind.MERGED) {
                    for (Value w : v.values) {
                        if (!all.contains(w)) {
                            all.add(w);
                        }
                    }
                } else if (!all.contains(v)) {
                    all.add(v);
                }
            }
            if (all.size() > MAX_ALTERNATIVES) {
                return OTHER;
            }
            return new Value(Kind.MERGED, null, null, null, false, -1, null, all.toArray(new Value[0]));
        }
    }

    static final int MAX_ALTERNATIVES = 8;

    /** One call on the line asked about: its receiver (null when static or a constructor) and its arguments. */
    record Site(int opcode, String owner, String name, String desc, Value receiver, Value[] args) {}

    private record State(List<Value> stack, Value[] locals) {}

    private final int line;
    /** calls on {@code line}, in bytecode order */
    final List<Site> sites = new ArrayList<>();
    /** the values returned by ARETURN (for a getter) */
    final List<Value> returned = new ArrayList<>();
    /** every source line the method has */
    final Set<Integer> lines = new HashSet<>();

    private List<Value> stack = new ArrayList<>();
    private Value[] locals;
    private boolean reachable = true;
    private int current = -1;
    private final Map<Label, State> pending = new HashMap<>();
    private final Set<Label> handlers = new HashSet<>();

    /** Scans a method with {@code access} and {@code desc}, collecting the calls on {@code line} (-1: none). */
    ReceiverScan(int access, String desc, int line) {
        super(Opcodes.ASM9);
        this.line = line;
        List<Value> init = new ArrayList<>();
        if ((access & Opcodes.ACC_STATIC) == 0) {
            init.add(Value.THIS);
        }
        Type[] params = Type.getArgumentTypes(desc);
        for (int i = 0; i < params.length; i++) {
            init.add(Value.param(i));
            if (params[i].getSize() == 2) {
                init.add(Value.OTHER);
            }
        }
        locals = init.toArray(new Value[Math.max(8, init.size())]);
        Arrays.fill(locals, init.size(), locals.length, Value.OTHER);
    }

    // ---- the operand stack, in slots

    private void push(Value v) {
        stack.add(v);
    }

    private void push(Value v, int size) {
        stack.add(v);
        if (size == 2) {
            stack.add(Value.OTHER);
        }
    }

    private void pushOthers(int slots) {
        for (int i = 0; i < slots; i++) {
            stack.add(Value.OTHER);
        }
    }

    private Value pop() {
        return stack.isEmpty() ? Value.OTHER : stack.remove(stack.size() - 1);
    }

    private void pop(int slots) {
        for (int i = 0; i < slots; i++) {
            pop();
        }
    }

    /** Pops a value of the type {@code t}: one slot, or two for a long or a double (the first slot is the value). */
    private Value pop(Type t) {
        if (t.getSize() == 2) {
            pop();
        }
        return pop();
    }

    private Value peek(int fromTop) {
        int i = stack.size() - 1 - fromTop;
        return i < 0 ? Value.OTHER : stack.get(i);
    }

    private Value local(int var) {
        return var < locals.length ? locals[var] : Value.OTHER;
    }

    private void store(int var, Value v) {
        if (var >= locals.length) {
            Value[] grown = Arrays.copyOf(locals, Math.max(var + 2, locals.length * 2));
            Arrays.fill(grown, locals.length, grown.length, Value.OTHER);
            locals = grown;
        }
        locals[var] = v;
    }

    // ---- control flow

    private State snapshot() {
        return new State(new ArrayList<>(stack), locals.clone());
    }

    private void jumpTo(Label target) {
        State s = snapshot();
        State before = pending.get(target);
        pending.put(target, before == null ? s : merge(before, s));
    }

    private static State merge(State a, State b) {
        List<Value> stack = new ArrayList<>(a.stack);
        if (a.stack.size() == b.stack.size()) {
            for (int i = 0; i < stack.size(); i++) {
                stack.set(i, Value.merge(a.stack.get(i), b.stack.get(i)));
            }
        }
        int n = Math.max(a.locals.length, b.locals.length);
        Value[] locals = new Value[n];
        for (int i = 0; i < n; i++) {
            Value x = i < a.locals.length ? a.locals[i] : Value.OTHER;
            Value y = i < b.locals.length ? b.locals[i] : Value.OTHER;
            locals[i] = Value.merge(x, y);
        }
        return new State(stack, locals);
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
        handlers.add(handler);
    }

    @Override
    public void visitLabel(Label label) {
        State s = pending.remove(label);
        if (handlers.contains(label)) {
            stack = new ArrayList<>();
            stack.add(Value.OTHER);
            reachable = true;
            return;
        }
        if (!reachable) {
            if (s != null) {
                stack = new ArrayList<>(s.stack);
                locals = s.locals.clone();
            } else {
                stack = new ArrayList<>(); // a loop head or dead code: the locals before the GOTO stay
            }
            reachable = true;
        } else if (s != null) {
            State m = merge(snapshot(), s);
            stack = m.stack;
            locals = m.locals;
        }
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        current = line;
        lines.add(line);
    }

    // ---- instructions

    @Override
    public void visitInsn(int op) {
        switch (op) {
            case Opcodes.NOP -> {}
            case Opcodes.ACONST_NULL,
                    Opcodes.ICONST_M1,
                    Opcodes.ICONST_0,
                    Opcodes.ICONST_1,
                    Opcodes.ICONST_2,
                    Opcodes.ICONST_3,
                    Opcodes.ICONST_4,
                    Opcodes.ICONST_5,
                    Opcodes.FCONST_0,
                    Opcodes.FCONST_1,
                    Opcodes.FCONST_2 -> pushOthers(1);
            case Opcodes.LCONST_0, Opcodes.LCONST_1, Opcodes.DCONST_0, Opcodes.DCONST_1 -> pushOthers(2);
            case Opcodes.IALOAD, Opcodes.FALOAD, Opcodes.AALOAD, Opcodes.BALOAD, Opcodes.CALOAD, Opcodes.SALOAD -> {
                pop(2);
                pushOthers(1);
            }
            case Opcodes.LALOAD, Opcodes.DALOAD -> {
                pop(2);
                pushOthers(2);
            }
            case Opcodes.IASTORE, Opcodes.FASTORE, Opcodes.AASTORE, Opcodes.BASTORE, Opcodes.CASTORE, Opcodes.SASTORE ->
                pop(3);
            case Opcodes.LASTORE, Opcodes.DASTORE -> pop(4);
            case Opcodes.POP, Opcodes.MONITORENTER, Opcodes.MONITOREXIT -> pop(1);
            case Opcodes.POP2 -> pop(2);
            case Opcodes.DUP -> push(peek(0));
            case Opcodes.DUP_X1 -> {
                Value a = pop();
                Value b = pop();
                push(a);
                push(b);
                push(a);
            }
            case Opcodes.DUP_X2 -> {
                Value a = pop();
                Value b = pop();
                Value c = pop();
                push(a);
                push(c);
                push(b);
                push(a);
            }
            case Opcodes.DUP2 -> {
                Value a = peek(0);
                Value b = peek(1);
                push(b);
                push(a);
            }
            case Opcodes.DUP2_X1 -> {
                Value a = pop();
                Value b = pop();
                Value c = pop();
                push(b);
                push(a);
                push(c);
                push(b);
                push(a);
            }
            case Opcodes.DUP2_X2 -> {
                Value a = pop();
                Value b = pop();
                Value c = pop();
                Value d = pop();
                push(b);
                push(a);
                push(d);
                push(c);
                push(b);
                push(a);
            }
            case Opcodes.SWAP -> {
                Value a = pop();
                Value b = pop();
                push(a);
                push(b);
            }
            case Opcodes.IADD,
                    Opcodes.FADD,
                    Opcodes.ISUB,
                    Opcodes.FSUB,
                    Opcodes.IMUL,
                    Opcodes.FMUL,
                    Opcodes.IDIV,
                    Opcodes.FDIV,
                    Opcodes.IREM,
                    Opcodes.FREM,
                    Opcodes.ISHL,
                    Opcodes.ISHR,
                    Opcodes.IUSHR,
                    Opcodes.IAND,
                    Opcodes.IOR,
                    Opcodes.IXOR,
                    Opcodes.FCMPL,
                    Opcodes.FCMPG -> {
                pop(2);
                pushOthers(1);
            }
            case Opcodes.LADD,
                    Opcodes.DADD,
                    Opcodes.LSUB,
                    Opcodes.DSUB,
                    Opcodes.LMUL,
                    Opcodes.DMUL,
                    Opcodes.LDIV,
                    Opcodes.DDIV,
                    Opcodes.LREM,
                    Opcodes.DREM,
                    Opcodes.LAND,
                    Opcodes.LOR,
                    Opcodes.LXOR -> {
                pop(4);
                pushOthers(2);
            }
            case Opcodes.LSHL, Opcodes.LSHR, Opcodes.LUSHR -> {
                pop(3);
                pushOthers(2);
            }
            case Opcodes.INEG, Opcodes.FNEG, Opcodes.I2F, Opcodes.F2I, Opcodes.I2B, Opcodes.I2C, Opcodes.I2S -> {
                pop(1);
                pushOthers(1);
            }
            case Opcodes.LNEG, Opcodes.DNEG, Opcodes.L2D, Opcodes.D2L -> {
                pop(2);
                pushOthers(2);
            }
            case Opcodes.I2L, Opcodes.I2D, Opcodes.F2L, Opcodes.F2D -> {
                pop(1);
                pushOthers(2);
            }
            case Opcodes.L2I, Opcodes.L2F, Opcodes.D2I, Opcodes.D2F -> {
                pop(2);
                pushOthers(1);
            }
            case Opcodes.LCMP, Opcodes.DCMPL, Opcodes.DCMPG -> {
                pop(4);
                pushOthers(1);
            }
            case Opcodes.ARRAYLENGTH -> {
                pop(1);
                pushOthers(1);
            }
            case Opcodes.ARETURN -> {
                returned.add(pop());
                reachable = false;
            }
            case Opcodes.IRETURN, Opcodes.FRETURN, Opcodes.ATHROW -> {
                pop(1);
                reachable = false;
            }
            case Opcodes.LRETURN, Opcodes.DRETURN -> {
                pop(2);
                reachable = false;
            }
            case Opcodes.RETURN -> reachable = false;
            default -> stack.clear(); // not an instruction of a class file: be safe, know nothing
        }
    }

    @Override
    public void visitIntInsn(int op, int operand) {
        if (op == Opcodes.NEWARRAY) {
            pop(1);
        }
        pushOthers(1);
    }

    @Override
    public void visitVarInsn(int op, int var) {
        switch (op) {
            case Opcodes.ALOAD -> push(local(var));
            case Opcodes.ILOAD, Opcodes.FLOAD -> pushOthers(1);
            case Opcodes.LLOAD, Opcodes.DLOAD -> pushOthers(2);
            case Opcodes.ASTORE -> store(var, pop());
            case Opcodes.ISTORE, Opcodes.FSTORE -> {
                pop(1);
                store(var, Value.OTHER);
            }
            case Opcodes.LSTORE, Opcodes.DSTORE -> {
                pop(2);
                store(var, Value.OTHER);
                store(var + 1, Value.OTHER);
            }
            default -> reachable = false; // RET
        }
    }

    @Override
    public void visitTypeInsn(int op, String type) {
        switch (op) {
            case Opcodes.NEW -> push(Value.NEW);
            case Opcodes.CHECKCAST -> {} // the same value, seen as another type
            default -> {
                pop(1); // ANEWARRAY, INSTANCEOF
                pushOthers(1);
            }
        }
    }

    @Override
    public void visitFieldInsn(int op, String owner, String name, String desc) {
        int size = Type.getType(desc).getSize();
        switch (op) {
            case Opcodes.GETSTATIC -> push(Value.field(owner, name, desc, true), size);
            case Opcodes.GETFIELD -> {
                pop(1);
                push(Value.field(owner, name, desc, false), size);
            }
            case Opcodes.PUTSTATIC -> pop(size);
            default -> pop(size + 1); // PUTFIELD
        }
    }

    @Override
    public void visitMethodInsn(int op, String owner, String name, String desc, boolean isInterface) {
        Type[] params = Type.getArgumentTypes(desc);
        Value[] args = new Value[params.length];
        for (int i = params.length - 1; i >= 0; i--) {
            args[i] = pop(params[i]);
        }
        Value receiver = op == Opcodes.INVOKESTATIC ? null : pop();
        if (current == line && line >= 0) {
            sites.add(new Site(op, owner, name, desc, name.equals("<init>") ? null : receiver, args));
        }
        Type ret = Type.getReturnType(desc);
        if (ret.getSize() > 0) {
            push(Value.call(owner, name, desc, op == Opcodes.INVOKESTATIC, receiver, args), ret.getSize());
        }
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... bsmArgs) {
        Type[] params = Type.getArgumentTypes(desc);
        Value[] args = new Value[params.length];
        for (int i = params.length - 1; i >= 0; i--) {
            args[i] = pop(params[i]);
        }
        if (current == line && line >= 0) {
            sites.add(new Site(Opcodes.INVOKEDYNAMIC, bsm.getOwner(), name, desc, null, args));
        }
        pushOthers(Type.getReturnType(desc).getSize());
    }

    @Override
    public void visitJumpInsn(int op, Label label) {
        switch (op) {
            case Opcodes.IFEQ,
                    Opcodes.IFNE,
                    Opcodes.IFLT,
                    Opcodes.IFGE,
                    Opcodes.IFGT,
                    Opcodes.IFLE,
                    Opcodes.IFNULL,
                    Opcodes.IFNONNULL -> pop(1);
            case Opcodes.GOTO -> {}
            case Opcodes.JSR -> pushOthers(1);
            default -> pop(2); // IF_ICMPxx, IF_ACMPxx
        }
        jumpTo(label);
        if (op == Opcodes.GOTO) {
            reachable = false;
        }
    }

    @Override
    public void visitLdcInsn(Object value) {
        pushOthers(value instanceof Long || value instanceof Double ? 2 : 1);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        pop(1);
        jumpTo(dflt);
        for (Label l : labels) {
            jumpTo(l);
        }
        reachable = false;
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        visitTableSwitchInsn(0, 0, dflt, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String desc, int dims) {
        pop(dims);
        pushOthers(1);
    }
}
