package dev.mapscope.agent.race;

import static dev.mapscope.agent.transform.Hook.Methods.constructors;
import static dev.mapscope.agent.transform.Hook.Methods.named;

import dev.mapscope.agent.transform.AdviceTable;
import dev.mapscope.agent.transform.AdviceTransformer;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Set;

/**
 * Which JDK methods get which advice (a table: class, methods, advice), and its installation. To watch one more
 * method, add a row to {@link #table}: {@code t.add(CLASS, SomeAdvice.Nested.class, named("method"))}, narrowed if
 * needed with {@code .takingArguments(n)}, {@code .takingArguments(long.class)} or {@code .returning(int.class)}; the
 * advice is an ordinary Byte Buddy {@code @Advice} class (MapAdvice, SyncAdvice).
 */
public final class RaceInstaller {
    /*
     * Every instrumented type is named here, so installing retransforms exactly the loaded ones among them, and
     * detaching retransforms the same set without the transformer, which restores the original bytecode.
     */
    /** Iterators: inner classes of their map ({@code this$0}); a constructor starts an iteration, a step checks. */
    private static final String[] ITERATORS = {
        "java.util.HashMap$HashIterator",
        "java.util.LinkedHashMap$LinkedHashIterator",
        "java.util.TreeMap$PrivateEntryIterator",
        "java.util.WeakHashMap$HashIterator",
        "java.util.IdentityHashMap$IdentityHashMapIterator",
    };
    /** Views whose forEach loops over the table itself (inner classes of their map). */
    private static final String[] VIEWS = {
        "java.util.HashMap$KeySet",
        "java.util.HashMap$Values",
        "java.util.HashMap$EntrySet",
        "java.util.LinkedHashMap$LinkedKeySet",
        "java.util.LinkedHashMap$LinkedValues",
        "java.util.LinkedHashMap$LinkedEntrySet",
    };
    /** Spliterator base classes with a {@code map} field, and their subclasses. */
    private static final String[] SPLITERATOR_BASES = {
        "java.util.HashMap$HashMapSpliterator",
        "java.util.WeakHashMap$WeakHashMapSpliterator",
        "java.util.IdentityHashMap$IdentityHashMapSpliterator",
    };

    private static final String[] SPLITERATORS = {
        "java.util.HashMap$KeySpliterator",
        "java.util.HashMap$ValueSpliterator",
        "java.util.HashMap$EntrySpliterator",
        "java.util.WeakHashMap$KeySpliterator",
        "java.util.WeakHashMap$ValueSpliterator",
        "java.util.WeakHashMap$EntrySpliterator",
        "java.util.IdentityHashMap$KeySpliterator",
        "java.util.IdentityHashMap$ValueSpliterator",
        "java.util.IdentityHashMap$EntrySpliterator",
    };
    /** TreeMap's spliterators: field {@code tree}. */
    private static final String TREE_SPLITERATOR_BASE = "java.util.TreeMap$TreeMapSpliterator";

