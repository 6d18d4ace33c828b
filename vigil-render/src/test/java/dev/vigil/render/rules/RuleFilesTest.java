package dev.vigil.render.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Structural checks of every shipped rule file (no Prometheus needed): conventions, unit-test
 * coverage of each alert and recording rule, and a runbook section for each alert.
 */
class RuleFilesTest {
  /** Recording rules the dashboards query by name. */
  static final List<String> DASHBOARD_RECORDINGS =
      List.of(
          "instance:node_cpu_utilisation:rate5m",
          "instance:node_memory_utilisation:ratio",
          "instance:node_network_receive_bytes_excluding_virtual:rate5m",
          "instance:node_network_transmit_bytes_excluding_virtual:rate5m",
          "instance:node_load1_per_cpu:ratio");

  private static final Pattern INDEX_ROW =
      Pattern.compile("(?m)^\\| \\[(\\w+)\\]\\(#(\\w+)\\) \\| ([^|]+) \\| [^|]+ \\| ([^|]+) \\|$");

  /** Severities as the index lists them: the milder first ("warning / critical"). */
  private static final Comparator<String> SEVERITY_ORDER =
      Comparator.comparingInt(List.of("none", "info", "warning", "critical")::indexOf);

  @Test
  void everyCoreComponentHasARuleFileAndAUnitTestFile() {
    List<String> components =
        RuleFiles.ruleFiles().stream().map(RuleFiles.RuleFile::component).toList();
    // Every rule file a component declares is shipped beside it, with promtool tests beside that.
    assertThat(components)
        .contains("general", "kubelet", "node-exporter", "time", "syslog", "power");
    assertThat(RuleFiles.testFiles().keySet()).containsExactlyElementsOf(components);
  }

  @Test
  void dashboardRecordingRulesAreDefinedInTheNodeExporterFile() {
    RuleFiles.RuleFile node =
        RuleFiles.ruleFiles().stream()
            .filter(f -> f.component().equals("node-exporter"))
            .findFirst()
            .orElseThrow();
    List<String> recorded =
        RuleFiles.recordings(node.yaml()).stream().map(r -> r.get("record").asText()).toList();
    assertThat(recorded).containsAll(DASHBOARD_RECORDINGS);
  }

