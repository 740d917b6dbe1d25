package dev.mapscope.junit;

import dev.mapscope.agent.Mapscope;
import dev.mapscope.agent.race.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension behind {@link DetectMapRaces}: a test fails, with the findings' text as its message,
 * when the agent reports a map race while it runs.
 *
 * <p>Installing: if the JVM was started with {@code -javaagent:mapscope-agent.jar} (the Surefire
 * {@code argLine} recipe in docs/AGENT.md), that agent is used. Otherwise the extension loads the agent
 * jar from its own class path into the running JVM, once: by self-attach when
 * {@code -Djdk.attach.allowAttachSelf=true} is set, else from a short-lived helper JVM. Options for that
 * load come from the system property {@value #OPTIONS_PROPERTY} (default {@code stderr=false}: the text
 * is in the failure).
 *
 * <p>A finding is charged to every test running when it is made: with parallel test execution, a race in
 * one test can fail another that runs at the same time.
 */
public final class MapscopeExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {
    public static final String OPTIONS_PROPERTY = "mapscope.options";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(MapscopeExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    private static synchronized void install() {
        if (!Mapscope.isInstalled()) {
            Mapscope.install(System.getProperty(OPTIONS_PROPERTY, "stderr=false"));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        install();
        Collector c = new Collector();
        c.subscription = Mapscope.subscribe(c::add);
        context.getStore(NS).put(Collector.class, c);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Collector c = context.getStore(NS).remove(Collector.class, Collector.class);
        if (c == null) {
            return;
        }
        c.subscription.close();
        List<Finding> seen = c.seen();
        if (seen.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder();
        b.append("mapscope saw ")
                .append(seen.size())
                .append(seen.size() == 1 ? " map race" : " map races")
                .append(" during this test:\n");
        for (Finding f : seen) {
            b.append('\n').append(f.text()).append('\n');
        }
        throw new AssertionError(b.toString());
    }

    /** Findings made while one test ran; called on the detecting threads. */
    private static final class Collector {
        Mapscope.Subscription subscription;
        /** guarded by this; by id, first seen first */
        private final Map<String, Finding> findings = new LinkedHashMap<>();

        synchronized void add(Finding f) {
            findings.putIfAbsent(f.id(), f);
        }

        synchronized List<Finding> seen() {
            return new ArrayList<>(findings.values());
        }
    }
}
