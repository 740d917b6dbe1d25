package dev.mapscope.junit;

import dev.mapscope.agent.Mapscope;
import dev.mapscope.agent.race.Finding;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * The run's share: races that no Jupiter test or class was failed for (made by tests of another engine, between
 * classes, or by a class that {@link MapscopeExtension} does not watch) are printed at the end of the run on
 * stderr, each with the tests that were running when it was made, so none is lost. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}. They are in the agent's findings
 * file too, where {@code mapscope:check} or {@code mapscope report --fail-on-race} fails the build on them.
 */
public final class MapscopeRunListener implements TestExecutionListener {
    private final PrintStream err;
    /** guarded by this: the tests running now, by unique id */
    private final Map<String, String> running = new LinkedHashMap<>();
    /** guarded by this: by finding id, first seen first; the tests running at the first sighting */
    private final Map<String, Sighting> seen = new LinkedHashMap<>();
    /** guarded by this */
    private Mapscope.Subscription subscription;

    public MapscopeRunListener() {
        this(System.err);
    }

    MapscopeRunListener(PrintStream err) {
        this.err = err;
    }

    private record Sighting(Finding finding, List<String> during) {}

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan plan) {
        subscribeOnceInstalled();
    }

    /** The agent may be installed later, by the extension's first test: subscribing loads its classes. */
    private synchronized void subscribeOnceInstalled() {
        if (subscription == null && Mapscope.isInstalled()) {
            subscription = Mapscope.subscribe(this::add);
        }
    }

    private synchronized void add(Finding f) {
        seen.computeIfAbsent(f.id(), id -> new Sighting(f, new ArrayList<>(running.values())));
    }

    @Override
    public synchronized void executionStarted(TestIdentifier test) {
        subscribeOnceInstalled();
        if (test.isTest()) {
            running.put(test.getUniqueId(), test.getLegacyReportingName());
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
        running.remove(test.getUniqueId());
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        Mapscope.reportHeldRaces();
        List<Sighting> left = new ArrayList<>();
        synchronized (this) {
            if (subscription != null) {
                subscription.close();
                subscription = null;
            }
            for (Sighting s : seen.values()) {
                if (!Charges.charged(s.finding())) {
                    left.add(s);
                }
            }
            seen.clear();
        }
        if (left.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder()
                .append("mapscope: ")
                .append(left.size())
                .append(left.size() == 1 ? " map race" : " map races")
                .append(" that no test was failed for (another test engine, or between test classes):\n");
        for (Sighting s : left) {
            b.append('\n');
            b.append(
                    s.during().isEmpty()
                            ? "while no test was running:\n"
                            : "while " + String.join(", ", s.during()) + " ran:\n");
            b.append(s.finding().text()).append('\n');
        }
        err.print(b);
        err.flush();
    }
}