    private static final String[] TREE_SPLITERATORS = {
        "java.util.TreeMap$KeySpliterator",
        "java.util.TreeMap$DescendingKeySpliterator",
        "java.util.TreeMap$ValueSpliterator",
        "java.util.TreeMap$EntrySpliterator",
    };
    private static final String AQS = "java.util.concurrent.locks.AbstractQueuedSynchronizer";
    private static final String AQLS = "java.util.concurrent.locks.AbstractQueuedLongSynchronizer";
    private static final String[] SYNCS = {
        "java.util.concurrent.locks.ReentrantLock$Sync",
        "java.util.concurrent.locks.ReentrantLock$NonfairSync",
        "java.util.concurrent.locks.ReentrantLock$FairSync",
        "java.util.concurrent.locks.ReentrantReadWriteLock$Sync",
        "java.util.concurrent.CountDownLatch$Sync",
        "java.util.concurrent.Semaphore$Sync",
        "java.util.concurrent.Semaphore$NonfairSync",
        "java.util.concurrent.Semaphore$FairSync",
    };
    private static final String[] QUEUES = {
        "java.util.concurrent.ArrayBlockingQueue",
        "java.util.concurrent.LinkedBlockingQueue",
        "java.util.concurrent.LinkedBlockingDeque",
        "java.util.concurrent.PriorityBlockingQueue",
        "java.util.concurrent.DelayQueue",
        "java.util.concurrent.SynchronousQueue",
        "java.util.concurrent.LinkedTransferQueue",
        "java.util.concurrent.ConcurrentLinkedQueue",
        "java.util.concurrent.ConcurrentLinkedDeque",
        "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue",
    };
    private static final String[] QUEUE_PUTS = {
        "offer",
        "put",
        "add",
        "addFirst",
        "addLast",
        "offerFirst",
        "offerLast",
        "putFirst",
        "putLast",
        "push",
        "transfer",
        "tryTransfer",
    };
    private static final String[] QUEUE_TAKES = {
        "poll",
        "take",
        "pollFirst",
        "pollLast",
        "takeFirst",
        "takeLast",
        "removeFirst",
        "removeLast",
        "pop",
        "drainTo",
        "peek",
        "peekFirst",
        "peekLast",
        "element",
    };
    private static final String THREAD = "java.lang.Thread";
    private static final String FUTURE_TASK = "java.util.concurrent.FutureTask";
    private static final String COMPLETABLE = "java.util.concurrent.CompletableFuture";
    private static final String FJ_TASK = "java.util.concurrent.ForkJoinTask";
    private static final String FJ_POOL = "java.util.concurrent.ForkJoinPool";
    private static final String TPE = "java.util.concurrent.ThreadPoolExecutor";
    /** JDK 21+: Executors.newVirtualThreadPerTaskExecutor and newThreadPerTaskExecutor */
    private static final String PER_TASK = "java.util.concurrent.ThreadPerTaskExecutor";
    /** a map handed over through a ConcurrentHashMap: one clock per ConcurrentHashMap, released by every write */
    private static final String CHM = "java.util.concurrent.ConcurrentHashMap";

    private static final String SKIP_LIST = "java.util.concurrent.ConcurrentSkipListMap";
    /** the skip list's iterators (an inner class: this$0 is the map) */
    private static final String SKIP_LIST_ITERATOR = "java.util.concurrent.ConcurrentSkipListMap$Iter";
    /** JDK 21+: a virtual thread's start and end are not Thread.start and Thread.exit */
    private static final String VIRTUAL = "java.lang.VirtualThread";

    private static final String STAMPED = "java.util.concurrent.locks.StampedLock";
    private static final String INTERRUPTED = "java.lang.InterruptedException";

    private RaceInstaller() {}

    /** The names of every type this agent instruments in the given mode. */
    public static Set<String> typeNames(boolean sharing) {
        return table(sharing).typeNames();
    }

    /** Installs the advice and retransforms the loaded types; returns the transformer that undoes it. */
    public static AdviceTransformer install(
            Instrumentation inst, boolean sharing, String build, List<String> errors, Set<String> transformed) {
        return AdviceTransformer.install(inst, table(sharing), build, errors, transformed);
    }

