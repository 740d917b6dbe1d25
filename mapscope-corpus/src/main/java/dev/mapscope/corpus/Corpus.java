package dev.mapscope.corpus;

import dev.mapscope.corpus.correct.AtomicBooleanSpinLock;
import dev.mapscope.corpus.correct.AtomicReferenceHandOff;
import dev.mapscope.corpus.correct.CompletableFutureChain;
import dev.mapscope.corpus.correct.ConcurrentCollectionPublication;
import dev.mapscope.corpus.correct.ConcurrentMapHandOff;
import dev.mapscope.corpus.correct.CopyOnWritePublication;
import dev.mapscope.corpus.correct.CountDownLatchStages;
import dev.mapscope.corpus.correct.CyclicBarrierTotals;
import dev.mapscope.corpus.correct.ExchangerBuffers;
import dev.mapscope.corpus.correct.ExecutorCloseThenWrite;
import dev.mapscope.corpus.correct.ExecutorFutureHandOff;
import dev.mapscope.corpus.correct.ForkJoinInvokeAllTree;
import dev.mapscope.corpus.correct.ForkJoinWordCount;
import dev.mapscope.corpus.correct.FourThreadChurn;
import dev.mapscope.corpus.correct.HandOffThenRead;
import dev.mapscope.corpus.correct.InvokeAllMerge;
import dev.mapscope.corpus.correct.ParallelStreamMaps;
import dev.mapscope.corpus.correct.PerKeyAggregates;
import dev.mapscope.corpus.correct.PhaserTurns;
import dev.mapscope.corpus.correct.ReadLockFills;
import dev.mapscope.corpus.correct.ReadOnlyAfterStart;
import dev.mapscope.corpus.correct.ReadWriteLockReaders;
import dev.mapscope.corpus.correct.ReadsUnderOneLock;
import dev.mapscope.corpus.correct.ReentrantLockWrites;
import dev.mapscope.corpus.correct.SemaphoreWrites;
import dev.mapscope.corpus.correct.SixteenThreadChurn;
import dev.mapscope.corpus.correct.StampedLockWrites;
import dev.mapscope.corpus.correct.StampedReadFills;
import dev.mapscope.corpus.correct.StartJoinHandOff;
import dev.mapscope.corpus.correct.StaticInitializerThenLock;
import dev.mapscope.corpus.correct.SynchronizedMapWrapper;
import dev.mapscope.corpus.correct.SynchronizedMethods;
import dev.mapscope.corpus.correct.SynchronousQueueHandOff;
import dev.mapscope.corpus.correct.TransferQueueHandOff;
import dev.mapscope.corpus.correct.VarHandleHandOff;
import dev.mapscope.corpus.correct.VirtualThreadChurn;
import dev.mapscope.corpus.correct.VirtualThreadHandOff;
import dev.mapscope.corpus.correct.VolatileFlagTurns;
import dev.mapscope.corpus.correct.WaitNotifyTurns;
import dev.mapscope.corpus.correct.WriteLockWrites;
import dev.mapscope.corpus.libraries.CaffeineCacheAndCompute;
import dev.mapscope.corpus.libraries.CasbinSyncedEnforcer;
import dev.mapscope.corpus.libraries.DisruptorHandOff;
import dev.mapscope.corpus.libraries.GuavaCacheAndEvents;
import dev.mapscope.corpus.libraries.JacksonSharedMapper;
import dev.mapscope.corpus.libraries.LogbackMdcRequests;
import dev.mapscope.corpus.racy.AccessOrderGet;
import dev.mapscope.corpus.racy.AggregateOutsideCompute;
import dev.mapscope.corpus.racy.DoubleCheckedCache;
import dev.mapscope.corpus.racy.GetDuringBulkLoad;
import dev.mapscope.corpus.racy.HashSetContainsDuringAdd;
import dev.mapscope.corpus.racy.IdentityHashMapStreamDuringPutAll;
import dev.mapscope.corpus.racy.IterateWhileRegistering;
import dev.mapscope.corpus.racy.LazyCache;
import dev.mapscope.corpus.racy.MergeCounter;
import dev.mapscope.corpus.racy.OwnLockEach;
import dev.mapscope.corpus.racy.PublishedThenMutated;
import dev.mapscope.corpus.racy.ReadLockWrites;
import dev.mapscope.corpus.racy.SeedProgram;
import dev.mapscope.corpus.racy.SharedHashSet;
import dev.mapscope.corpus.racy.SharedIdentityHashMap;
import dev.mapscope.corpus.racy.SharedLinkedHashMap;
import dev.mapscope.corpus.racy.SharedTreeMap;
import dev.mapscope.corpus.racy.SharedWeakHashMap;
import dev.mapscope.corpus.racy.StatsIteratedUnlocked;
import dev.mapscope.corpus.racy.SynchronizedThisWorkers;
import dev.mapscope.corpus.racy.ToStringInLogLine;
import dev.mapscope.corpus.racy.TreeMapFloorDuringPutAll;
import dev.mapscope.corpus.racy.WeakHashMapGetDuringPutAll;
import dev.mapscope.corpus.racy.WritesApartInTime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The corpus and the command that runs it in a JVM started with the agent.
 *
 * <pre>
 * java -javaagent:mapscope-agent.jar=report=findings.jsonl -cp ... dev.mapscope.corpus.Corpus [options] NAME...
 *   NAME             correct (every correct program), racy (every racy one), libraries (every program driving a
 *                    library), found (the races found inside libraries), or a program's simple class name
 *   --report FILE    the agent's report file: a racy program runs round after round until FILE shows its race
 *                    (without it: one round)
 *   --budget SECONDS how long a racy program may keep trying (default 30); at most 100,000 rounds
 * </pre>
 *
 * Prints one line per program ({@code ran}, {@code caught}, {@code not caught}, {@code skipped},
 * {@code failed}, {@code hung}) and {@code done} at the end; exits with status 1 if a program threw or hung.
 */
