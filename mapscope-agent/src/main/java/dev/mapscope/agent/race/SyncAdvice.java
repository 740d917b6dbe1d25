package dev.mapscope.agent.race;

import dev.mapscope.agent.boot.race.MapWatch;
import net.bytebuddy.asm.Advice;

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

    /** Thread.isAlive returning false: the caller saw the thread terminate. */
    static final class ThreadIsAlive {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Thread thread, @Advice.Return boolean alive) {
            if (!alive) {
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
}