  @TestFactory
  Stream<DynamicTest> alertsFollowConventions() {
    return RuleFiles.ruleFiles().stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.fileName(),
                    () -> assertThat(RuleChecks.conventions(f.fileName(), f.yaml())).isEmpty()));
  }

  @TestFactory
  Stream<DynamicTest> everyAlertFiresAndStaysSilentInAUnitTest() {
    return RuleFiles.ruleFiles().stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.fileName(),
                    () -> {
                      Path test = f.testFile();
                      assertThat(test).as("unit-test file for " + f.fileName()).isNotNull();
                      JsonNode tests = RuleFiles.read(test);
                      List<String> problems = new ArrayList<>();
                      problems.addAll(RuleChecks.coverage(f.fileName(), f.yaml(), tests));
                      problems.addAll(RuleChecks.recordingCoverage(f.fileName(), f.yaml(), tests));
                      problems.addAll(RuleChecks.federatedCoverage(f.fileName(), f.yaml(), tests));
                      assertThat(problems).isEmpty();
                      List<String> ruleFiles = new ArrayList<>();
                      tests.path("rule_files").forEach(n -> ruleFiles.add(n.asText()));
                      assertThat(ruleFiles)
                          .as("rule_files of " + test.getFileName())
                          .containsExactly(f.fileName());
                    }));
  }

  /** Rules judge the local cluster: docs/decisions/0010-rules-judge-the-local-cluster.md. */
  @TestFactory
  Stream<DynamicTest> everySelectorJudgesTheLocalCluster() {
    return RuleFiles.ruleFiles().stream()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.fileName(),
                    () -> assertThat(RuleChecks.clusterScope(f.fileName(), f.yaml())).isEmpty()));
  }

  @Test
  void alertNamesBelongToOneFileOnly() {
    Map<String, String> owner = new HashMap<>();
    List<String> clashes = new ArrayList<>();
    for (RuleFiles.RuleFile f : RuleFiles.ruleFiles()) {
      for (String name : RuleChecks.alertNames(f.yaml())) {
        String previous = owner.putIfAbsent(name, f.fileName());
        if (previous != null) {
          clashes.add(name + " is defined in " + previous + " and " + f.fileName());
        }
      }
    }
    assertThat(clashes).isEmpty();
  }

  @Test
  void everyAlertHasARunbookSection() throws IOException {
    List<Path> docs = RuleFiles.alertDocs();
    assertThat(docs)
        .as("docs/alerts.md")
        .extracting(p -> p.getFileName().toString())
        .contains("alerts.md");
    List<String> texts = new ArrayList<>();
    for (Path p : docs) {
      texts.add(Files.readString(p));
    }
    Set<String> documented = RuleChecks.documentedAlerts(texts);
    Set<String> missing = new TreeSet<>();
    for (RuleFiles.RuleFile f : RuleFiles.ruleFiles()) {
      for (String name : RuleChecks.alertNames(f.yaml())) {
        if (!documented.contains(name)) {
          missing.add(name + " (" + f.fileName() + ")");
        }
      }
    }
    assertThat(missing)
        .as("alerts without a '## <AlertName>' section in docs/alerts*.md")
        .isEmpty();
  }

  @Test
  void runbookSectionsOfDocsAlertsMdNameExistingAlerts() throws IOException {
    Path doc = RuleFiles.repoRoot().resolve("docs/alerts.md");
    Set<String> sections = RuleChecks.documentedAlerts(List.of(Files.readString(doc)));
    Set<String> alerts = new TreeSet<>();
    for (RuleFiles.RuleFile f : RuleFiles.ruleFiles()) {
      alerts.addAll(RuleChecks.alertNames(f.yaml()));
    }
    assertThat(new TreeSet<>(sections))
        .as("sections of docs/alerts.md without an alert")
        .isSubsetOf(alerts);
  }

  @Test
  void runbookSectionsOfDocsAlertsMdCoverMeaningImpactDiagnosisAndMitigation() throws IOException {
    String doc = Files.readString(RuleFiles.repoRoot().resolve("docs/alerts.md"));
    Map<String, String> sections = RuleChecks.sections(doc);
    assertThat(sections).isNotEmpty();
    List<String> incomplete = new ArrayList<>();
    sections.forEach(
        (name, body) -> {
          for (String part : List.of("Meaning", "Impact", "Diagnosis", "Mitigation")) {
            if (!body.contains("**" + part + ".**")) {
              incomplete.add(name + " lacks **" + part + ".**");
            }
          }
        });
    assertThat(incomplete).isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> coreSelectorsNameTheirJob() {
    return RuleFiles.ruleFiles().stream()
        .filter(RuleFiles.RuleFile::core)
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.fileName(),
                    () -> assertThat(RuleChecks.jobSelectors(f.fileName(), f.yaml())).isEmpty()));
  }

  /** The alert index of docs/alerts.md: one row per core alert, severities and file as shipped. */
  @Test
  void alertIndexOfDocsAlertsMdMatchesTheRuleFiles() throws IOException {
    String doc = Files.readString(RuleFiles.repoRoot().resolve("docs/alerts.md"));
    Map<String, String> documented = new TreeMap<>();
    Matcher row = INDEX_ROW.matcher(doc);
    while (row.find()) {
      assertThat(row.group(2))
          .as("anchor of " + row.group(1))
          .isEqualTo(row.group(1).toLowerCase());
      documented.put(row.group(1), row.group(3).strip() + " in " + row.group(4).strip());
    }
    Map<String, String> shipped = new TreeMap<>();
    for (RuleFiles.RuleFile f : RuleFiles.ruleFiles()) {
      if (!f.core()) {
        continue;
      }
      Map<String, Set<String>> severities = new TreeMap<>();
      for (JsonNode alert : RuleFiles.alerts(f.yaml())) {
        severities
            .computeIfAbsent(alert.get("alert").asText(), k -> new TreeSet<>(SEVERITY_ORDER))
            .add(alert.path("labels").path("severity").asText());
      }
      severities.forEach(
          (name, sev) -> shipped.put(name, String.join(" / ", sev) + " in " + f.component()));
    }
    assertThat(documented).isEqualTo(shipped);
  }
}
