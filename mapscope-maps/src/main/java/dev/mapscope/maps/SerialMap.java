package dev.mapscope.maps;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A map owned by one thread that applies every operation, in arrival order; callers hand it a small command
 * through a queue and block until the owner answers. It is Go's "share memory by communicating": a goroutine
 * that owns a map and serves requests from a channel. No lock is ever held around the map, every operation is
 * trivially atomic, and arbitrary multi-step logic ({@code compute}) runs with nothing else interleaved. The
 * price is a thread hand-off per call (microseconds, not nanoseconds), so use it when the map is a small part of
 * each request's cost, when operations must be strictly ordered, or when the owner thread should also do other
 * confined work; not for hot lookups.
 *
 * <p><b>Lifecycle.</b> The constructor starts the owner thread (a daemon named {@code mapscope-serial-map-N}).
 * {@link #close()} stops it: operations already queued are answered, the thread ends, and {@code close}
 * returns once it has ended. Every call after {@code close} throws {@link IllegalStateException} with the
 * message "serial map is closed". {@code close} is idempotent. A map that becomes unreachable without being
 * closed stops its thread when the garbage collector notices, but do not rely on that: close it.
 *
 * <p><b>Calls from the owner thread deadlock, so they are refused.</b> A function passed to {@code compute},
 * {@code computeIfAbsent}, {@code computeIfPresent}, {@code merge} or {@code replaceAll} runs on the owner thread;
 * if it called this map, it would wait for an answer that only it can give. Such a call throws
 * {@link IllegalStateException} instead of hanging. The same holds for {@code Entry.setValue} and
 * {@code Iterator.remove}, which are ordinary calls from the caller's thread and so are fine.
 *
 * <p><b>Nulls.</b> Keys and values must not be {@code null} ({@link NullPointerException}).
 *
 * <p><b>Thread safety.</b> Every method may be called from any thread (except the owner, see above). Every
 * operation is linearizable, whole-map ones included ({@code size}, {@code clear}, {@code putAll},
 * {@code replaceAll}, {@code containsValue}): the owner applies it in one step, between the call and the
 * answer. Iteration, {@code forEach}, {@code equals}, {@code hashCode} and {@code toString} work on a snapshot
 * copied by the owner in one step. Functions run exactly once, on the owner thread. An exception thrown by a
 * function (or by a key's {@code hashCode}/{@code equals}) is rethrown to the caller and leaves the map as it
 * was. A caller interrupted while waiting keeps waiting for its answer (the operation is already queued and
 * will happen) and returns with its interrupt status set.
 */
public final class SerialMap<K, V> extends AbstractSafeMap<K, V> implements AutoCloseable {
    /*
     * Protocol. Callers put a SerialCommand on `owner.queue` and park until its state leaves PENDING. The owner
     * takes commands in FIFO order and runs each against a HashMap that no other thread ever touches (thread
     * confinement: no lock, and the queue's put/take gives the happens-before edge from caller to owner; the
     * command's volatile state gives it back). close() sets `closed`, queues STOP and joins the owner. The owner,
     * on STOP, sets `terminated` and then fails every command still queued. A caller that queued a command
     * checks `terminated` afterwards: either the owner's final drain sees the command, or the caller sees
     * `terminated` (both are ordered through the queue's lock), so no caller waits forever.
     */

    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Stops the owner of a map that became unreachable without close(). One daemon thread for all maps. */
    private static final Cleaner CLEANER = Cleaner.create();

    private final Owner<K, V> owner;
    private final Cleaner.Cleanable cleanable;

    /** Creates the map and starts its owner thread. */
    public SerialMap() {
        owner = new Owner<>();
        owner.thread.start();
        cleanable = CLEANER.register(this, owner::stop);
    }

    /**
     * Stops the owner thread and waits for it to end. Commands queued before are answered first; calls after
     * this one throw {@link IllegalStateException}. Called from the owner thread (inside a function), it only
     * asks the thread to stop after the current operation.
     */
    @Override
    public void close() {
        cleanable.clean(); // runs owner.stop() once, whoever calls first
        if (Thread.currentThread() == owner.thread) {
            return;
        }
        boolean interrupted = false;
        while (owner.thread.isAlive()) {
            try {
                owner.thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return owner.closed;
    }

    /** The owner thread, for tests that check it ends. */
    Thread ownerThread() {
        return owner.thread;
    }

    /** The owner's state; must not reference the SerialMap, so the Cleaner can see it become unreachable. */
    static final class Owner<K, V> implements Runnable {
        final BlockingQueue<SerialCommand> queue = new LinkedBlockingQueue<>();

        /** Touched only by the owner thread (confinement; see the protocol comment). */
        final java.util.HashMap<Object, Object> map = new java.util.HashMap<>();

        /** Set once by close() or the cleaner; read by callers to fail fast. */
        volatile boolean closed;

        /** Set by the owner thread when it has taken STOP, before its final drain. */
        volatile boolean terminated;

        /** The owner thread; it starts in the SerialMap constructor, after this object is complete. */
        final Thread thread;

        Owner() {
            thread = new Thread(this, "mapscope-serial-map-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
        }

        void stop() {
            closed = true; // volatile: later calls fail fast
            queue.add(SerialCommand.STOP);
        }

        @Override
        public void run() {
            try {
                for (; ; ) {
                    SerialCommand c;
                    try {
                        c = queue.take();
                    } catch (InterruptedException e) {
                        continue; // only close() ends the owner; a stray interrupt is ignored
                    }
                    if (c == SerialCommand.STOP) {
                        break;
                    }
                    c.run(map);
                }
            } finally {
                terminated = true; // volatile, before the drain: see the protocol comment
                map.clear();
                for (SerialCommand c; (c = queue.poll()) != null; ) {
                    c.fail(closedException());
                }
            }
        }
    }

    static IllegalStateException closedException() {
        return new IllegalStateException("serial map is closed");
    }

    /** Sends {@code c} to the owner and waits for its answer. */
    private Object call(SerialCommand c) {
        if (Thread.currentThread() == owner.thread) {
            throw new IllegalStateException("serial map called from its own owner thread, e.g. from inside a "
                    + "compute or merge function: the call would wait for itself and deadlock");
        }
        if (owner.closed) {
            throw closedException();
        }
        c.waiter = Thread.currentThread();
        owner.queue.add(c);
        if (owner.terminated) {
            // The owner may have drained before our add: nobody else will answer. fail() is a CAS, so if the
            // owner did answer, this does nothing and we get the owner's answer.
            c.fail(closedException());
        }
        return c.await();
    }

    @SuppressWarnings("unchecked")
    private V callV(int op, Object a, Object b, Object c) {
        return (V) call(new SerialCommand(op, a, b, c));
    }

    @Override
    public V get(Object key) {
        return callV(SerialCommand.GET, Objects.requireNonNull(key, "key"), null, null);
    }

    @Override
    public boolean containsKey(Object key) {
        return (Boolean)
                call(new SerialCommand(SerialCommand.CONTAINS_KEY, Objects.requireNonNull(key, "key"), null, null));
    }

    @Override
    public boolean containsValue(Object value) {
        return (Boolean) call(
                new SerialCommand(SerialCommand.CONTAINS_VALUE, Objects.requireNonNull(value, "value"), null, null));
    }

    @Override
    public int size() {
        return (Integer) call(new SerialCommand(SerialCommand.SIZE, null, null, null));
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public V put(K key, V value) {
        return callV(
                SerialCommand.PUT, Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"), null);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return callV(
                SerialCommand.PUT_IF_ABSENT,
                Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(value, "value"),
                null);
    }

    @Override
    public V remove(Object key) {
        return callV(SerialCommand.REMOVE, Objects.requireNonNull(key, "key"), null, null);
    }

    @Override
    public boolean remove(Object key, Object value) {
        Objects.requireNonNull(key, "key");
        if (value == null) {
            return false;
        }
        return (Boolean) call(new SerialCommand(SerialCommand.REMOVE_VALUE, key, value, null));
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        return (Boolean) call(new SerialCommand(
                SerialCommand.REPLACE_VALUE,
                Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(oldValue, "oldValue"),
                Objects.requireNonNull(newValue, "newValue")));
    }

    @Override
    public V replace(K key, V value) {
        return callV(
                SerialCommand.REPLACE,
                Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(value, "value"),
                null);
    }

    @Override
    public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
        return callV(
                SerialCommand.COMPUTE_IF_ABSENT,
                Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(mappingFunction, "mappingFunction"),
                null);
    }

    @Override
    public V computeIfPresent(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        return callV(
                SerialCommand.COMPUTE_IF_PRESENT,
                Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(remappingFunction, "remappingFunction"),
                null);
    }

    @Override
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remappingFunction) {
        return callV(
                SerialCommand.COMPUTE,
                Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(remappingFunction, "remappingFunction"),
                null);
    }

    @Override
    public V merge(K key, V value, BiFunction<? super V, ? super V, ? extends V> remappingFunction) {
        return callV(
                SerialCommand.MERGE,
                Objects.requireNonNull(key, "key"),
                Objects.requireNonNull(value, "value"),
                Objects.requireNonNull(remappingFunction, "remappingFunction"));
    }

    /** Atomic: the owner puts every entry in one step. The source is copied first, on the caller's thread. */
    @Override
    public void putAll(Map<? extends K, ? extends V> m) {
        ArrayList<Object> copy = new ArrayList<>(2 * m.size());
        for (Map.Entry<? extends K, ? extends V> e : m.entrySet()) {
            copy.add(Objects.requireNonNull(e.getKey(), "key"));
            copy.add(Objects.requireNonNull(e.getValue(), "value"));
        }
        call(new SerialCommand(SerialCommand.PUT_ALL, copy, null, null));
    }

    /** Atomic: the function runs for every entry on the owner thread and must not use this map. */
    @Override
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
        call(new SerialCommand(SerialCommand.REPLACE_ALL, Objects.requireNonNull(function, "function"), null, null));
    }

    @Override
    public void clear() {
        call(new SerialCommand(SerialCommand.CLEAR, null, null, null));
    }

    @Override
    @SuppressWarnings("unchecked")
    Iterator<Map.Entry<K, V>> entryIterator() {
        return ((ArrayList<Map.Entry<K, V>>) call(new SerialCommand(SerialCommand.SNAPSHOT, null, null, null)))
                .iterator();
    }
}