public final class Corpus {
    /** Programs that are correctly synchronised: any finding on them is a false report. */
    public static final List<Class<? extends Program>> CORRECT = List.of(
            CompletableFutureChain.class,
            WaitNotifyTurns.class,
            VolatileFlagTurns.class,
            StaticInitializerThenLock.class,
            AtomicBooleanSpinLock.class,
            StampedLockWrites.class,
            ExchangerBuffers.class,
            PhaserTurns.class,
            SynchronousQueueHandOff.class,
            TransferQueueHandOff.class,
            ForkJoinWordCount.class,
            AtomicReferenceHandOff.class,
            VarHandleHandOff.class,
            ConcurrentMapHandOff.class,
            SynchronizedMethods.class,
            ReentrantLockWrites.class,
            WriteLockWrites.class,
            ReadLockFills.class,
            StampedReadFills.class,
            SemaphoreWrites.class,
            CountDownLatchStages.class,
            CyclicBarrierTotals.class,
            StartJoinHandOff.class,
            ExecutorFutureHandOff.class,
            InvokeAllMerge.class,
            ParallelStreamMaps.class,
            SynchronizedMapWrapper.class,
            FourThreadChurn.class,
            SixteenThreadChurn.class,
            ReadOnlyAfterStart.class,
            VirtualThreadHandOff.class,
            VirtualThreadChurn.class,
            ReadsUnderOneLock.class,
            ReadWriteLockReaders.class,
            HandOffThenRead.class,
            CopyOnWritePublication.class,
            ForkJoinInvokeAllTree.class,
            ExecutorCloseThenWrite.class,
            ConcurrentCollectionPublication.class,
            PerKeyAggregates.class);

    /**
     * Libraries from Maven Central used concurrently as their documentation allows: code we did not write,
     * so any finding on them is either a bug of theirs (to be written down with both stacks) or a false
     * report of ours.
     */
    public static final List<Class<? extends Program>> LIBRARIES = List.of(
            JacksonSharedMapper.class,
            LogbackMdcRequests.class,
            GuavaCacheAndEvents.class,
            CaffeineCacheAndCompute.class,
            DisruptorHandOff.class);

    /**
     * Races this corpus found inside libraries, each annotated {@link Race}; run by name ({@code found}), not by
     * the build: a library's race has several pairs of racing lines, some seen once with one stack.
     */
    public static final List<Class<? extends Program>> FOUND = List.of(CasbinSyncedEnforcer.class);

