package dev.vigil.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class CheckReportTest {
  @Test
  void junitHasASuitePerTargetAFailurePerFailAndAnErrorPerUnknown() throws Exception {
    List<Check> checks =
        List.of(
            new Check(
                "prometheus",
                "scrape job node-exporter",
                Verdict.FAIL,
                "1/2 up",
                "all up",
                "down: 127.0.0.1:9 down (Get \"http://127.0.0.1:9/metrics\": connection refused)"),
            new Check(
                "prometheus",
                "rule file general.rules.yaml",
                Verdict.PASS,
                "2 groups, 4 rules",
                "no evaluation error",
                ""),
            new Check(
                "prometheus",
                "tsdb volume",
                Verdict.UNKNOWN,
                "no data",
                "> 15% free",
                "no kubelet_volume_stats <series>"),
            new Check(
                "grafana-0",
                "pod monitoring/grafana-0",
                Verdict.WARN,
                "4 restarts",
                "not restarting in a loop",
                "a & b"));
    StringWriter w = new StringWriter();
    CheckReport.junit(new PrintWriter(w), checks, Check.overall(checks));
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(w.toString().getBytes(StandardCharsets.UTF_8)));
    Element root = doc.getDocumentElement();
    assertThat(root.getAttribute("tests")).isEqualTo("4");
    assertThat(root.getAttribute("failures")).isEqualTo("1");
    assertThat(root.getAttribute("errors")).isEqualTo("1");
    assertThat(doc.getElementsByTagName("testsuite").getLength()).isEqualTo(2);
    Element failure = (Element) doc.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("message"))
        .contains(
            "measured: 1/2 up; limit: all up; down: 127.0.0.1:9 down (Get \"http://127.0.0.1:9/metrics\"");
    assertThat(((Element) failure.getParentNode()).getAttribute("name"))
        .isEqualTo("scrape job node-exporter");
    assertThat(((Element) doc.getElementsByTagName("error").item(0)).getAttribute("message"))
        .contains("<series>");
    assertThat(doc.getElementsByTagName("system-out").item(0).getTextContent())
        .isEqualTo("WARN measured: 4 restarts; limit: not restarting in a loop; a & b");
  }
}