    /** Every row of advice in the given mode (sharing: mode=full). */
    static AdviceTable table(boolean sharing) {
        AdviceTable t = new AdviceTable();
        // HashMap, and through it LinkedHashMap, HashSet, LinkedHashSet.
        t.add("java.util.HashMap", MapAdvice.HashedWrite.class, named("putVal", "removeNode"))
                .add(
                        "java.util.HashMap",
                        MapAdvice.KeyedHashWrite.class,
                        named("computeIfAbsent", "computeIfPresent", "compute", "merge", "replace"))
                .add("java.util.HashMap", MapAdvice.HashWrite.class, named("clear", "resize", "replaceAll"))
                // putAll and clone: one write for the whole copy, not one per entry
                .add("java.util.HashMap", MapAdvice.Write.class, named("putMapEntries"))
                .add(
                        "java.util.HashMap",
                        ReadAdvice.HashLookup.class,
                        named("getNode").takingArguments(1))
                .add("java.util.HashMap", ReadAdvice.Lookup.class, named("containsValue"))
                .add("java.util.HashMap", ReadAdvice.MapLoop.class, named("forEach", "keysToArray", "valuesToArray"));
        t.add("java.util.LinkedHashMap", MapAdvice.HashWrite.class, named("afterNodeAccess", "clear", "replaceAll"))
                .add("java.util.LinkedHashMap", ReadAdvice.Lookup.class, named("containsValue"))
                .add(
                        "java.util.LinkedHashMap",
                        ReadAdvice.MapLoop.class,
                        named("forEach", "keysToArray", "valuesToArray"));
        t.add(
                        "java.util.TreeMap",
                        MapAdvice.KeyedWrite.class,
                        named(
                                "put",
                                "putIfAbsent",
                                "computeIfAbsent",
                                "computeIfPresent",
                                "compute",
                                "merge",
                                "replace"))
                .add(
                        "java.util.TreeMap",
                        MapAdvice.KeyedWrite.class,
                        named("remove").takingArguments(1))
                .add(
                        "java.util.TreeMap",
                        MapAdvice.Write.class,
                        named("clear", "putAll", "pollFirstEntry", "pollLastEntry", "deleteEntry", "replaceAll"))
                .add(
                        "java.util.TreeMap",
                        ReadAdvice.KeyedLookup.class,
                        named("getEntry", "getCeilingEntry", "getFloorEntry", "getHigherEntry", "getLowerEntry"))
                .add(
                        "java.util.TreeMap",
                        ReadAdvice.Lookup.class,
                        named("getFirstEntry", "getLastEntry", "containsValue"))
                .add("java.util.TreeMap", ReadAdvice.MapLoop.class, named("forEach"));
        String[] weakAndIdentity = {"java.util.WeakHashMap", "java.util.IdentityHashMap"};
        t.add(weakAndIdentity, MapAdvice.KeyedWrite.class, named("put"))
                .add(
                        weakAndIdentity,
                        MapAdvice.KeyedWrite.class,
                        named("remove").takingArguments(1))
                .add(
                        weakAndIdentity,
                        MapAdvice.Write.class,
                        named("clear", "putAll", "resize", "replaceAll", "closeDeletion"))
                .add(weakAndIdentity, ReadAdvice.Lookup.class, named("containsValue"))
                .add(weakAndIdentity, ReadAdvice.MapLoop.class, named("forEach"))
                // WeakHashMap: get, getEntry (containsKey); IdentityHashMap: get, containsKey
                .add(
                        weakAndIdentity,
                        ReadAdvice.TableLookup.class,
                        named("get", "getEntry").takingArguments(1))
                .add("java.util.IdentityHashMap", ReadAdvice.TableContains.class, named("containsKey"));
        reads(t);
        if (sharing) {
            sync(t);
        } else {
            t.add(THREAD, SyncAdvice.ThreadStart.class, named("start").takingArguments(0));
        }
        return t;
    }

    /** Iterators, views and spliterators: an iteration's start and its steps (ReadAdvice). */
    private static void reads(AdviceTable t) {
        t.add(ITERATORS, ReadAdvice.IteratorMade.class, constructors())
                .add(
                        ITERATORS,
                        ReadAdvice.IteratorStep.class,
                        named("nextNode", "nextEntry", "prevEntry", "nextIndex"));
        t.add(VIEWS, ReadAdvice.ViewLoop.class, named("forEach"));
        t.add(SPLITERATOR_BASES, ReadAdvice.SpliteratorMade.class, constructors());
        t.add(SPLITERATORS, ReadAdvice.SpliteratorStep.class, named("tryAdvance", "forEachRemaining"));
        t.add(TREE_SPLITERATOR_BASE, ReadAdvice.TreeSpliteratorMade.class, constructors());
        t.add(TREE_SPLITERATORS, ReadAdvice.TreeSpliteratorStep.class, named("tryAdvance", "forEachRemaining"));
    }

