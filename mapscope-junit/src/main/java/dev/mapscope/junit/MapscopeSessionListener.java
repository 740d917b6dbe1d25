package dev.mapscope.junit;

import dev.mapscope.agent.Mapscope;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Makes mapscope-junit work by being on the test class path: registered through
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener}, which the JUnit Platform
 * launcher (Surefire, Gradle, IDEs) loads by itself, as BlockHound's listener is.
 *
 * <p>When a session opens it turns on Jupiter's extension auto-detection for {@link MapscopeExtension} alone
 * (the system properties {@code junit.jupiter.extensions.autodetection.enabled=true} and
 * {@code ...autodetection.include=dev.mapscope.junit.MapscopeExtension}), so every Jupiter test class is
 * watched without {@link DetectMapRaces}. It leaves both alone when the build already sets either one (as a
 * system property or in {@code junit-platform.properties}; Surefire's {@code configurationParameters} win over
 * both anyway), and sets nothing when {@code mapscope.junit.auto=false} is given the same ways.
 *
 * <p>While the session is open and the automatic registration is on, the agent's {@code halt-on-race=true}
 * does not end the JVM (unless the build turned auto-detection off): the test that saw the race fails with the finding as its message, and the build tool
 * writes its report as usual. The properties it set are removed when the session closes.
 */
public final class MapscopeSessionListener implements LauncherSessionListener {
    /** Configuration parameter: {@code false} watches only classes annotated {@link DetectMapRaces}. */
    public static final String AUTO_PROPERTY = "mapscope.junit.auto";

    static final String AUTODETECTION = "junit.jupiter.extensions.autodetection.enabled";
    static final String INCLUDE = "junit.jupiter.extensions.autodetection.include";

    /** guarded by this: the system properties this listener set, to remove at close */
    private final List<String> set = new ArrayList<>();
    /** guarded by this */
    private Mapscope.Subscription halting;

    @Override
    public synchronized void launcherSessionOpened(LauncherSession session) {
        Properties file = platformProperties();
        if ("false".equals(lookUp(AUTO_PROPERTY, file))) {
            return;
        }
        String enabled = lookUp(AUTODETECTION, file);
        if (enabled == null && lookUp(INCLUDE, file) == null) {
            System.setProperty(AUTODETECTION, "true");
            System.setProperty(INCLUDE, MapscopeExtension.class.getName());
            set.add(AUTODETECTION);
            set.add(INCLUDE);
            enabled = "true";
        }
        if ("true".equals(enabled)) {
            halting = Mapscope.takeOverHalting(); // every Jupiter class is watched: its tests fail instead
        }
    }

    @Override
    public synchronized void launcherSessionClosed(LauncherSession session) {
        for (String key : set) {
            System.clearProperty(key);
        }
        set.clear();
        if (halting != null) {
            halting.close();
            halting = null;
        }
    }

    /** A configuration parameter as the launcher looks it up after explicit ones: system property, then file. */
    private static String lookUp(String key, Properties file) {
        String v = System.getProperty(key);
        return v != null ? v : file.getProperty(key);
    }

    /** The first {@code junit-platform.properties} on the class path, as the launcher reads it; empty if none. */
    static Properties platformProperties() {
        Properties p = new Properties();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = MapscopeSessionListener.class.getClassLoader();
        }
        URL url = loader.getResource("junit-platform.properties");
        if (url != null) {
            try (InputStream in = url.openStream()) {
                p.load(in);
            } catch (IOException e) {
                // unreadable: the launcher will say so itself; treat it as setting nothing
            }
        }
        return p;
    }
}
