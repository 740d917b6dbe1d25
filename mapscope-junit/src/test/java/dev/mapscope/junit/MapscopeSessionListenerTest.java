package dev.mapscope.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The launcher finds the listeners by itself (META-INF/services) and a session turns on auto-detection for the
 * extension alone, unless the build set it. This module's own run sets mapscope.junit.auto=false (its tests run
 * fixtures themselves); each test here lifts that for the sessions it opens and puts it back.
 */
class MapscopeSessionListenerTest {
    private String auto;

    @BeforeEach
    void liftTheModulesOwnSetting() {
        auto = System.clearProperty(MapscopeSessionListener.AUTO_PROPERTY);
        assertThat(System.getProperty(MapscopeSessionListener.AUTODETECTION)).isNull();
    }

    @AfterEach
    void restore() {
        if (auto != null) {
            System.setProperty(MapscopeSessionListener.AUTO_PROPERTY, auto);
        }
    }

    @Test
    void theLauncherLoadsBothListenersFromTheClassPath() {
        assertThat(ServiceLoader.load(LauncherSessionListener.class).stream()
                        .map(p -> p.type().getName()))
                .contains(MapscopeSessionListener.class.getName());
        assertThat(ServiceLoader.load(TestExecutionListener.class).stream()
                        .map(p -> p.type().getName()))
                .contains(MapscopeRunListener.class.getName());
    }

    @Test
    void aSessionTurnsOnAutoDetectionForTheExtensionAloneAndTurnsItOffAtClose() {
        try (LauncherSession session = LauncherFactory.openSession()) {
            assertThat(System.getProperty(MapscopeSessionListener.AUTODETECTION))
                    .isEqualTo("true");
            assertThat(System.getProperty(MapscopeSessionListener.INCLUDE))
                    .isEqualTo(MapscopeExtension.class.getName());
        }
        assertThat(System.getProperty(MapscopeSessionListener.AUTODETECTION)).isNull();
        assertThat(System.getProperty(MapscopeSessionListener.INCLUDE)).isNull();
    }

    @Test
    void aBuildThatSetsAutoDetectionItselfKeepsItsSetting() {
        System.setProperty(MapscopeSessionListener.AUTODETECTION, "false");
        try (LauncherSession session = LauncherFactory.openSession()) {
            assertThat(System.getProperty(MapscopeSessionListener.AUTODETECTION))
                    .isEqualTo("false");
            assertThat(System.getProperty(MapscopeSessionListener.INCLUDE)).isNull();
        } finally {
            System.clearProperty(MapscopeSessionListener.AUTODETECTION);
        }
    }

    @Test
    void autoFalseSetsNothing() {
        System.setProperty(MapscopeSessionListener.AUTO_PROPERTY, "false");
        try (LauncherSession session = LauncherFactory.openSession()) {
            assertThat(System.getProperty(MapscopeSessionListener.AUTODETECTION))
                    .isNull();
        }
    }
}
