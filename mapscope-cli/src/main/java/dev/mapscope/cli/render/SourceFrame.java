package dev.mapscope.cli.render;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One stack frame as the agent writes it, {@code com.example.Cache.put(Cache.java:50)}, taken apart so that CI
 * formats can point at a source file: the file under the package's directories, the line, and the path of that
 * file in the working directory when a Maven or Gradle source folder holds it.
 */
record SourceFrame(String method, String packagePath, int line, String localPath) {

    private static final List<String> SOURCE_ROOTS = List.of("src/main/java", "src/test/java");

    /**
     * Parses {@code frame}; returns {@code null} when it names no source file (a native method, an unknown
     * source). {@code root} is the directory the source roots are looked up in (normally the working directory).
     */
    static SourceFrame parse(String frame, Path root) {
        int open = frame.lastIndexOf('(');
        if (open < 0 || !frame.endsWith(")")) {
            return null;
        }
        String method = frame.substring(0, open);
        String where = frame.substring(open + 1, frame.length() - 1);
        int colon = where.lastIndexOf(':');
        String file = colon < 0 ? where : where.substring(0, colon);
        if (!file.endsWith(".java") && !file.endsWith(".kt") && !file.endsWith(".scala") && !file.endsWith(".groovy")) {
            return null;
        }
        int line = -1;
        if (colon >= 0) {
            try {
                line = Integer.parseInt(where.substring(colon + 1));
            } catch (NumberFormatException e) {
                line = -1;
            }
        }
        int methodDot = method.lastIndexOf('.');
        String className = methodDot < 0 ? "" : method.substring(0, methodDot);
        int classDot = className.lastIndexOf('.');
        String pkg = classDot < 0 ? "" : className.substring(0, classDot).replace('.', '/') + "/";
        String packagePath = pkg + file;
        String local = null;
        for (String sourceRoot : SOURCE_ROOTS) {
            String candidate = sourceRoot + "/" + packagePath;
            if (Files.isRegularFile(root.resolve(candidate))) {
                local = candidate;
                break;
            }
        }
        return new SourceFrame(method, packagePath, line, local);
    }

    /** The racing application frame of {@code r}: its first frame outside the JDK, or its first frame. */
    static String racingFrame(ReportedFinding.Racer r) {
        return r.stack().isEmpty() ? null : ReportedFinding.callSite(r.stack());
    }

    /** The frame a finding is reported at: the racing frame of the thread that saw it, else of the other thread. */
    static String racingFrame(ReportedFinding f) {
        for (ReportedFinding.Racer r : f.threads()) {
            String frame = racingFrame(r);
            if (frame != null) {
                return frame;
            }
        }
        return null;
    }

    /**
     * A finding's name that stays the same from run to run (no count): {@code concurrent-write on
     * java.util.HashMap.put at X.put(X.java:5)}, for CI servers that follow a test case's history by its name.
     */
    static String title(ReportedFinding f) {
        String frame = racingFrame(f);
        return f.kind() + " on " + f.mapDescription() + "." + f.operation() + (frame == null ? "" : " at " + frame);
    }

    /**
     * What raced, in one line: {@code concurrent-write on java.util.HashMap.put: thread "a" at X.put(X.java:5)
     * and thread "b" at Y.run(Y.java:9), seen 3 times}.
     */
    static String message(ReportedFinding f) {
        StringBuilder b = new StringBuilder()
                .append(f.kind())
                .append(" on ")
                .append(f.mapDescription())
                .append('.')
                .append(f.operation())
                .append(':');
        for (int i = 0; i < f.threads().size(); i++) {
            ReportedFinding.Racer r = f.threads().get(i);
            String frame = racingFrame(r);
            b.append(i == 0 ? " " : " and ")
                    .append("thread \"")
                    .append(r.name())
                    .append("\" ")
                    .append(r.operation())
                    .append(frame == null ? " (stack not recorded)" : " at " + frame);
        }
        if (f.count() > 1) {
            b.append(", seen ").append(f.count()).append(" times");
        }
        if (f.field() != null) {
            b.append("; the map is field ").append(f.field().name());
        }
        if (f.fix() != null) {
            b.append("; fix: ").append(f.fix().advice());
            if (f.fix().because() != null) {
                b.append(" (").append(f.fix().because()).append(')');
            }
        }
        return b.toString();
    }
}
