package dev.mapscope.agent.race;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.mapscope.agent.transform.LoadedByName;
import dev.mapscope.agent.transform.TransformRecorder;
import java.lang.instrument.Instrumentation;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Which JDK methods get which advice, and the transformer that puts it there and takes it away. Its discovery
 * strategy and listener are shared with the probes' transformers (dev.mapscope.agent.probe).
 */
public final class RaceInstaller {
    /*
     * Every instrumented type is named here, so installing retransforms exactly the loaded ones among them
     * (an explicit discovery list instead of Byte Buddy's walk over every loaded class), and detaching
     * retransforms the same set without the transformer, which restores the original bytecode.
     */
    private static final String[] HASH_MAPS = {"java.util.HashMap", "java.util.LinkedHashMap"};
    private static final String[] OTHER_MAPS = {
        "java.util.TreeMap", "java.util.WeakHashMap", "java.util.IdentityHashMap"
    };
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
    /** a map handed over through a ConcurrentHashMap: one clock per ConcurrentHashMap, released by every write */
    private static final String CHM = "java.util.concurrent.ConcurrentHashMap";
    /** JDK 21+: a virtual thread's start and end are not Thread.start and Thread.exit */
    private static final String VIRTUAL = "java.lang.VirtualThread";

    private static final String STAMPED = "java.util.concurrent.locks.StampedLock";
    private static final String INTERRUPTED = "java.lang.InterruptedException";

    private RaceInstaller() {}

    /** The names of every type this agent instruments in the given mode. */
    public static Set<String> typeNames(boolean sharing) {
        Set<String> s = new LinkedHashSet<>(List.of(HASH_MAPS));
        s.addAll(List.of(OTHER_MAPS));
        s.addAll(List.of(ITERATORS));
        s.addAll(List.of(VIEWS));
        s.addAll(List.of(SPLITERATOR_BASES));
        s.addAll(List.of(SPLITERATORS));
        s.add(TREE_SPLITERATOR_BASE);
        s.addAll(List.of(TREE_SPLITERATORS));
        s.add(THREAD); // Thread.start: where each thread was started, in both modes
        if (sharing) {
            s.add(AQS);
            s.add(AQLS);
            s.addAll(List.of(SYNCS));
            s.addAll(List.of(QUEUES));
            s.addAll(List.of(
                    THREAD, FUTURE_TASK, COMPLETABLE, FJ_TASK, FJ_POOL, TPE, STAMPED, INTERRUPTED, CHM, VIRTUAL));
        }
        return s;
    }

    /** Installs the advice and retransforms the loaded types; returns the transformer that undoes it. */
    public static ResettableClassFileTransformer install(
            Instrumentation inst, boolean sharing, List<String> errors, Set<String> transformed) {
        // Load every target first. A class first loaded while a transformer runs on the same thread (Byte
        // Buddy loads TreeMap while it transforms) is not shown to any transformer (the JVM's re-entrancy
        // guard), so it would stay uninstrumented; found by the TreeMap pattern test.
        for (String name : typeNames(sharing)) {
            try {
                Class.forName(name, false, null);
            } catch (ClassNotFoundException e) {
                // not in this JDK (a nested class renamed): nothing to instrument
            }
        }
        AgentBuilder b = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new LoadedByName(typeNames(sharing)))
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .ignore(nameStartsWith("net.bytebuddy.").or(nameStartsWith("dev.mapscope.agent.")))
                .with(new TransformRecorder(errors, transformed));

