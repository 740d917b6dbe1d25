package dev.mapscope.maps;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One request to a {@link SerialMap}'s owner thread and, once answered, its answer: the message on Go's channel.
 * The caller creates it, queues it and parks in {@link #await}; the owner runs it ({@link #run}) or fails it.
 */
final class SerialCommand {
    static final int GET = 0,
            CONTAINS_KEY = 1,
            CONTAINS_VALUE = 2,
            SIZE = 3,
            PUT = 4,
            PUT_IF_ABSENT = 5,
            REMOVE = 6,
            REMOVE_VALUE = 7,
            REPLACE = 8,
            REPLACE_VALUE = 9,
            COMPUTE_IF_ABSENT = 10,
            COMPUTE_IF_PRESENT = 11,
            COMPUTE = 12,
            MERGE = 13,
            PUT_ALL = 14,
            REPLACE_ALL = 15,
            CLEAR = 16,
            SNAPSHOT = 17,
            STOP_OP = 18;

    /** The owner thread's signal to end; never answered. */
    static final SerialCommand STOP = new SerialCommand(STOP_OP, null, null, null);

    /**
     * {@link #state} values: waiting; being answered (a completer won the CAS and is writing the result);
     * answered with a result; answered with a failure.
     */
    private static final int PENDING = 0, CLAIMED = 1, DONE = 2, FAILED = 3;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SerialCommand.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int op;
    private final Object a, b, c;

    /** Written by the completer between its claiming CAS and its release store of the outcome; read after. */
    private Object result;

    /** The thread to unpark; written by the caller before queueing (the queue publishes it to the owner). */
    Thread waiter;

    /** PENDING → CLAIMED (CAS, one winner) → DONE or FAILED (release store). */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    SerialCommand(int op, Object a, Object b, Object c) {
        this.op = op;
        this.a = a;
        this.b = b;
        this.c = c;
    }

    /** Runs on the owner thread: applies the operation to the owner's map and answers the caller. */
    void run(HashMap<Object, Object> map) {
        Object r;
        try {
            r = apply(map);
        } catch (Throwable t) {
            fail(t);
            return;
        }
        complete(DONE, r);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object apply(HashMap<Object, Object> map) {
        switch (op) {
            case GET:
                return map.get(a);
            case CONTAINS_KEY:
                return map.containsKey(a);
            case CONTAINS_VALUE:
                return map.containsValue(a);
            case SIZE:
                return map.size();
            case PUT:
                return map.put(a, b);
            case PUT_IF_ABSENT:
                return map.putIfAbsent(a, b);
            case REMOVE:
                return map.remove(a);
            case REMOVE_VALUE:
                return map.remove(a, b);
            case REPLACE:
                return map.replace(a, b);
            case REPLACE_VALUE:
                return map.replace(a, b, c);
            case COMPUTE_IF_ABSENT:
                return map.computeIfAbsent(a, (Function) b);
            case COMPUTE_IF_PRESENT:
                return map.computeIfPresent(a, (BiFunction) b);
            case COMPUTE:
                return map.compute(a, (BiFunction) b);
            case MERGE:
                return map.merge(a, b, (BiFunction) c);
            case PUT_ALL: {
                List<Object> kv = (List<Object>) a;
                for (int i = 0; i < kv.size(); i += 2) {
                    map.put(kv.get(i), kv.get(i + 1));
                }
                return null;
            }
            case REPLACE_ALL: {
                BiFunction<Object, Object, Object> f = (BiFunction<Object, Object, Object>) a;
                // Compute every new value first, so a function that throws leaves the map unchanged.
                ArrayList<Object> values = new ArrayList<>(map.size());
                for (Map.Entry<Object, Object> e : map.entrySet()) {
                    values.add(Objects.requireNonNull(f.apply(e.getKey(), e.getValue()), "value"));
                }
                int i = 0;
                for (Map.Entry<Object, Object> e : map.entrySet()) {
                    e.setValue(values.get(i++));
                }
                return null;
            }
            case CLEAR:
                map.clear();
                return null;
            case SNAPSHOT: {
                ArrayList<Map.Entry<Object, Object>> copy = new ArrayList<>(map.size());
                for (Map.Entry<Object, Object> e : map.entrySet()) {
                    copy.add(Map.entry(e.getKey(), e.getValue()));
                }
                return copy;
            }
            default:
                throw new AssertionError("unknown serial map operation " + op);
        }
    }

    /** Answers with {@code t}, unless already answered. Any thread. */
    void fail(Throwable t) {
        complete(FAILED, t);
    }

    private void complete(int outcome, Object r) {
        if (STATE.compareAndSet(this, PENDING, CLAIMED)) { // CAS: exactly one completer wins (owner, drain or caller)
            result = r; // plain: published by the store of the final state below
            STATE.setRelease(this, outcome); // release: the caller's volatile read of state then sees result
            LockSupport.unpark(waiter);
        }
    }

    /** Runs on the caller: parks until answered; returns the result or throws the failure. */
    Object await() {
        boolean interrupted = false;
        int s;
        while ((s = (int) STATE.getVolatile(this)) < DONE) { // volatile: pairs with the release of the outcome
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = true; // the command is queued and will run: keep waiting for the answer
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Object r = result; // plain: ordered after the volatile read that saw DONE or FAILED
        if (s == FAILED) {
            Throwable t = (Throwable) r;
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("serial map operation failed: " + t, t);
        }
        return r;
    }
}