    private static void sync(AdviceTable t) {
        String[] aqs = {AQS, AQLS};
        t.add(aqs, SyncAdvice.ReleaseThis.class, named("release"))
                .add(aqs, SyncAdvice.ReleaseShared.class, named("releaseShared"));
        t.add(
                        SYNCS,
                        SyncAdvice.AcquireIfTrue.class,
                        named("tryAcquire", "initialTryLock", "tryLock", "tryWriteLock")
                                .returning(boolean.class))
                .add(
                        SYNCS,
                        SyncAdvice.AcquireSharedInt.class,
                        named("tryAcquireShared").returning(int.class))
                .add(
                        SYNCS,
                        SyncAdvice.AcquireSharedLong.class,
                        named("tryAcquireShared").returning(long.class));
        // A latch's count and a semaphore's permits are the synchronizer's volatile state: a thread that polls
        // getCount() or availablePermits() reads what countDown and release wrote (their releases above).
        t.add("java.util.concurrent.CountDownLatch$Sync", SyncAdvice.AcquireThisOnExit.class, named("getCount"))
                .add("java.util.concurrent.Semaphore$Sync", SyncAdvice.AcquireThisOnExit.class, named("getPermits"));
        t.add(QUEUES, SyncAdvice.ReleaseThis.class, named(QUEUE_PUTS))
                .add(QUEUES, SyncAdvice.AcquireThisOnExit.class, named(QUEUE_TAKES))
                .add(QUEUES, SyncAdvice.AcquireThisOnExit.class, named("remove").takingArguments(0));
        t.add(THREAD, SyncAdvice.ThreadStart.class, named("start").takingArguments(0))
                .add(THREAD, SyncAdvice.ThreadExit.class, named("exit").takingArguments(0))
                .add(THREAD, SyncAdvice.ThreadIsAlive.class, named("isAlive"))
                .add(THREAD, SyncAdvice.ThreadGetState.class, named("getState").takingArguments(0))
                .add(THREAD, SyncAdvice.ThreadJoin.class, named("join"))
                .add(
                        THREAD,
                        SyncAdvice.ThreadInterrupt.class,
                        named("interrupt").takingArguments(0))
                .add(
                        THREAD,
                        SyncAdvice.ThreadIsInterrupted.class,
                        named("isInterrupted").takingArguments(0))
                .add(
                        THREAD,
                        SyncAdvice.ThreadInterrupted.class,
                        named("interrupted").takingArguments(0));
        t.add(INTERRUPTED, SyncAdvice.InterruptedExceptionMade.class, constructors());
        t.add(
                        STAMPED,
                        SyncAdvice.StampAcquired.class,
                        named(
                                        "writeLock",
                                        "tryWriteLock",
                                        "writeLockInterruptibly",
                                        "readLock",
                                        "tryReadLock",
                                        "readLockInterruptibly",
                                        "tryOptimisticRead",
                                        "tryConvertToWriteLock",
                                        "tryConvertToReadLock",
                                        "tryConvertToOptimisticRead")
                                .returning(long.class))
                .add(STAMPED, SyncAdvice.StampValidated.class, named("validate"))
                .add(
                        STAMPED,
                        SyncAdvice.StampWriteReleased.class,
                        named("unlockWrite", "tryUnlockWrite", "unstampedUnlockWrite"))
                .add(
                        STAMPED,
                        SyncAdvice.StampReadReleased.class,
                        named("unlockRead", "tryUnlockRead", "unstampedUnlockRead"))
                .add(
                        STAMPED,
                        SyncAdvice.StampMaybeReleased.class,
                        named("unlock", "tryConvertToWriteLock", "tryConvertToReadLock", "tryConvertToOptimisticRead")
                                .takingArguments(long.class));
        t.add(FUTURE_TASK, SyncAdvice.ReleaseThis.class, named("set", "setException"))
                .add(FUTURE_TASK, SyncAdvice.AcquireThisOnEnter.class, named("run"))
                .add(FUTURE_TASK, SyncAdvice.AcquireThisOnExit.class, named("get", "isDone"));
        t.add(COMPLETABLE, SyncAdvice.ReleaseThis.class, named("postComplete"))
                .add(COMPLETABLE, SyncAdvice.AcquireThisOnExit.class, named("get", "join", "getNow", "isDone"));
        t.add(FJ_TASK, SyncAdvice.ReleaseThis.class, named("fork"))
                .add(FJ_TASK, SyncAdvice.AcquireThisOnEnter.class, named("doExec"))
                .add(FJ_TASK, SyncAdvice.ReleaseThisOnExit.class, named("doExec"))
                // awaitDone: invokeAll and quietlyJoin wait there, not in join, and its helping step learns that the
                // task is done from a read of its status inside ForkJoinPool, which the rewrite leaves alone.
                .add(
                        FJ_TASK,
                        SyncAdvice.AcquireThisOnExit.class,
                        named("join", "invoke", "get", "isDone", "awaitDone"));
        t.add(
                        FJ_POOL,
                        SyncAdvice.ReleaseArgument0.class,
                        named("externalPush", "externalSubmit").takingArguments(1))
                .add(
                        FJ_POOL,
                        SyncAdvice.ReleaseArgument1.class,
                        named("poolSubmit").takingArguments(2))
                // Every worker deregisters before the pool is terminated.
                .add(FJ_POOL, SyncAdvice.ReleaseThis.class, named("deregisterWorker"));
        // A thread-per-task executor learns that its threads are done from a concurrent set's isEmpty (not an edge)
        // and, when it was shut down after they ended, counts its latch down on the closing thread itself: each
        // task's thread releases on the executor when it reports its task complete.
        t.add(PER_TASK, SyncAdvice.ReleaseThis.class, named("taskComplete"));
        // Termination of both (close: JDK 19+; on JDK 21+ a ForkJoinPool's awaitTermination and close also wait
        // on a latch that only the last worker counts down): after the releases above, whichever thread made them.
        String[] terminating = {FJ_POOL, PER_TASK};
        t.add(
                        terminating,
                        SyncAdvice.AcquireIfTrue.class,
                        named("awaitTermination").takingArguments(2))
                .add(
                        terminating,
                        SyncAdvice.AcquireIfTrue.class,
                        named("isTerminated").takingArguments(0))
                .add(
                        terminating,
                        SyncAdvice.AcquireThisOnExit.class,
                        named("close").takingArguments(0));
        // A worker counts each task it ran in a volatile of its own right after afterExecute: a thread that polls
        // the pool's counts (getCompletedTaskCount, getTaskCount, getActiveCount) reads what the workers wrote.
        // The release is at afterExecute, before the count (a subclass's afterExecute that skips super loses it).
        t.add(TPE, SyncAdvice.ReleaseThis.class, named("afterExecute").takingArguments(2))
                .add(
                        TPE,
                        SyncAdvice.AcquireThisOnExit.class,
                        named("getCompletedTaskCount", "getTaskCount", "getActiveCount")
                                .takingArguments(0));
        t.add(TPE, SyncAdvice.ReleaseArgument0.class, named("execute").takingArguments(1))
                .add(
                        TPE,
                        SyncAdvice.AcquireArgument1.class,
                        named("beforeExecute").takingArguments(2));
        // A ConcurrentHashMap publishes its values with volatile writes and CAS inside java.base, which the
        // rewrite does not touch: model it at API level. Every write releases on the map before it
        // publishes; every read (and every write, which reads the old value) acquires after it.
        t.add(
                        CHM,
                        SyncAdvice.ReleaseThis.class,
                        named(
                                "putVal",
                                "replaceNode",
                                "compute",
                                "computeIfAbsent",
                                "computeIfPresent",
                                "merge",
                                "clear"))
                .add(
                        CHM,
                        SyncAdvice.AcquireThisOnExit.class,
                        named(
                                "get",
                                "getOrDefault",
                                "containsKey",
                                "containsValue",
                                "putVal",
                                "replaceNode",
                                "compute",
                                "computeIfAbsent",
                                "computeIfPresent",
                                "merge"));
        // The function of compute, computeIfAbsent, computeIfPresent and merge runs under the key's bin lock: it
        // acquires on the map before it runs and releases after (LockedFunctions), so that a value changed inside it
        // is ordered with the functions before and after it.
        t.add(
                        CHM,
                        SyncAdvice.LockFunction1.class,
                        named("compute", "computeIfAbsent", "computeIfPresent").takingArguments(2))
                .add(CHM, SyncAdvice.LockFunction2.class, named("merge").takingArguments(3));
        // Its iterators and traversals: each iterator step acquires after it found its node; a view's forEach or
        // spliterator (streams), an entry spliterator's steps and the map's own forEach acquire before they
        // traverse (the key and value spliterators know no map: their later steps are not edges).
        t.add(CHM + "$BaseIterator", SyncAdvice.AcquireMapFieldOnExit.class, named("hasNext", "hasMoreElements"))
                .add(
                        new String[] {CHM + "$KeyIterator", CHM + "$ValueIterator", CHM + "$EntryIterator"},
                        SyncAdvice.AcquireMapFieldOnExit.class,
                        named("next", "nextElement"))
                .add(
                        new String[] {CHM + "$KeySetView", CHM + "$ValuesView", CHM + "$EntrySetView"},
                        SyncAdvice.AcquireMapFieldOnEnter.class,
                        named("forEach", "spliterator"))
                .add(
                        CHM + "$EntrySpliterator",
                        SyncAdvice.AcquireMapFieldOnEnter.class,
                        named("tryAdvance", "forEachRemaining"))
                .add(
                        CHM,
                        SyncAdvice.AcquireThisOnEnter.class,
                        named("forEach", "forEachKey", "forEachValue", "forEachEntry"));
        // A ConcurrentSkipListMap (and the ConcurrentSkipListSet over one) orders its nodes with plain reads and
        // fences, which are not edges: model it like ConcurrentHashMap. Every write releases on the map before it
        // links or unlinks a node; every lookup, and an iterator's start and each of its steps, acquires after.
        t.add(
                        SKIP_LIST,
                        SyncAdvice.ReleaseThis.class,
                        named(
                                "doPut",
                                "doRemove",
                                "doRemoveFirstEntry",
                                "doRemoveLastEntry",
                                "compute",
                                "computeIfAbsent",
                                "computeIfPresent",
                                "merge",
                                "replace",
                                "replaceAll",
                                "removeEntryIf",
                                "removeValueIf",
                                "clear"))
                .add(
                        SKIP_LIST,
                        SyncAdvice.AcquireThisOnExit.class,
                        named(
                                "doGet",
                                "doPut",
                                "doRemove",
                                "findNode",
                                "findFirst",
                                "findLast",
                                "findNear",
                                "baseHead",
                                "containsValue"))
                .add(SKIP_LIST_ITERATOR, SyncAdvice.AcquireOuterOnExit.class, named("advance"));
        t.add(VIRTUAL, SyncAdvice.ThreadStart.class, named("start"))
                .add(VIRTUAL, SyncAdvice.VirtualThreadRunEnd.class, named("run").takingArguments(Runnable.class));
    }
}
