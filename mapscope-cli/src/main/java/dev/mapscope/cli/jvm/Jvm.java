package dev.mapscope.cli.jvm;

import dev.mapscope.cli.console.UserError;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.Set;

/** What the CLI needs to start other JVMs: the java executable and the class path of the demo programs. */
public final class Jvm {
    private Jvm() {}

    /** The java executable of the JDK this CLI runs on. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The class path holding dev.mapscope.demo (and dev.mapscope.maps, for GoMap). */
    public static String demoClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        add(entries, dev.mapscope.demo.SeedRace.class);
        add(entries, dev.mapscope.maps.GoMap.class);
        return String.join(File.pathSeparator, entries);
    }

    private static void add(Set<String> entries, Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        if (cs == null) {
            throw new IllegalStateException("no code source for " + c.getName());
        }
        try {
            entries.add(Path.of(cs.getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The agent option string for {@code report=FILE} plus {@code extra}; a comma in the path would split it. */
    public static String agentOptions(Path report, String extra) {
        String path = report.toAbsolutePath().toString();
        if (path.contains(",")) {
            throw new UserError(
                    "the findings file path must not contain a comma (the agent's option separator): " + path);
        }
        return "report=" + path + (extra.isEmpty() ? "" : "," + extra);
    }

    /** The executable {@code program} found on PATH, or null. */
    public static String findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
