package dev.mapscope.junit;

import dev.mapscope.agent.Mapscope;
import dev.mapscope.agent.race.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: a test fails, with the findings' text as its message, when the agent reports a map race
 * while it runs; a race seen while a test class runs but outside its tests (a static initialiser,
 * {@code @BeforeAll}, {@code @AfterAll}, a thread that outlived its test) fails the class.
 *
 * <p>Registered for every test class automatically when mapscope-junit is on the test class path
 * ({@link MapscopeSessionListener}), or per class with {@link DetectMapRaces}. A test annotated
 * {@link ExpectMapRace} is the other way round: it fails unless a race is seen.
 *
 * <p>Installing: if the JVM was started with {@code -javaagent:mapscope-agent.jar} (Surefire's
 * {@code argLine}, or the Maven plugin's {@code prepare-agent}), that agent is used. Otherwise the extension
 * loads the agent jar from its own class path into the running JVM, once: by self-attach when
 * {@code -Djdk.attach.allowAttachSelf=true} is set, else from a short-lived helper JVM. Options for that load
 * come from the configuration parameter {@value #OPTIONS_PROPERTY} ({@code junit-platform.properties}, or a
 * system property of that name; default {@code stderr=false}: the text is in the failure).
 *
 * <p>A finding is charged to every test running when it is made: with parallel test execution, a race in
 * one test can fail another that runs at the same time.
 */
public final class MapscopeExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /** Configuration parameter: the agent's options when the extension installs it. */
    public static final String OPTIONS_PROPERTY = "mapscope.options";

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(MapscopeExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        install(context);
        open(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        install(context);
        open(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Collector c = close(context);
        if (c == null) {
            return;
        }
        List<Finding> seen = c.seen();
        Charges.charge(seen);
        for (ExtensionContext p = context.getParent().orElse(null);
                p != null;
                p = p.getParent().orElse(null)) {
            Collector enclosing = p.getStore(NS).get(p.getUniqueId(), Collector.class);
            if (enclosing != null) {
                enclosing.charged(seen); // the class and any class it is nested in
            }
        }
        boolean expected = context.getTestMethod()
                .map(m -> m.isAnnotationPresent(ExpectMapRace.class))
                .orElse(false);
        if (expected) {
            if (seen.isEmpty()) {
                throw new AssertionError("mapscope saw no map race during this test, which expects one"
                        + " (@ExpectMapRace); is the agent installed, and does the test still race?");
            }
            return;
        }
        if (!seen.isEmpty()) {
            throw new AssertionError(message(seen, "during this test"));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Collector c = close(context);
        if (c == null) {
            return;
        }
        List<Finding> outside = c.uncharged();
        Charges.charge(outside);
        if (!outside.isEmpty()) {
            throw new AssertionError(message(
                    outside,
                    "while this class ran but outside its tests (a static initialiser, @BeforeAll or @AfterAll,"
                            + " or a thread that outlived its test)"));
        }
    }

    private static synchronized void install(ExtensionContext context) {
        if (!Mapscope.isInstalled()) {
            String options = context.getConfigurationParameter(OPTIONS_PROPERTY)
                    .orElse(System.getProperty(OPTIONS_PROPERTY, "stderr=false"));
            Mapscope.install(options);
        }
    }

    /**
     * Starts collecting for this test or class, unless another registration of this extension already did
     * (auto-detected and {@link DetectMapRaces} on one class).
     */
    private static void open(ExtensionContext context) {
        // keyed by the context's own id: a store lookup falls back to the enclosing contexts' stores
        ExtensionContext.Store store = context.getStore(NS);
        if (store.get(context.getUniqueId()) != null) {
            return;
        }
        Collector c = new Collector();
        c.subscription = Mapscope.subscribe(c::add);
        store.put(context.getUniqueId(), c);
    }

    private static Collector close(ExtensionContext context) {
        Collector c = context.getStore(NS).remove(context.getUniqueId(), Collector.class);
        if (c != null) {
            Mapscope.reportHeldRaces(); // a map that raced once is held back for a second sighting: now or never
            c.subscription.close();
        }
        return c;
    }

    private static String message(List<Finding> seen, String when) {
        StringBuilder b = new StringBuilder();
        b.append("mapscope saw ")
                .append(seen.size())
                .append(seen.size() == 1 ? " map race " : " map races ")
                .append(when)
                .append(":\n");
        for (Finding f : seen) {
            b.append('\n').append(f.text()).append('\n');
        }
        return b.toString();
    }

    /** Findings made while one test or class ran; called on the detecting threads. */
    private static final class Collector {
        Mapscope.Subscription subscription;
        /** guarded by this; by id, first seen first */
        private final Map<String, Finding> findings = new LinkedHashMap<>();
        /** guarded by this: ids already charged to one of the class's tests */
        private final java.util.Set<String> charged = new java.util.HashSet<>();

        synchronized void add(Finding f) {
            findings.putIfAbsent(f.id(), f);
        }

        synchronized List<Finding> seen() {
            return new ArrayList<>(findings.values());
        }

        synchronized void charged(List<Finding> toTest) {
            for (Finding f : toTest) {
                charged.add(f.id());
            }
        }

        synchronized List<Finding> uncharged() {
            List<Finding> out = new ArrayList<>();
            for (Finding f : findings.values()) {
                if (!charged.contains(f.id())) {
                    out.add(f);
                }
            }
            return out;
        }
    }
}