        // HashMap, and through it LinkedHashMap, HashSet, LinkedHashSet.
        b = b.type(named("java.util.HashMap"))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                                on(MapAdvice.HashedWrite.class, namedOneOf("putVal", "removeNode")))
                        .visit(on(
                                MapAdvice.KeyedHashWrite.class,
                                namedOneOf("computeIfAbsent", "computeIfPresent", "compute", "merge", "replace")))
                        .visit(on(MapAdvice.HashWrite.class, namedOneOf("clear", "resize", "replaceAll")))
                        // putAll and clone: one write for the whole copy, not one per entry
                        .visit(on(MapAdvice.Write.class, named("putMapEntries")))
                        .visit(on(ReadAdvice.HashLookup.class, named("getNode").and(takesArguments(1))))
                        .visit(on(ReadAdvice.Lookup.class, named("containsValue")))
                        .visit(on(ReadAdvice.MapLoop.class, namedOneOf("forEach", "keysToArray", "valuesToArray"))));
        b = b.type(named("java.util.LinkedHashMap"))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                                on(MapAdvice.HashWrite.class, namedOneOf("afterNodeAccess", "clear", "replaceAll")))
                        .visit(on(ReadAdvice.Lookup.class, named("containsValue")))
                        .visit(on(ReadAdvice.MapLoop.class, namedOneOf("forEach", "keysToArray", "valuesToArray"))));
        b = b.type(named("java.util.TreeMap"))
                .transform((builder, type, loader, module, pd) -> builder.visit(on(
                                MapAdvice.KeyedWrite.class,
                                namedOneOf(
                                                "put",
                                                "putIfAbsent",
                                                "computeIfAbsent",
                                                "computeIfPresent",
                                                "compute",
                                                "merge",
                                                "replace")
                                        .or(named("remove").and(takesArguments(1)))))
                        .visit(on(
                                MapAdvice.Write.class,
                                namedOneOf(
                                        "clear",
                                        "putAll",
                                        "pollFirstEntry",
                                        "pollLastEntry",
                                        "deleteEntry",
                                        "replaceAll")))
                        .visit(on(
                                ReadAdvice.KeyedLookup.class,
                                namedOneOf(
                                        "getEntry",
                                        "getCeilingEntry",
                                        "getFloorEntry",
                                        "getHigherEntry",
                                        "getLowerEntry")))
                        .visit(on(
                                ReadAdvice.Lookup.class, namedOneOf("getFirstEntry", "getLastEntry", "containsValue")))
                        .visit(on(ReadAdvice.MapLoop.class, named("forEach"))));
        b = b.type(namedOneOf("java.util.WeakHashMap", "java.util.IdentityHashMap"))
                .transform((builder, type, loader, module, pd) -> builder.visit(on(
                                MapAdvice.KeyedWrite.class,
                                named("put").or(named("remove").and(takesArguments(1)))))
                        .visit(on(
                                MapAdvice.Write.class,
                                namedOneOf("clear", "putAll", "resize", "replaceAll", "closeDeletion")))
                        .visit(on(ReadAdvice.Lookup.class, named("containsValue")))
                        .visit(on(ReadAdvice.MapLoop.class, named("forEach")))
                        // WeakHashMap: get, getEntry (containsKey); IdentityHashMap: get, containsKey
                        .visit(on(
                                ReadAdvice.TableLookup.class,
                                namedOneOf("get", "getEntry").and(takesArguments(1))))
                        .visit(on(
                                ReadAdvice.TableContains.class,
                                named("containsKey").and(isDeclaredBy(named("java.util.IdentityHashMap"))))));
        b = reads(b);
        if (sharing) {
            b = sync(b);
        } else {
            b = b.type(named(THREAD))
                    .transform((builder, type, loader, module, pd) -> builder.visit(
                            on(SyncAdvice.ThreadStart.class, named("start").and(takesArguments(0)))));
        }
        return b.installOn(inst);
    }

    /** Iterators, views and spliterators: an iteration's start and its steps (ReadAdvice). */
    private static AgentBuilder reads(AgentBuilder b) {
        b = b.type(namedOneOf(ITERATORS))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                                Advice.to(ReadAdvice.IteratorMade.class).on(isConstructor()))
                        .visit(on(
                                ReadAdvice.IteratorStep.class,
                                namedOneOf("nextNode", "nextEntry", "prevEntry", "nextIndex"))));
        b = b.type(namedOneOf(VIEWS))
                .transform((builder, type, loader, module, pd) ->
                        builder.visit(on(ReadAdvice.ViewLoop.class, named("forEach"))));
        b = b.type(namedOneOf(SPLITERATOR_BASES))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                        Advice.to(ReadAdvice.SpliteratorMade.class).on(isConstructor())));
        b = b.type(namedOneOf(SPLITERATORS))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                        on(ReadAdvice.SpliteratorStep.class, namedOneOf("tryAdvance", "forEachRemaining"))));
        b = b.type(named(TREE_SPLITERATOR_BASE))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                        Advice.to(ReadAdvice.TreeSpliteratorMade.class).on(isConstructor())));
        b = b.type(namedOneOf(TREE_SPLITERATORS))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                        on(ReadAdvice.TreeSpliteratorStep.class, namedOneOf("tryAdvance", "forEachRemaining"))));
        return b;
    }

    private static AgentBuilder sync(AgentBuilder b) {
        b = b.type(namedOneOf(AQS, AQLS))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                                on(SyncAdvice.ReleaseThis.class, named("release")))
                        .visit(on(SyncAdvice.ReleaseShared.class, named("releaseShared"))));
        b = b.type(namedOneOf(SYNCS))
                .transform((builder, type, loader, module, pd) -> builder.visit(on(
                                SyncAdvice.AcquireIfTrue.class,
                                namedOneOf("tryAcquire", "initialTryLock", "tryLock", "tryWriteLock")
                                        .and(returns(boolean.class))
                                        .and(not(isAbstract()))))
                        .visit(on(
                                SyncAdvice.AcquireSharedInt.class,
                                named("tryAcquireShared")
                                        .and(returns(int.class))
                                        .and(not(isAbstract()))))
                        .visit(on(
                                SyncAdvice.AcquireSharedLong.class,
                                named("tryAcquireShared")
                                        .and(returns(long.class))
                                        .and(not(isAbstract())))));
        b = b.type(namedOneOf(QUEUES))
                .transform((builder, type, loader, module, pd) -> builder.visit(on(
                                SyncAdvice.ReleaseThis.class,
                                namedOneOf(QUEUE_PUTS).and(not(isAbstract()))))
                        .visit(on(
                                SyncAdvice.AcquireThisOnExit.class,
                                namedOneOf(QUEUE_TAKES)
                                        .or(named("remove").and(takesArguments(0)))
                                        .and(not(isAbstract())))));
        b = b.type(named(THREAD))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                                on(SyncAdvice.ThreadStart.class, named("start").and(takesArguments(0))))
                        .visit(on(SyncAdvice.ThreadExit.class, named("exit").and(takesArguments(0))))
                        .visit(on(SyncAdvice.ThreadIsAlive.class, named("isAlive")))
                        .visit(on(SyncAdvice.ThreadJoin.class, named("join")))
                        .visit(on(
                                SyncAdvice.ThreadInterrupt.class,
                                named("interrupt").and(takesArguments(0))))
                        .visit(on(
                                SyncAdvice.ThreadIsInterrupted.class,
                                named("isInterrupted").and(takesArguments(0))))
                        .visit(on(
                                SyncAdvice.ThreadInterrupted.class,
                                named("interrupted").and(takesArguments(0)))));
        b = b.type(named(INTERRUPTED))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                        Advice.to(SyncAdvice.InterruptedExceptionMade.class).on(isConstructor())));
        b = b.type(named(STAMPED))
                .transform((builder, type, loader, module, pd) -> builder.visit(on(
                                SyncAdvice.StampAcquired.class,
                                namedOneOf(
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
                                        .and(returns(long.class))))
                        .visit(on(SyncAdvice.StampValidated.class, named("validate")))
                        .visit(on(
                                SyncAdvice.StampWriteReleased.class,
                                namedOneOf("unlockWrite", "tryUnlockWrite", "unstampedUnlockWrite")))
                        .visit(on(
                                SyncAdvice.StampReadReleased.class,
                                namedOneOf("unlockRead", "tryUnlockRead", "unstampedUnlockRead")))
                        .visit(on(
                                SyncAdvice.StampMaybeReleased.class,
                                namedOneOf(
                                                "unlock",
                                                "tryConvertToWriteLock",
                                                "tryConvertToReadLock",
                                                "tryConvertToOptimisticRead")
                                        .and(takesArguments(long.class)))));
        b = b.type(named(FUTURE_TASK))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                                on(SyncAdvice.ReleaseThis.class, namedOneOf("set", "setException")))
                        .visit(on(SyncAdvice.AcquireThisOnEnter.class, named("run")))
                        .visit(on(SyncAdvice.AcquireThisOnExit.class, namedOneOf("get", "isDone"))));
        b = b.type(named(COMPLETABLE))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                                on(SyncAdvice.ReleaseThis.class, named("postComplete")))
                        .visit(on(SyncAdvice.AcquireThisOnExit.class, namedOneOf("get", "join", "getNow", "isDone"))));
        b = b.type(named(FJ_TASK))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                                on(SyncAdvice.ReleaseThis.class, named("fork")))
                        .visit(on(SyncAdvice.AcquireThisOnEnter.class, named("doExec")))
                        .visit(on(SyncAdvice.ReleaseThisOnExit.class, named("doExec")))
                        .visit(on(SyncAdvice.AcquireThisOnExit.class, namedOneOf("join", "invoke", "get", "isDone"))));
        b = b.type(named(FJ_POOL))
                .transform((builder, type, loader, module, pd) -> builder.visit(on(
                                SyncAdvice.ReleaseArgument0.class,
                                namedOneOf("externalPush", "externalSubmit").and(takesArguments(1))))
                        .visit(on(
                                SyncAdvice.ReleaseArgument1.class,
                                named("poolSubmit").and(takesArguments(2)))));
        b = b.type(named(TPE))
                .transform((builder, type, loader, module, pd) -> builder.visit(on(
                                SyncAdvice.ReleaseArgument0.class,
                                named("execute").and(takesArguments(1))))
                        .visit(on(
                                SyncAdvice.AcquireArgument1.class,
                                named("beforeExecute").and(takesArguments(2)))));
        // A ConcurrentHashMap publishes its values with volatile writes and CAS inside java.base, which the
        // rewrite does not touch: model it at API level. Every write releases on the map before it
        // publishes; every read (and every write, which reads the old value) acquires after it.
        b = b.type(named(CHM))
                .transform((builder, type, loader, module, pd) -> builder.visit(on(
                                SyncAdvice.ReleaseThis.class,
                                namedOneOf(
                                        "putVal",
                                        "replaceNode",
                                        "compute",
                                        "computeIfAbsent",
                                        "computeIfPresent",
                                        "merge",
                                        "clear")))
                        .visit(on(
                                SyncAdvice.AcquireThisOnExit.class,
                                namedOneOf(
                                        "get",
                                        "getOrDefault",
                                        "containsKey",
                                        "containsValue",
                                        "putVal",
                                        "replaceNode",
                                        "compute",
                                        "computeIfAbsent",
                                        "computeIfPresent",
                                        "merge"))));
        b = b.type(named(VIRTUAL))
                .transform((builder, type, loader, module, pd) -> builder.visit(
                                on(SyncAdvice.ThreadStart.class, named("start")))
                        .visit(on(SyncAdvice.ThreadExit.class, named("afterDone"))));
        return b;
    }

    private static AsmVisitorWrapper on(Class<?> advice, ElementMatcher.Junction<? super MethodDescription> methods) {
        return Advice.to(advice).on(isMethod().and(not(isAbstract())).and(methods));
    }
}
