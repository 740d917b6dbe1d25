package dev.mapscope.agent.race;

import dev.mapscope.agent.boot.race.Edges;
import dev.mapscope.agent.boot.race.LockedFunctions;
import dev.mapscope.agent.boot.race.MapWatch;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Advice on the JDK's synchronisation points, the happens-before edges tier 2 follows. Only installed in
 * mode=full. Each makes one call into {@link MapWatch} and suppresses any Throwable.
 */
final class SyncAdvice {
    private SyncAdvice() {}

    /** AQS release(int/long), FutureTask.set, CompletableFuture.postComplete, queue offers, fork. */
    static final class ReleaseThis {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object sync) {
            MapWatch.released(sync, false);
        }
    }

    /**
     * ConcurrentHashMap compute, computeIfAbsent, computeIfPresent: the function (argument 1) runs under the bin
     * lock; wrapped, it acquires on the map before it runs and releases after (LockedFunctions).
     */
    static final class LockFunction1 {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Advice.This Object map,
                @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object f) {
            f = LockedFunctions.wrap(map, f);
        }
    }

    /** ConcurrentHashMap merge: the same for its function, argument 2. */
    static final class LockFunction2 {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(
                @Advice.This Object map,
                @Advice.Argument(value = 2, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object f) {
            f = LockedFunctions.wrap(map, f);
        }
    }

    /** AQS releaseShared: a read lock's release is not an edge (MapWatch decides). */
    static final class ReleaseShared {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object sync) {
            MapWatch.released(sync, true);
        }
    }

    /** tryAcquire, initialTryLock, tryLock, tryWriteLock: an exclusive acquire when they return true. */
    static final class AcquireIfTrue {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object sync, @Advice.Return boolean acquired) {
            if (acquired) {
                MapWatch.acquired(sync, false);
            }
        }
    }

    /** tryAcquireShared returning int: acquired when non-negative. */
    static final class AcquireSharedInt {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object sync, @Advice.Return int result) {
            if (result >= 0) {
                MapWatch.acquired(sync, true);
            }
        }
    }

    /** tryAcquireShared returning long (AbstractQueuedLongSynchronizer subclasses). */
    static final class AcquireSharedLong {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object sync, @Advice.Return long result) {
            if (result >= 0) {
                MapWatch.acquired(sync, true);
            }
        }
    }

    /** Queue polls, future gets, ForkJoinTask joins: whatever they return, they observed the object. */
    static final class AcquireThisOnExit {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object sync) {
            MapWatch.acquired(sync, false);
        }
    }

    /** A step of an inner-class iterator (ConcurrentSkipListMap's): an acquire on the map it iterates. */
    static final class AcquireOuterOnExit {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("this$0") Object outer) {
            MapWatch.acquired(outer, false);
        }
    }

    /** A step of a ConcurrentHashMap iterator (hasNext, next): an acquire on the map it iterates (its field map). */
    static final class AcquireMapFieldOnExit {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("map") Object map) {
            MapWatch.acquired(map, false);
        }
    }

    /** A ConcurrentHashMap view's forEach or spliterator: an acquire on its map before it traverses. */
    static final class AcquireMapFieldOnEnter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("map") Object map) {
            MapWatch.acquired(map, false);
        }
    }

    /** FutureTask.run, ForkJoinTask.doExec: the task body sees what its submitter did. */
    static final class AcquireThisOnEnter {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object sync) {
            MapWatch.acquired(sync, false);
        }
    }

    /** ForkJoinTask.doExec's end: the task's completion. */
    static final class ReleaseThisOnExit {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object sync) {
            MapWatch.released(sync, false);
        }
    }

    /** ThreadPoolExecutor.execute(task), ForkJoinPool.externalPush(task): the submitter releases on the task. */
    static final class ReleaseArgument0 {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object task) {
            if (task != null) {
                MapWatch.released(task, false);
            }
        }
    }

    /** ForkJoinPool.poolSubmit(boolean, task) (JDK 19+). */
    static final class ReleaseArgument1 {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) Object task) {
            if (task != null) {
                MapWatch.released(task, false);
            }
        }
    }

    /** ThreadPoolExecutor.beforeExecute(thread, task): the worker acquires on the task. */
    static final class AcquireArgument1 {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) Object task) {
            if (task != null) {
                MapWatch.acquired(task, false);
            }
        }
    }

    /** Thread.start: the parent's past happens before the child. */
    static final class ThreadStart {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Thread child) {
            MapWatch.threadStarting(child);
        }
    }

    /** Thread.exit: the thread's last actions, published for join. */
    static final class ThreadExit {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            MapWatch.threadExiting();
        }
    }

    /**
     * VirtualThread.run(Runnable) returning or throwing: a virtual thread's last action, on that thread
     * (VirtualThread.afterDone runs later on the carrier, whose clock is not the virtual thread's).
     */
    static final class VirtualThreadRunEnd {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit() {
            MapWatch.threadExiting();
        }
    }

    /** Thread.isAlive returning false: the caller saw the thread terminate. */
    static final class ThreadIsAlive {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Thread thread, @Advice.Return boolean alive) {
            if (!alive) {
                MapWatch.threadEnded(thread);
            }
        }
    }

    /**
     * Thread.getState returning TERMINATED: the caller saw the thread terminate. JLS 17.4.4 names isAlive and join
     * as ways to detect it; whatever the way, the thread's last action synchronises with the detection.
     */
    static final class ThreadGetState {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Thread thread, @Advice.Return Thread.State state) {
            if (state == Thread.State.TERMINATED) {
                MapWatch.threadEnded(thread);
            }
        }
    }

    /** Thread.join returning normally with the thread terminated. */
    static final class ThreadJoin {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Thread thread) {
            if (!thread.isAlive()) {
                MapWatch.threadEnded(thread);
            }
        }
    }

    /** Thread.interrupt: the interrupter's past happens before the target sees the interrupt (JLS 17.4.4). */
    static final class ThreadInterrupt {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Thread target) {
            Edges.release(target);
        }
    }

    /** Thread.isInterrupted returning true: the caller saw the interrupt. */
    static final class ThreadIsInterrupted {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Thread target, @Advice.Return boolean interrupted) {
            if (interrupted) {
                Edges.acquire(target);
            }
        }
    }

    /** Thread.interrupted() returning true: the current thread saw its interrupt. */
    static final class ThreadInterrupted {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return boolean interrupted) {
            if (interrupted) {
                Edges.acquire(Thread.currentThread());
            }
        }
    }

    /**
     * An InterruptedException is made by the thread that was interrupted (sleep, wait, join, the locks):
     * it saw the interrupt. One made for another reason only adds edges from that thread's interrupters.
     */
    static final class InterruptedExceptionMade {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit() {
            Edges.acquire(Thread.currentThread());
        }
    }

    /**
     * StampedLock: a non-zero stamp from a lock, try-lock, conversion or optimistic read is an acquire; a write
     * stamp (WBIT set) also acquires every read unlock before it.
     */
    static final class StampAcquired {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object lock, @Advice.Return long stamp) {
            if ((stamp & 128L) != 0L) {
                Edges.acquireWrite(lock);
            } else if (stamp != 0L) {
                Edges.acquire(lock);
            }
        }
    }

    /** StampedLock.validate returning true: the optimistic reader saw no write since its stamp. */
    static final class StampValidated {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object lock, @Advice.Return boolean valid) {
            if (valid) {
                Edges.acquire(lock);
            }
        }
    }

    /**
     * StampedLock unlockWrite, tryUnlockWrite, asWriteLock().unlock() (unstampedUnlockWrite): a release. Read
     * unlocks release only towards the next writer (StampReadReleased), as for ReentrantReadWriteLock.
     */
    static final class StampWriteReleased {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object lock) {
            Edges.release(lock);
        }
    }

    /**
     * StampedLock unlock(stamp), tryConvertTo*(stamp): a release when the stamp is a write stamp (WBIT), a read
     * unlock (ordered before the next writer only) when it is a read stamp (reader bits set).
     */
    static final class StampMaybeReleased {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object lock, @Advice.Argument(0) long stamp) {
            if ((stamp & 128L) != 0L) {
                Edges.release(lock);
            } else if ((stamp & 127L) != 0L) {
                Edges.releaseRead(lock);
            }
        }
    }

    /** StampedLock unlockRead(stamp), tryUnlockRead(), asReadLock().unlock() (unstampedUnlockRead): before the next writer. */
    static final class StampReadReleased {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object lock) {
            Edges.releaseRead(lock);
        }
    }
}