    /** Programs with a race on a map; each is annotated {@link Race}. */
    public static final List<Class<? extends Program>> RACY = List.of(
            SeedProgram.class,
            OwnLockEach.class,
            SynchronizedThisWorkers.class,
            ReadLockWrites.class,
            WritesApartInTime.class,
            AccessOrderGet.class,
            SharedHashSet.class,
            SharedTreeMap.class,
            SharedWeakHashMap.class,
            SharedIdentityHashMap.class,
            SharedLinkedHashMap.class,
            MergeCounter.class,
            LazyCache.class,
            GetDuringBulkLoad.class,
            IterateWhileRegistering.class,
            ToStringInLogLine.class,
            TreeMapFloorDuringPutAll.class,
            WeakHashMapGetDuringPutAll.class,
            IdentityHashMapStreamDuringPutAll.class,
            HashSetContainsDuringAdd.class,
            DoubleCheckedCache.class,
            PublishedThenMutated.class,
            StatsIteratedUnlocked.class,
            AggregateOutsideCompute.class);

    private static final int MAX_ROUNDS = 100_000;
    /** How long past its budget a program may run before it is called hung. */
    private static final long HANG_MILLIS = 120_000;

    private Corpus() {}

    public static void main(String[] args) throws Exception {
        Path report = null;
        long budgetNanos = 30_000_000_000L;
        List<Class<? extends Program>> programs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--report" -> report = Path.of(args[++i]);
                case "--budget" -> budgetNanos = Long.parseLong(args[++i]) * 1_000_000_000L;
                case "correct" -> programs.addAll(CORRECT);
                case "racy" -> programs.addAll(RACY);
                case "libraries" -> programs.addAll(LIBRARIES);
                case "found" -> programs.addAll(FOUND);
                default -> programs.add(byName(args[i]));
            }
        }
        boolean failed = false;
        for (Class<? extends Program> c : programs) {
            failed |= !run(c, report, budgetNanos);
        }
        System.out.println("done");
        System.exit(failed ? 1 : 0);
    }

    /** True if the JDK this runs on has what {@code program} needs. */
    public static boolean runsHere(Class<?> program) {
        NeedsJava needs = program.getAnnotation(NeedsJava.class);
        return needs == null || Runtime.version().feature() >= needs.value();
    }

    static Class<? extends Program> byName(String simpleName) {
        for (List<Class<? extends Program>> list : List.of(CORRECT, RACY, LIBRARIES, FOUND)) {
            for (Class<? extends Program> c : list) {
                if (c.getSimpleName().equals(simpleName)) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("no program named " + simpleName + " in the corpus");
    }

    /**
     * Runs one program on a thread of its own and waits for it: a racy program can corrupt its map so that a
     * writer loops forever (a cycle in a torn {@code TreeMap}, a full {@code IdentityHashMap} table); then it
     * is reported as hung and the next program runs.
     */
    private static boolean run(Class<? extends Program> c, Path report, long budgetNanos) throws InterruptedException {
        String name = c.getSimpleName();
        if (!runsHere(c)) {
            System.out.println("skipped " + name + " (needs Java "
                    + c.getAnnotation(NeedsJava.class).value() + ")");
            return true;
        }
        boolean[] ok = {false};
        Thread runner = new Thread(() -> ok[0] = runHere(c, report, budgetNanos), "corpus-" + name);
        runner.setDaemon(true);
        runner.start();
        runner.join(TimeUnit.NANOSECONDS.toMillis(budgetNanos) + HANG_MILLIS);
        if (runner.isAlive()) {
            System.out.println("hung " + name);
            return false;
        }
        return ok[0]; // join made the runner's write visible
    }

    private static boolean runHere(Class<? extends Program> c, Path report, long budgetNanos) {
        String name = c.getSimpleName();
        Race race = c.getAnnotation(Race.class);
        try {
            Program p = c.getDeclaredConstructor().newInstance();
            if (race == null || report == null) {
                p.run();
                System.out.println("ran " + name);
                return true;
            }
            long start = System.nanoTime();
            int rounds = 0;
            boolean caught;
            do {
                p.run();
                rounds++;
                caught = shows(report, c, race);
            } while (!caught && rounds < MAX_ROUNDS && System.nanoTime() - start < budgetNanos);
            System.out.println((caught ? "caught " : "not caught ") + name + " in " + rounds + " rounds");
            return true;
        } catch (Throwable t) {
            System.out.println("failed " + name + ": " + t);
            t.printStackTrace(System.out);
            return false;
        }
    }

    private static boolean shows(Path report, Class<?> program, Race race) throws Exception {
        for (Report.Finding f : Report.read(report)) {
            if (f.showsRace(program, race)) {
                return true;
            }
        }
        return false;
    }
}
