package dev.mapscope.cli.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mapscope.cli.console.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Findings as a SARIF 2.1.0 log, the format GitHub code scanning and other CI dashboards read: one rule per finding
 * kind, one result per finding located at its racing application frame, both stacks as the two thread flows of one
 * code flow, and the finding id as a partial fingerprint so that the same race in the next run is the same alert.
 */
public final class FindingsToSarif {
    private FindingsToSarif() {}

    /** The partial fingerprint that carries a finding's id; the id is stable across runs (docs/AGENT-PROTOCOL.md). */
    static final String FINGERPRINT = "mapscopeFindingId/v1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes {@code findings} to {@code out}; source paths are looked up under {@code root}. */
    public static void write(List<ReportedFinding> findings, Path root, Path out) {
        try {
            Files.writeString(out, JSON.writeValueAsString(sarif(findings, root)) + "\n");
        } catch (IOException e) {
            throw new UserError("cannot write " + out + ": " + e.getMessage());
        }
    }

    static ObjectNode sarif(List<ReportedFinding> findings, Path root) {
        ObjectNode log = JSON.createObjectNode();
        log.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        log.put("version", "2.1.0");
        ObjectNode run = log.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "mapscope");
        String version = FindingsToSarif.class.getPackage().getImplementationVersion();
        if (version != null) {
            driver.put("version", version);
        }
        ArrayNode rules = driver.putArray("rules");
        List<String> kinds = new ArrayList<>();
        for (ReportedFinding f : findings) {
            if (!kinds.contains(f.kind())) {
                kinds.add(f.kind());
                ObjectNode rule = rules.addObject();
                rule.put("id", f.kind());
                rule.put("name", ruleName(f.kind()));
                rule.putObject("shortDescription").put("text", "map race: " + f.kind());
                rule.putObject("fullDescription").put("text", f.kindExplanation());
                rule.putObject("defaultConfiguration").put("level", "error");
            }
        }
        ArrayNode results = run.putArray("results");
        for (ReportedFinding f : findings) {
            ObjectNode result = results.addObject();
            result.put("ruleId", f.kind());
            result.put("ruleIndex", kinds.indexOf(f.kind()));
            result.put("level", "error");
            result.putObject("message").put("text", SourceFrame.message(f));
            String frame = SourceFrame.racingFrame(f);
            ArrayNode locations = result.putArray("locations");
            if (frame != null) {
                locations.add(location(frame, root));
            }
            result.putObject("partialFingerprints").put(FINGERPRINT, f.id());
            result.put("occurrenceCount", Math.max(1, f.count()));
            ObjectNode codeFlow = result.putArray("codeFlows").addObject();
            codeFlow.putObject("message").put("text", "the two threads that wrote the map without order between them");
            ArrayNode threadFlows = codeFlow.putArray("threadFlows");
            for (int i = 0; i < f.threads().size(); i++) {
                threadFlows.add(threadFlow(f.threads().get(i), i, root));
            }
            ObjectNode props = result.putObject("properties");
            props.put("mapClass", f.mapClass());
            props.put("operation", f.operation());
            if (f.mapId() != null) {
                props.put("mapId", f.mapId());
            }
            if (f.field() != null) {
                props.put("field", f.field().name());
                props.put("fieldStatic", f.field().isStatic());
            } else if (f.fieldNote() != null) {
                props.put("fieldNote", f.fieldNote());
            }
            if (f.fix() != null) {
                props.put("fix", f.fix().advice());
                props.put("fixBecause", f.fix().because());
                if (f.fix().bench() != null) {
                    props.put("fixBench", f.fix().bench());
                }
            }
        }
        return log;
    }

    /** One thread's stack, outermost call first as SARIF orders a flow, the racing write last. */
    private static ObjectNode threadFlow(ReportedFinding.Racer r, int index, Path root) {
        ObjectNode flow = JSON.createObjectNode();
        flow.put("id", "thread-" + index);
        flow.putObject("message")
                .put(
                        "text",
                        "thread \"" + r.name() + "\" (id " + r.id() + "), " + r.operation()
                                + (index == 0 ? ", saw the race" : ", the other writer")
                                + (r.stackNote().isEmpty() ? "" : " (" + r.stackNote() + ")"));
        ArrayNode steps = flow.putArray("locations");
        List<String> stack = r.stack();
        for (int k = stack.size() - 1; k >= 0; k--) {
            ObjectNode step = steps.addObject();
            step.put("nestingLevel", stack.size() - 1 - k);
            step.set("location", location(stack.get(k), root));
        }
        if (stack.isEmpty()) {
            // A thread flow needs one location at least: say that there is no stack instead.
            steps.addObject()
                    .putObject("location")
                    .putObject("message")
                    .put("text", "no stack recorded" + ("unknown".equals(r.stackAt()) ? ": the thread has ended" : ""));
        }
        return flow;
    }

    private static ObjectNode location(String frame, Path root) {
        ObjectNode location = JSON.createObjectNode();
        SourceFrame source = SourceFrame.parse(frame, root);
        if (source != null) {
            ObjectNode physical = location.putObject("physicalLocation");
            ObjectNode artifact = physical.putObject("artifactLocation");
            if (source.localPath() != null) {
                artifact.put("uri", source.localPath());
                artifact.put("uriBaseId", "%SRCROOT%");
            } else {
                artifact.put("uri", source.packagePath());
            }
            if (source.line() > 0) {
                physical.putObject("region").put("startLine", source.line());
            }
        }
        location.putArray("logicalLocations")
                .addObject()
                .put("fullyQualifiedName", source == null ? frame : source.method())
                .put("kind", "function");
        location.putObject("message").put("text", frame);
        return location;
    }

    /** {@code concurrent-write} as {@code ConcurrentWrite}, the rule's name. */
    private static String ruleName(String kind) {
        StringBuilder b = new StringBuilder();
        for (String part : kind.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.length() == 0 ? "MapRace" : b.toString();
    }
}
