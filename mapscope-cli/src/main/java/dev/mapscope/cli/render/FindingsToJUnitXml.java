package dev.mapscope.cli.render;

import dev.mapscope.cli.console.UserError;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Findings as a JUnit XML report, the format Jenkins, GitLab and most CI servers show as test results: one failed
 * test case per finding with the text form of the finding as the failure's body; without findings, one passing
 * test case, so that the report says the check ran.
 */
public final class FindingsToJUnitXml {
    private FindingsToJUnitXml() {}

    /** Writes {@code findings}, read from {@code source}, to {@code out}. */
    public static void write(List<ReportedFinding> findings, String source, Path out) {
        try (OutputStream stream = Files.newOutputStream(out)) {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(stream, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("name", "mapscope");
            xml.writeAttribute("tests", Integer.toString(Math.max(1, findings.size())));
            xml.writeAttribute("failures", Integer.toString(findings.size()));
            xml.writeAttribute("errors", "0");
            xml.writeAttribute("skipped", "0");
            xml.writeCharacters("\n");
            if (findings.isEmpty()) {
                xml.writeCharacters("  ");
                xml.writeEmptyElement("testcase");
                xml.writeAttribute("classname", "mapscope");
                xml.writeAttribute("name", "no map races in " + source);
                xml.writeCharacters("\n");
            }
            int n = 0;
            for (ReportedFinding f : findings) {
                n++;
                xml.writeCharacters("  ");
                xml.writeStartElement("testcase");
                xml.writeAttribute("classname", "mapscope." + f.kind());
                xml.writeAttribute("name", "[" + f.id() + "] " + SourceFrame.title(f));
                xml.writeCharacters("\n    ");
                xml.writeStartElement("failure");
                xml.writeAttribute("type", f.kind());
                xml.writeAttribute("message", SourceFrame.message(f));
                StringWriter text = new StringWriter();
                TextReport.printFinding(f, n, Integer.MAX_VALUE, new PrintWriter(text));
                xml.writeCharacters(text.toString());
                xml.writeEndElement();
                xml.writeCharacters("\n  ");
                xml.writeEndElement();
                xml.writeCharacters("\n");
            }
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (IOException | XMLStreamException e) {
            throw new UserError("cannot write " + out + ": " + e.getMessage());
        }
    }
}
