package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.vigil.lint.LintProfile;
import dev.vigil.lint.Rule;
import dev.vigil.lint.rules.Rules;
import dev.vigil.testing.Repo;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import picocli.CommandLine;

class LintCommandTest {
  @TempDir Path dir;
  Path bad;
  Path clean;

  record Result(int code, String out, String err) {}

  private Result run(Map<String, String> env, boolean tty, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    CommandLine cl = new CommandLine(new LintCommand(in, env::get, tty));
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Result run(String... args) {
    return run(Map.of(), false, "", args);
  }

  @BeforeEach
  void files() throws Exception {
    bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: \"a&b<c>\", namespace: ns}\n"
            + "spec: {hostNetwork: true, containers: [{name: c, image: nginx}]}\n"
            + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {x: y}\n");
    clean = dir.resolve("clean.yaml");
    // The lint module's fixture of every workload kind, each restricted-clean.
    Files.copy(Repo.resolve("vigil-lint/src/test/resources/pss/restricted-every-kind.yaml"), clean);
  }

  @Test
  void exitCodes() throws Exception {
    assertThat(run("--profile", "restricted", clean.toString()).code()).isZero();
    assertThat(run(bad.toString()).code()).isEqualTo(1);
    // Only warnings under baseline? No: hostNetwork is an error, so fail-on error still fails.
    assertThat(run("--profile", "baseline", "--fail-on", "error", bad.toString()).code())
        .isEqualTo(1);
    Path warnOnly = dir.resolve("warn.yaml");
    Files.writeString(
        warnOnly, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {x: y}\n");
    assertThat(run("--fail-on", "error", warnOnly.toString()).code()).isZero();
    assertThat(run("--fail-on", "warning", warnOnly.toString()).code()).isEqualTo(1);
  }

  @Test
  void usageAndInputErrorsExitTwoWithoutStackTraces() throws Exception {
    Result none = run();
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("no input");
    Result profile = run("--profile", "strict", bad.toString());
    assertThat(profile.code()).isEqualTo(2);
    assertThat(profile.err()).contains("unknown profile 'strict'");
    Result format = run("--format", "xml", bad.toString());
    assertThat(format.code()).isEqualTo(2);
    Result disable = run("--disable", "no-such-rule", bad.toString());
    assertThat(disable.code()).isEqualTo(2);
    assertThat(disable.err()).contains("unknown rule id 'no-such-rule'");
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "kind: Pod\nmetadata:\n  name: [x\n");
    Result yaml = run("--profile", "restricted", clean.toString(), broken.toString());
    assertThat(yaml.code()).isEqualTo(2);
    assertThat(yaml.out()).contains(broken + ":3").contains("10 objects");
    for (Result r : new Result[] {none, profile, format, disable, yaml}) {
      assertThat(r.err() + r.out()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void configFileSetsProfileSeveritiesAndRejectsTypos() throws Exception {
    Path cfg = dir.resolve("lint.yaml");
    Files.writeString(
        cfg,
        "profile: baseline\nfailOn: error\nrules:\n  pss-host-namespaces: {severity: warning}\n");
    Result r = run("--config", cfg.toString(), "-o", "json", bad.toString());
    assertThat(r.code()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(json.get("profile").asText()).isEqualTo("baseline");
    assertThat(json.get("findings")).hasSize(1);
    assertThat(json.get("findings").get(0).get("severity").asText()).isEqualTo("warning");
    // A flag beats the file.
    assertThat(run("--config", cfg.toString(), "--fail-on", "warning", bad.toString()).code())
        .isEqualTo(1);
    Files.writeString(cfg, "profile: baseline\nfailon: error\n");
    Result typo = run("--config", cfg.toString(), bad.toString());
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err()).contains("unknown key 'failon'");
    Files.writeString(cfg, "rules:\n  pss-hostpath: {enabled: false}\n");
    assertThat(run("--config", cfg.toString(), bad.toString()).err())
        .contains("rules.pss-hostpath: unknown rule id");
    Files.writeString(cfg, "registries: [quay.io]\nrequiredLabels: [team]\n");
    JsonNode j =
        new ObjectMapper()
            .readTree(run("--config", cfg.toString(), "-o", "json", bad.toString()).out());
    assertThat(j.get("findings").findValuesAsText("rule"))
        .contains("image-registry", "required-labels");
    assertThat(j.get("findings").findValuesAsText("message")).anyMatch(m -> m.contains("[team]"));
  }

  @Test
  void stdinIsLinted() {
    Result r =
        run(
            Map.of(),
            false,
            "apiVersion: v1\nkind: Pod\nmetadata: {name: s}\nspec: {hostPID: true, containers: []}\n",
            "--profile",
            "baseline",
            "-");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains("Pod s").contains("pss-host-namespaces").contains("-:4");
  }

  @Test
  void humanOutputIsGroupedAndColouredOnlyOnATerminalWithoutNoColor() {
    Result plain = run(bad.toString());
    assertThat(plain.out()).doesNotContain("\u001b[");
    assertThat(plain.out()).contains("Pod ns/a&b<c>").contains("ConfigMap cm").contains("fix: ");
    int pod = plain.out().indexOf("Pod ns/a&b<c>");
    int cm = plain.out().indexOf("ConfigMap cm");
    assertThat(plain.out().substring(pod, cm))
        .contains("pss-host-namespaces", "image-tag")
        .doesNotContain("required-labels  missing labels [app.kubernetes.io/name]\n  ConfigMap");
    assertThat(run(Map.of(), true, "", bad.toString()).out()).contains("\u001b[31m");
    assertThat(run(Map.of("NO_COLOR", "1"), true, "", bad.toString()).out())
        .doesNotContain("\u001b[");
    assertThat(run(Map.of(), true, "", "--no-color", bad.toString()).out())
        .doesNotContain("\u001b[");
  }

  @Test
  void sarifIsValidAgainstTheSarif210Schema() throws Exception {
    Path broken = dir.resolve("sub dir/broken.yaml");
    Files.createDirectories(broken.getParent());
    Files.writeString(broken, "kind: [\n");
    Result r = run("-o", "sarif", bad.toString(), broken.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("broken.yaml");
    JsonNode sarif = new ObjectMapper().readTree(r.out());
    JsonSchema schema;
    try (InputStream in = getClass().getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
      assertThat(in).as("SARIF schema on the test classpath").isNotNull();
      SchemaValidatorsConfig config =
          SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in, config);
    }
    Set<ValidationMessage> problems = schema.validate(sarif);
    assertThat(problems).isEmpty();
    JsonNode run = sarif.get("runs").get(0);
    assertThat(run.get("results").size()).isGreaterThan(3);
    assertThat(run.get("tool").get("driver").get("rules").size())
        .isEqualTo(
            (int) Rules.all().stream().filter(x -> x.level() != LintProfile.VIGIL || true).count());
    JsonNode first = run.get("results").get(0);
    int idx = first.get("ruleIndex").asInt();
    assertThat(run.get("tool").get("driver").get("rules").get(idx).get("id").asText())
        .isEqualTo(first.get("ruleId").asText());
    assertThat(
            run.get("invocations")
                .get(0)
                .get("toolExecutionNotifications")
                .get(0)
                .get("locations")
                .get(0)
                .get("physicalLocation")
                .get("artifactLocation")
                .get("uri")
                .asText())
        .contains("sub%20dir/broken.yaml");
    // The validator must be able to fail: a result without its message is rejected.
    ((com.fasterxml.jackson.databind.node.ObjectNode) first).remove("message");
    assertThat(schema.validate(sarif)).isNotEmpty();
  }

  @Test
  void junitParsesBackAndAgreesWithTheExitCode() throws Exception {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "kind: [\n");
    Result r = run("-o", "junit", "--fail-on", "error", bad.toString(), broken.toString());
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new InputSource(new StringReader(r.out())));
    Element root = doc.getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("testsuites");
    assertThat(root.getAttribute("errors")).isEqualTo("1");
    NodeList cases = doc.getElementsByTagName("testcase");
    boolean podFailed = false;
    boolean cmOnlyWarnings = false;
    for (int i = 0; i < cases.getLength(); i++) {
      Element c = (Element) cases.item(i);
      if (c.getAttribute("name").equals("Pod ns/a&b<c>")) {
        podFailed = c.getElementsByTagName("failure").getLength() > 0;
        assertThat(((Element) c.getElementsByTagName("failure").item(0)).getAttribute("type"))
            .startsWith("pss-");
      }
      if (c.getAttribute("name").equals("ConfigMap cm")) {
        cmOnlyWarnings =
            c.getElementsByTagName("failure").getLength() == 0
                && c.getElementsByTagName("system-out")
                    .item(0)
                    .getTextContent()
                    .contains("required-labels");
      }
    }
    assertThat(podFailed).isTrue();
    assertThat(cmOnlyWarnings).isTrue();
    assertThat(Integer.parseInt(root.getAttribute("failures"))).isEqualTo(1);
  }

  @Test
  void outputFileAndRuleListing() throws Exception {
    Path report = dir.resolve("report.json");
    Result r = run("-o", "json", "--out", report.toString(), bad.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();
    assertThat(new ObjectMapper().readTree(report.toFile()).get("summary").get("exitCode").asInt())
        .isEqualTo(1);
    Result list = run("--list-rules", "--profile", "baseline");
    assertThat(list.code()).isZero();
    for (Rule rule : Rules.all()) {
      assertThat(list.out()).contains(rule.id());
    }
    assertThat(list.out()).containsPattern("pss-run-as-non-root\\s+error\\s+restricted\\s+no");
  }

  @Test
  void theSpellingsBeforeUnifiedOptionLettersStillWorkWithANote() throws Exception {
    Path report = dir.resolve("old.json");
    Result r = run("-f", "json", "-o", report.toString(), bad.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("-f/--format is now -o/--output")
        .contains("taking '" + report + "' as --out");
    assertThat(new ObjectMapper().readTree(report.toFile()).get("summary").get("exitCode").asInt())
        .isEqualTo(1);
    Path notAFormat = dir.resolve("yaml-ish");
    Result bogus = run("-o", notAFormat.toString(), bad.toString());
    assertThat(bogus.code()).isEqualTo(1);
    assertThat(bogus.err()).contains("taking '" + notAFormat + "' as --out");
    assertThat(notAFormat).exists();
  }

  @Test
  void statefulImagesDefaultToTheStacksAndTheOptionReplacesThem() throws Exception {
    Path deployments = dir.resolve("deployments.yaml");
    String deployment =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: %s, namespace: ns}\n"
            + "spec: {selector: {matchLabels: {app: %s}}, template: {metadata: {labels: {app: %s}},"
            + " spec: {containers: [{name: c, image: \"%s\"}]}}}\n";
    Files.writeString(
        deployments,
        String.format(deployment, "prom", "prom", "prom", "quay.io/prometheus/prometheus:v3.5.0")
            + "---\n"
            + String.format(deployment, "db", "db", "db", "registry.example.org/team/mydb:1.0"));
    Result stack = run("-o", "json", deployments.toString());
    assertThat(statefulFindings(stack)).containsExactly("prom");
    Result custom = run("-o", "json", "--stateful-image", "mydb", deployments.toString());
    assertThat(statefulFindings(custom)).containsExactly("db");
  }

  private static java.util.List<String> statefulFindings(Result r) throws Exception {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (JsonNode f : new ObjectMapper().readTree(r.out()).get("findings")) {
      if (f.get("rule").asText().equals("stateful-monitoring")) {
        names.add(f.get("object").get("name").asText());
      }
    }
    return names;
  }

  /**
   * A rule whose expression parses but is mistyped (rate of an instant vector) passes the built-in
   * syntax check, which does not type; promtool, on request, refuses it.
   */
  @Test
  void promtoolOnRequestCatchesWhatTheSyntaxCheckCannot() throws Exception {
    assertThat(dev.vigil.lint.Loader.findOnPath("promtool"))
        .as("promtool (Debian package prometheus)")
        .isPresent();
    Path rules = dir.resolve("typed.rules.yaml");
    Files.writeString(
        rules,
        "groups:\n  - name: g\n    rules:\n      - record: job:up:rate5m\n"
            + "        expr: rate(up[5m]) + rate(up)\n");
    Result plain = run("-o", "json", rules.toString());
    assertThat(plain.out()).doesNotContain("rule-file-syntax");
    Result checked = run("-o", "json", "--promtool", rules.toString());
    assertThat(checked.code()).as(checked.err()).isEqualTo(1);
    assertThat(checked.out()).contains("rule-file-syntax").contains("range vector");
  }
}
