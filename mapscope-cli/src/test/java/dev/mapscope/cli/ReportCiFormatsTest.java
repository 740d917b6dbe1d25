package dev.mapscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code mapscope report} for CI: SARIF, JUnit XML, GitHub annotations, --fail-on-race, baselines, suppressions. */
class ReportCiFormatsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A frame of this module's own source, so that it exists under src/main/java of the working directory (Surefire
     * runs in the module's directory): the GitHub annotation and the SARIF location must name that file.
     */
    static final String LOCAL_FRAME = "dev.mapscope.cli.render.Findings.read(Findings.java:42)";

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    /** One finding line of the protocol whose first thread races at {@code frame}. */
    static String finding(String id, String kind, String frame, String otherFrame, int count) {
        return "{\"type\":\"finding\",\"id\":\"" + id + "\",\"kind\":\"" + kind
                + "\",\"mapClass\":\"java.util.HashMap\","
                + "\"backingOf\":null,\"mapId\":\"java.util.HashMap@1b6d3586\",\"allocatedAt\":null,\"operation\":\"put\","
                + "\"bucket\":-1,\"keyHash\":-1,\"threads\":["
                + "{\"name\":\"worker-1\",\"id\":23,\"operation\":\"put\",\"stackAt\":\"write\",\"stack\":["
                + "\"java.util.HashMap.putVal(HashMap.java:626)\",\"java.util.HashMap.put(HashMap.java:610)\",\""
                + frame + "\",\"java.lang.Thread.run(Thread.java:840)\"],\"startedAt\":[]},"
                + "{\"name\":\"worker-2\",\"id\":24,\"operation\":\"put\",\"stackAt\":\"write\",\"stack\":["
                + "\"java.util.HashMap.put(HashMap.java:610)\",\"" + otherFrame + "\"],\"startedAt\":[]}],"
                + "\"paths\":[],\"otherPaths\":0,\"count\":" + count + ",\"time\":\"2026-11-26T10:00:00.123Z\"}\n";
    }

    private Path twoRaces() throws IOException {
        return write(
                "findings.jsonl",
                finding("1111aaaa2222bbbb", "concurrent-write", LOCAL_FRAME, "com.example.Other.run(Other.java:7)", 1)
                        + finding(
                                "3333cccc4444dddd",
                                "unsynchronized-write",
                                "com.example.legacy.Cache.put(Cache.java:50)",
                                "com.example.legacy.Cache.put(Cache.java:50)",
                                2)
                        // A later line of the same id supersedes the first: the count is 4, not 1 + 4.
                        + finding(
                                "1111aaaa2222bbbb",
                                "concurrent-write",
                                LOCAL_FRAME,
                                "com.example.Other.run(Other.java:7)",
                                4)
                        + "{\"type\":\"summary\",\"findings\":2,\"dropped\":0,\"time\":\"2026-11-26T10:00:03.000Z\"}\n");
    }

    @Test
    void sarifIsValidAgainstTheSchemaAndCarriesRulesFlowsAndFingerprints() throws IOException {
        Path findings = twoRaces();
        Path sarif = dir.resolve("out.sarif");
        Cli.Result r = Cli.run("report", findings.toString(), "--sarif", sarif.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("wrote SARIF with 2 map races to " + sarif);

        JsonNode log = JSON.readTree(sarif.toFile());
        assertThat(schemaErrors(log)).isEmpty();
        // The schema check can fail: a level SARIF does not know, or a thread flow without steps, is refused.
        JsonNode broken = log.deepCopy();
        ((ObjectNode) broken.at("/runs/0/results/0")).put("level", "fatal");
        ((ArrayNode) broken.at("/runs/0/results/1/codeFlows/0/threadFlows/0/locations")).removeAll();
        assertThat(schemaErrors(broken)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(log.path("version").asText()).isEqualTo("2.1.0");
        JsonNode run = log.path("runs").get(0);
        JsonNode rules = run.path("tool").path("driver").path("rules");
        assertThat(rules.size()).isEqualTo(2);
        assertThat(rules.get(0).path("id").asText()).isEqualTo("concurrent-write");
        assertThat(rules.get(1).path("id").asText()).isEqualTo("unsynchronized-write");
        JsonNode results = run.path("results");
        assertThat(results.size()).isEqualTo(2);

        JsonNode first = results.get(0);
        assertThat(first.path("ruleId").asText()).isEqualTo("concurrent-write");
        assertThat(first.path("ruleIndex").asInt()).isZero();
        assertThat(first.path("partialFingerprints")
                        .path("mapscopeFindingId/v1")
                        .asText())
                .isEqualTo("1111aaaa2222bbbb");
        assertThat(first.path("occurrenceCount").asInt()).isEqualTo(4);
        assertThat(first.path("message").path("text").asText())
                .isEqualTo("concurrent-write on java.util.HashMap.put: thread \"worker-1\" put at " + LOCAL_FRAME
                        + " and thread \"worker-2\" put at com.example.Other.run(Other.java:7), seen 4 times");
        JsonNode physical = first.path("locations").get(0).path("physicalLocation");
        assertThat(physical.path("artifactLocation").path("uri").asText())
                .isEqualTo("src/main/java/dev/mapscope/cli/render/Findings.java");
        assertThat(physical.path("region").path("startLine").asInt()).isEqualTo(42);

        JsonNode flows = first.path("codeFlows");
        assertThat(flows.size()).isEqualTo(1);
        JsonNode threadFlows = flows.get(0).path("threadFlows");
        assertThat(threadFlows.size()).isEqualTo(2);
        // Outermost call first, the racing write last; every frame of both stacks is there.
        JsonNode steps = threadFlows.get(0).path("locations");
        assertThat(steps.size()).isEqualTo(4);
        assertThat(steps.get(0).path("location").path("message").path("text").asText())
                .isEqualTo("java.lang.Thread.run(Thread.java:840)");
        assertThat(steps.get(3).path("location").path("message").path("text").asText())
                .isEqualTo("java.util.HashMap.putVal(HashMap.java:626)");
        assertThat(threadFlows.get(1).path("message").path("text").asText())
                .isEqualTo("thread \"worker-2\" (id 24), put, the other writer");
        assertThat(threadFlows.get(1).path("locations").size()).isEqualTo(2);

        // A frame whose file is not in the working directory is located by its package path.
        JsonNode second = results.get(1).path("locations").get(0).path("physicalLocation");
        assertThat(second.path("artifactLocation").path("uri").asText()).isEqualTo("com/example/legacy/Cache.java");
    }

    @Test
    void aStackThatWasNotRecordedStillMakesAValidThreadFlow() throws IOException {
        String line = finding("5555", "unsynchronized-write", LOCAL_FRAME, "x", 1)
                .replace(",\"x\"],", "],")
                .replace("\"stack\":[\"java.util.HashMap.put(HashMap.java:610)\"]", "\"stack\":[]")
                .replace(
                        "\"name\":\"worker-2\",\"id\":24,\"operation\":\"put\",\"stackAt\":\"write\"",
                        "\"name\":\"worker-2\",\"id\":24,\"operation\":\"put\",\"stackAt\":\"unknown\"");
        assertThat(line).contains("\"stackAt\":\"unknown\",\"stack\":[]");
        Path sarif = dir.resolve("out.sarif");
        Cli.Result r = Cli.run("report", write("f.jsonl", line).toString(), "--sarif", sarif.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode log = JSON.readTree(sarif.toFile());
        assertThat(schemaErrors(log)).isEmpty();
        JsonNode other = log.at("/runs/0/results/0/codeFlows/0/threadFlows/1/locations");
        assertThat(other.size()).isEqualTo(1);
        assertThat(other.get(0).at("/location/message/text").asText())
                .isEqualTo("no stack recorded: the thread has ended");
    }

    @Test
    void noFindingsIsAValidSarifLogWithoutResultsAndOnePassingTestCase() throws Exception {
        Path empty = write("empty.jsonl", "{\"type\":\"summary\",\"findings\":0,\"dropped\":0,\"time\":\"x\"}\n");
        Path sarif = dir.resolve("out.sarif");
        Path xml = dir.resolve("TEST-mapscope.xml");
        Cli.Result r = Cli.run(
                "report",
                empty.toString(),
                "--sarif",
                sarif.toString(),
                "--junit-xml",
                xml.toString(),
                "--github",
                "--fail-on-race");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).doesNotContain("::error");
        JsonNode log = JSON.readTree(sarif.toFile());
        assertThat(schemaErrors(log)).isEmpty();
        assertThat(log.at("/runs/0/results").size()).isZero();
        Element suite = parse(xml).getDocumentElement();
        assertThat(suite.getAttribute("tests")).isEqualTo("1");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(1);
        assertThat(((Element) cases.item(0)).getElementsByTagName("failure").getLength())
                .isZero();
        assertThat(((Element) cases.item(0)).getAttribute("name")).isEqualTo("no map races in " + empty);
    }

    @Test
    void junitXmlHasOneFailedTestCasePerFindingWithTheTextAsBody() throws Exception {
        Path xml = dir.resolve("TEST-mapscope.xml");
        Cli.Result r = Cli.run("report", twoRaces().toString(), "--junit-xml", xml.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        Element suite = parse(xml).getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("tests")).isEqualTo("2");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(2);
        Element first = (Element) cases.item(0);
        assertThat(first.getAttribute("classname")).isEqualTo("mapscope.concurrent-write");
        assertThat(first.getAttribute("name"))
                .startsWith("[1111aaaa2222bbbb] concurrent-write on java.util.HashMap.put");
        Element failure = (Element) first.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("concurrent-write");
        assertThat(failure.getTextContent())
                .contains(
                        "[1] concurrent-write on java.util.HashMap, put  (seen 4 times)",
                        "thread \"worker-1\" (id 23), put, saw the race:",
                        "        at " + LOCAL_FRAME,
                        "        at java.lang.Thread.run(Thread.java:840)");
    }

    @Test
    void githubAnnotationsNameTheFileOnlyWhenItExists() throws IOException {
        Cli.Result r = Cli.run("report", twoRaces().toString(), "--github", "--fail-on-race");
        assertThat(r.exit()).as(r.toString()).isEqualTo(66);
        List<String> annotations =
                r.out().lines().filter(l -> l.startsWith("::")).toList();
        assertThat(annotations)
                .containsExactly(
                        "::error file=src/main/java/dev/mapscope/cli/render/Findings.java,line=42,"
                                + "title=map race%3A concurrent-write on java.util.HashMap::concurrent-write on"
                                + " java.util.HashMap.put: thread \"worker-1\" put at " + LOCAL_FRAME
                                + " and thread \"worker-2\" put at com.example.Other.run(Other.java:7), seen 4 times"
                                + " (finding 1111aaaa2222bbbb)",
                        "::error title=map race%3A unsynchronized-write on java.util.HashMap::unsynchronized-write on"
                                + " java.util.HashMap.put: thread \"worker-1\" put at"
                                + " com.example.legacy.Cache.put(Cache.java:50) and thread \"worker-2\" put at"
                                + " com.example.legacy.Cache.put(Cache.java:50), seen 2 times (finding 3333cccc4444dddd)");
        // The text report is printed too, before the annotations.
        assertThat(r.out()).startsWith("2 map races in ");
    }

    /** The field that holds the map and the fix with its reason reach every CI format. */
    @Test
    void theFieldAndTheFixReachSarifJUnitXmlAndGitHub() throws Exception {
        String line = finding("5555eeee6666ffff", "unsynchronized-write", LOCAL_FRAME, LOCAL_FRAME, 3)
                .replace(
                        "\"allocatedAt\":null",
                        "\"allocatedAt\":null,\"field\":{\"name\":\"com.example.Cache.map\",\"static\":true,"
                                + "\"frame\":\"" + LOCAL_FRAME + "\"},\"fieldNote\":null,\"fix\":{\"advice\":"
                                + "\"use a ConcurrentHashMap (reads take no lock)\",\"because\":\"read-mostly: 900"
                                + " reads, 10 writes (99% reads)\",\"bench\":\"mapscope bench --mix 99/1 --threads"
                                + " 8\"}");
        assertThat(line).as("the fixture line carries a field").contains("\"field\":{");
        Path findings = write("field.jsonl", line);
        Path sarif = dir.resolve("field.sarif");
        Path xml = dir.resolve("TEST-field.xml");
        Cli.Result r = Cli.run(
                "report", findings.toString(), "--sarif", sarif.toString(), "--junit-xml", xml.toString(), "--github");
        assertThat(r.exit()).as(r.toString()).isZero();
        String message = "; the map is field com.example.Cache.map; fix: use a ConcurrentHashMap (reads take no"
                + " lock) (read-mostly: 900 reads, 10 writes (99% reads))";

        JsonNode log = JSON.readTree(sarif.toFile());
        assertThat(schemaErrors(log)).isEmpty();
        JsonNode result = log.at("/runs/0/results/0");
        assertThat(result.at("/message/text").asText()).endsWith(message);
        assertThat(result.at("/properties/field").asText()).isEqualTo("com.example.Cache.map");
        assertThat(result.at("/properties/fieldStatic").asBoolean()).isTrue();
        assertThat(result.at("/properties/fix").asText()).isEqualTo("use a ConcurrentHashMap (reads take no lock)");
        assertThat(result.at("/properties/fixBecause").asText()).startsWith("read-mostly: 900 reads");
        assertThat(result.at("/properties/fixBench").asText()).isEqualTo("mapscope bench --mix 99/1 --threads 8");

        Element failure = (Element)
                parse(xml).getDocumentElement().getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).endsWith(message);
        assertThat(failure.getTextContent())
                .contains(
                        "    field:     com.example.Cache.map (static field), read at " + LOCAL_FRAME,
                        "    fix:       use a ConcurrentHashMap (reads take no lock)",
                        "    because:   read-mostly: 900 reads, 10 writes (99% reads)",
                        "    compare:   mapscope bench --mix 99/1 --threads 8");

        assertThat(r.out().lines().filter(l -> l.startsWith("::error")))
                .singleElement()
                .satisfies(a -> assertThat(a).contains(message.replace("%", "%25")));
    }

    @Test
    void withoutFailOnRaceTheExitStaysZero() throws IOException {
        assertThat(Cli.run("report", twoRaces().toString(), "--github").exit()).isZero();
    }

    @Test
    void aBaselineLeavesOnlyNewRacesToCountAndFail() throws IOException {
        Path old = write(
                "old.jsonl",
                finding(
                        "3333cccc4444dddd",
                        "unsynchronized-write",
                        "com.example.legacy.Cache.put(Cache.java:50)",
                        "com.example.legacy.Cache.put(Cache.java:50)",
                        1));
        Path sarif = dir.resolve("out.sarif");
        Cli.Result r = Cli.run(
                "report",
                twoRaces().toString(),
                "--baseline",
                old.toString(),
                "--sarif",
                sarif.toString(),
                "--fail-on-race");
        assertThat(r.exit()).as(r.toString()).isEqualTo(66);
        assertThat(r.out())
                .contains("1 map race in ", "[1] concurrent-write on java.util.HashMap, put")
                .contains("1 map race in the baseline " + old + ", not counted.")
                .doesNotContain("com.example.legacy.Cache");
        assertThat(JSON.readTree(sarif.toFile()).at("/runs/0/results").size()).isEqualTo(1);

        // The whole run as its own baseline: nothing new, the build passes, and the text says why.
        Path all = twoRaces();
        Cli.Result again = Cli.run("report", all.toString(), "--baseline", all.toString(), "--fail-on-race");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out())
                .contains("no map races recorded in ", "2 map races in the baseline " + all + ", not counted.");
    }

    @Test
    void suppressionsByIdAndFrameAreCountedAndListedWithTheirReasons() throws IOException {
        Path rules = write(
                "suppressions.txt",
                "# accepted races\n\nid 1111aaaa2222bbbb fixed in the next release\n"
                        + "frame com.example.legacy.*.put(*) legacy cache, rewritten in 2027\n");
        Cli.Result r = Cli.run("report", twoRaces().toString(), "--suppress", rules.toString(), "--fail-on-race");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("no map races recorded in ")
                .contains("2 map races suppressed: 1111aaaa2222bbbb (" + rules
                        + ":3 id 1111aaaa2222bbbb: fixed in the next release); 3333cccc4444dddd (" + rules
                        + ":4 frame com.example.legacy.*.put(*): legacy cache, rewritten in 2027).");

        // A frame glob that matches no frame suppresses nothing.
        Path narrow = write("narrow.txt", "frame com.example.legacy.*.get(*) only reads\n");
        Cli.Result none = Cli.run("report", twoRaces().toString(), "--suppress", narrow.toString(), "--fail-on-race");
        assertThat(none.exit()).isEqualTo(66);
        assertThat(none.out()).contains("2 map races in ").doesNotContain("suppressed");
    }

    @Test
    void aSuppressionWithoutAReasonIsRefused() throws IOException {
        Path rules = write("suppressions.txt", "id 1111aaaa2222bbbb\n");
        Cli.Result r = Cli.run("report", twoRaces().toString(), "--suppress", rules.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .isEqualTo("mapscope: line 1 of " + rules
                        + " gives no reason: write \"id 1111aaaa2222bbbb <why this race is accepted>\"\n");
        Path bad = write("bad.txt", "ignore everything please\n");
        assertThat(Cli.run("report", twoRaces().toString(), "--suppress", bad.toString())
                        .err())
                .isEqualTo("mapscope: line 1 of " + bad
                        + " is not a rule: it must start with \"id\" or \"frame\", got \"ignore\"\n");
    }

    private static Set<ValidationMessage> schemaErrors(JsonNode log) throws IOException {
        try (InputStream in = ReportCiFormatsTest.class.getResourceAsStream("sarif-schema-2.1.0.json")) {
            JsonSchema schema =
                    JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
            return schema.validate(log);
        }
    }

    private static Document parse(Path xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    }

    /** The read and iteration kinds (protocol version 2, with the additive usage object) get rules of their own. */
    @Test
    void readAndIterationKindsAreNamedAndExplained() throws IOException {
        String usage = ",\"usage\":{\"reads\":10,\"writes\":2,\"iterations\":0,\"readerThreads\":2,"
                + "\"writerThreads\":1,\"checkThenAct\":1,\"accessOrder\":false,\"millis\":5}";
        StringBuilder lines = new StringBuilder();
        String[] kinds = {
            "concurrent-read-write",
            "unsynchronized-read-write",
            "concurrent-iteration-write",
            "unsynchronized-iteration-write"
        };
        for (int i = 0; i < kinds.length; i++) {
            lines.append(finding("aaaa00000000000" + i, kinds[i], LOCAL_FRAME, "com.example.Other.run(Other.java:7)", 1)
                    .replace(",\"time\":", usage + ",\"time\":"));
        }
        Path findings = write("reads.jsonl", lines.toString());
        Path sarif = dir.resolve("reads.sarif");
        Cli.Result r = Cli.run("report", findings.toString(), "--sarif", sarif.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode log = JSON.readTree(sarif.toFile());
        assertThat(schemaErrors(log)).isEmpty();
        JsonNode rules = log.at("/runs/0/tool/driver/rules");
        assertThat(rules.size()).isEqualTo(4);
        assertThat(rules.get(0).path("name").asText()).isEqualTo("ConcurrentReadWrite");
        assertThat(rules.get(3).path("name").asText()).isEqualTo("UnsynchronizedIterationWrite");
        for (JsonNode rule : rules) {
            assertThat(rule.at("/fullDescription/text").asText())
                    .doesNotStartWith("reported by the agent as")
                    .containsAnyOf("read this map", "iterated this map");
        }
        Cli.Result text = Cli.run("report", findings.toString());
        assertThat(text.out()).contains("concurrent map read and map write", "concurrent map iteration and map write");
    }
}
