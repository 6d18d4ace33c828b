package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.spec.SpecLoader;
import dev.vigil.testing.Repo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Vigil.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void renderDefaultWritesLayoutAndSummary() {
    Path out = tmp.resolve("out");
    Result r = run("render", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "the default station",
            "COMPONENT",
            "prometheus",
            "total",
            "Lint: ",
            " 0 errors, 0 warnings, 0 info");
    assertThat(out.resolve("kustomization.yaml")).exists();
    assertThat(out.resolve("prometheus/statefulset-prometheus.yaml")).exists();
    assertThat(out.resolve("grafana/configmap-grafana-dashboard-cluster-overview.yaml")).exists();
    // Rule files named after a capability count for the component providing it.
    assertThat(r.out()).containsPattern("(?m)^  syslog-gateway +\\d+ +[1-9]\\d* ");
    assertThat(r.out()).containsPattern("(?m)^  chrony +\\d+ +[1-9]\\d* ");
  }

  @Test
  void renderSummaryAsJsonSaysWhichComponentMadeWhat() throws Exception {
    Result r = run("render", "--out", tmp.resolve("out").toString(), "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(r.out());
    java.util.Map<String, JsonNode> rows = new java.util.TreeMap<>();
    doc.path("components").forEach(c -> rows.put(c.path("component").asText(), c));
    // Dashboards count for the component they show, not for Grafana that provisions them.
    assertThat(rows.get("node-exporter").path("dashboards").asInt()).isEqualTo(2);
    assertThat(rows.get("grafana").path("dashboards").asInt()).isZero();
    // The kubelet's rules belong to the Kubernetes components Prometheus watches, which deploy
    // nothing.
    assertThat(rows.get("kubernetes").path("objects").asInt()).isZero();
    assertThat(rows.get("kubernetes").path("alerts").asInt()).isPositive();
    int alerts = 0;
    for (JsonNode c : doc.path("components")) {
      alerts += c.path("alerts").asInt();
    }
    assertThat(doc.path("total").path("alerts").asInt()).isEqualTo(alerts);
    assertThat(doc.path("lint").path("objects").asInt()).isGreaterThan(20);
    assertThat(doc.path("lint").path("info")).isEmpty();
  }

  @Test
  void aSpecJobMayNotTakeTheNameOfARenderedJob() throws Exception {
    Path spec = tmp.resolve("vigil.yaml");
    Files.writeString(
        spec,
        SpecLoader.defaultText()
            + "\ncomponents:\n  prometheus:\n    extraScrapeTargets:\n      - name: loki\n        targets: ['10.0.0.9:3100']\n");
    Result r = run("render", "-f", spec.toString(), "--out", tmp.resolve("out").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .containsPattern(
            "vigil.yaml:\\d+:\\d+: components.prometheus.extraScrapeTargets\\[0\\].name: 'loki' is the job that scrapes loki");
  }

  @Test
  void everyImageCanBeOverriddenByNameAndTheRenderListsThem() throws Exception {
    String digest = "sha256:" + "a".repeat(64);
    Path spec = tmp.resolve("vigil.yaml");
    Files.writeString(
        spec,
        SpecLoader.defaultText()
            + "\nimages:\n  chrony-exporter: mirror.example.com/superq/chrony-exporter@"
            + digest
            + "\n  vigil-agent: mirror.example.com/vigil/vigil-agent:0.1.0\n");
    Result r = run("render", "-f", spec.toString(), "--out", tmp.resolve("out").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "  mirror.example.com/superq/chrony-exporter@" + digest,
            "  mirror.example.com/vigil/vigil-agent:0.1.0")
        .doesNotContain("quay.io/superq/chrony-exporter");
    assertThat(Files.readString(tmp.resolve("out/syslog-gateway/statefulset-syslog-gateway.yaml")))
        .contains("image: mirror.example.com/vigil/vigil-agent:0.1.0");

    Files.writeString(
        spec,
        SpecLoader.defaultText()
            + "\nimages:\n  chrony-exportr: mirror.example.com/x:1\n  grafana: docker.io/grafana/grafana:latest\n"
            + "  loki: docker.io/grafana/loki:3.5.4\n"
            + "components:\n  loki:\n    image: docker.io/grafana/loki:3.5.3\n");
    Result bad = run("render", "-f", spec.toString(), "--out", tmp.resolve("out2").toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .containsPattern("vigil.yaml:\\d+:\\d+: images.grafana: expected a pinned image")
        .containsPattern(
            "images.chrony-exportr: no image is called 'chrony-exportr' \\(did you mean 'chrony-exporter'\\?\\)")
        .contains("images.loki: also set as the component's own image");
  }

  @Test
  void renderExamplesAndOverlay() throws Exception {
    List<String> examples = Examples.stations();
    assertThat(examples).contains("homelab", "vmstation", "llm-analytics-hub", "poc-cluster");
    for (String example : examples) {
      Path spec = Examples.dir().resolve(example).resolve("vigil.yaml");
      Result r = run("render", "-f", spec.toString(), "--out", tmp.resolve(example).toString());
      assertThat(r.code()).as(example + ": " + r.err()).isZero();
      assertThat(r.out()).as(example).contains("Lint: ", " 0 errors, 0 warnings, 0 info");
      assertThat(tmp.resolve(example).resolve("kustomization.yaml")).as(example).exists();
      // Every overlay an example ships renders clean over it too.
      for (Path overlay : Examples.overlays(example)) {
        String name = example + "-" + overlay.getFileName().toString().replace(".yaml", "");
        Result o =
            run(
                "render",
                "-f",
                spec.toString(),
                "-e",
                overlay.toString(),
                "--out",
                tmp.resolve(name).toString());
        assertThat(o.code()).as(name + ": " + o.err()).isZero();
        assertThat(o.out()).as(name).contains(" 0 errors, 0 warnings, 0 info");
      }
    }
    Result dev =
        run(
            "render",
            "-f",
            Repo.resolve("examples/homelab/vigil.yaml").toString(),
            "-e",
            Repo.resolve("examples/homelab/environments/dev.yaml").toString(),
            "--out",
            tmp.resolve("dev").toString());
    assertThat(dev.code()).as(dev.err()).isZero();
    assertThat(dev.out()).contains("cluster vmstation-dev");
    // The overlay turned IPMI off on the only IPMI node: no exporter is rendered.
    assertThat(tmp.resolve("dev/ipmi-exporter")).doesNotExist();
    assertThat(tmp.resolve("homelab/ipmi-exporter")).exists();
  }

  @Test
  void pocClusterOverlaysReplaceItsEnvFiles() throws Exception {
    String spec = Repo.resolve("examples/poc-cluster/vigil.yaml").toString();
    Result base = run("render", "-f", spec, "--out", tmp.resolve("base").toString());
    assertThat(base.code()).as(base.err()).isZero();
    assertThat(base.out()).contains("cluster poc-odooswfjips,");
    for (String env : List.of("dev", "prod")) {
      Result r =
          run(
              "render",
              "-f",
              spec,
              "-e",
              Repo.resolve("examples/poc-cluster/environments/" + env + ".yaml").toString(),
              "--out",
              tmp.resolve(env).toString());
      assertThat(r.code()).as(env + ": " + r.err()).isZero();
      assertThat(r.out())
          .contains("cluster " + env + "-poc-odooswfjips,", " 0 errors, 0 warnings, 0 info");
      // The env file's host names: <env>-<cluster>-<component>.<domain>.
      assertThat(Files.readString(tmp.resolve(env + "/loki/ingress-loki.yaml")))
          .contains("host: " + env + "-poc-odooswfjips-loki.jips.io");
      assertThat(
              Files.readString(tmp.resolve(env + "/prometheus/configmap-prometheus-config.yaml")))
          .contains("environment: " + env);
    }
    assertThat(Files.readString(tmp.resolve("base/loki/ingress-loki.yaml")))
        .contains("host: loki.jips.io");
    // dev runs one Prometheus, prod two; dev's alerts go to its own channel.
    assertThat(Files.readString(tmp.resolve("dev/prometheus/statefulset-prometheus.yaml")))
        .contains("replicas: 1");
    assertThat(Files.readString(tmp.resolve("prod/prometheus/statefulset-prometheus.yaml")))
        .contains("replicas: 2");
    assertThat(Files.readString(tmp.resolve("dev/alertmanager/configmap-alertmanager-config.yaml")))
        .contains("#monitoring-dev");
    assertThat(
            Files.readString(tmp.resolve("prod/alertmanager/configmap-alertmanager-config.yaml")))
        .contains("\"#monitoring\"")
        .doesNotContain("#monitoring-dev");
  }

  @Test
  void invalidSpecExitsTwoWithLocatedErrorsAndWritesNothing() throws Exception {
    Path spec = tmp.resolve("vigil.yaml");
    Files.writeString(
        spec, "apiVersion: vigil.dev/v1\nkind: Station\ncluster:\n  name: lab\nprofil: homelab\n");
    Path out = tmp.resolve("out");
    Result r = run("render", "-f", spec.toString(), "--out", out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains(spec + ":5:1: profil: unknown field 'profil' (did you mean 'profile'?)")
        .contains("1 problem in the spec; nothing was done.")
        .doesNotContain("Exception");
    assertThat(out).doesNotExist();
  }

  @Test
  void missingSpecFileIsAnInputError() {
    Result r = run("render", "-f", tmp.resolve("nope.yaml").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("nope.yaml: no such file").doesNotContain("Exception");
  }

  @Test
  void refusesToOverwriteADirectoryItDidNotRender() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("precious"));
    Files.writeString(out.resolve("notes.txt"), "mine");
    Result r = run("render", "--out", out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("refusing to overwrite");
    assertThat(out.resolve("notes.txt")).hasContent("mine");
  }

  @Test
  void schemaIsJsonSchema() throws Exception {
    Result r = run("schema");
    assertThat(r.code()).isZero();
    JsonNode schema = new ObjectMapper().readTree(r.out());
    assertThat(schema.path("$schema").asText())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(schema.path("properties").has("nodes")).isTrue();
    assertThat(schema.path("required").toString()).contains("apiVersion", "kind", "cluster");
    assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
  }

  @Test
  void initWritesStartersThatLoad() throws Exception {
    for (String profile : List.of("homelab", "production")) {
      Path file = tmp.resolve(profile + ".yaml");
      Result r = run("init", "--profile", profile, "--out", file.toString());
      assertThat(r.code()).as(r.err()).isZero();
      var bound = SpecLoader.load(file, List.of());
      assertThat(bound.problems()).as(profile).isEmpty();
      Result again = run("init", "--profile", profile, "--out", file.toString());
      assertThat(again.code()).isEqualTo(2);
      assertThat(again.err()).contains("exists; use --force");
    }
    assertThat(run("init", "--profile", "staging").err())
        .contains("expected homelab or production, got 'staging'");
  }
}
