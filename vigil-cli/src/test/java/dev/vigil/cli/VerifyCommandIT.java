package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.spec.SpecLoader;
import dev.vigil.testing.grafana.GrafanaApiDouble;
import dev.vigil.verify.stack.Expectations;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil verify}'s modes and its answers to bad input. */
class VerifyCommandIT {
  @TempDir Path dir;

  /** A station of Grafana alone, so one test double answers every check. */
  private Path grafanaOnly() throws Exception {
    Path spec = dir.resolve("vigil.yaml");
    Files.writeString(
        spec,
        String.join(
            "\n",
            "apiVersion: vigil.dev/v1",
            "kind: Station",
            "cluster: {name: lab}",
            "components:",
            "  prometheus: {enabled: false}",
            "  alertmanager: {enabled: false}",
            "  loki: {enabled: false}",
            "  alloy: {enabled: false}",
            "  nodeExporter: {enabled: false}",
            "  kubeStateMetrics: {enabled: false}",
            "syslog: {enabled: false}",
            "time: {enabled: false}",
            ""));
    return spec;
  }

  @Test
  void watchRepeatsUntilEveryCheckPasses() throws Exception {
    Path spec = grafanaOnly();
    try (GrafanaApiDouble g =
        GrafanaApiDouble.start().anonymousViewer(true).databaseFailing(true)) {
      for (Dashboard d :
          new Expectations(SpecLoader.load(spec, List.of()).orThrow()).dashboards()) {
        g.dashboard(d.uid(), d.title());
      }
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(
              () ->
                  Vigil.run(
                      new String[] {
                        "verify",
                        "-f",
                        spec.toString(),
                        "--no-kube",
                        "--url",
                        "grafana=" + g.url(),
                        "--watch",
                        "--interval",
                        "1s",
                        "--timeout",
                        "2m"
                      },
                      new PrintWriter(out, true),
                      new PrintWriter(err, true)));
      Awaitility.await("a failing round reported")
          .atMost(java.time.Duration.ofSeconds(30))
          .until(() -> err.toString().contains("round 2: 1 failing"));
      assertThat(run).isNotDone();
      g.databaseFailing(false);
      int code = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(code).as(out + "\n" + err).isZero();
      assertThat(err.toString())
          .contains("round 1: 1 failing, 1 unknown of 2 checks (first: grafana healthy)")
          .contains("every check passes after");
      assertThat(out.toString())
          .contains("grafana     dashboards")
          .contains("Result: PASS (exit 0)");
    }
  }

  @Test
  void anUnreachableClusterLeavesTheComponentsGivenByUrlChecked() throws Exception {
    Path spec = grafanaOnly();
    try (GrafanaApiDouble g = GrafanaApiDouble.start().anonymousViewer(true)) {
      for (Dashboard d :
          new Expectations(SpecLoader.load(spec, List.of()).orThrow()).dashboards()) {
        g.dashboard(d.uid(), d.title());
      }
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code =
          Vigil.run(
              new String[] {
                "verify",
                "-f",
                spec.toString(),
                "--kubeconfig",
                dir.resolve("absent").toString(),
                "--url",
                "grafana=" + g.url()
              },
              new PrintWriter(out, true),
              new PrintWriter(err, true));
      assertThat(code).as(out + "\n" + err).isZero();
      assertThat(out.toString())
          .containsPattern(
              "kubernetes\\s+workloads\\s+UNKNOWN\\s+not checked: cannot read the kubeconfig")
          .containsPattern("grafana\\s+healthy\\s+PASS");
    }
  }

  @Test
  void withoutClusterAndWithoutUrlsNothingCanBeCheckedAndItSaysWhy() throws Exception {
    Path spec = grafanaOnly();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Vigil.run(
            new String[] {"verify", "-f", spec.toString(), "--no-kube"},
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(code).isEqualTo(2);
    assertThat(out.toString())
        .contains("no --url grafana=URL and no cluster to port-forward through (--no-kube)")
        .contains("Result: UNKNOWN (exit 2)");

    int bad =
        Vigil.run(
            new String[] {"verify", "-f", spec.toString(), "--url", "graphana=http://127.0.0.1:1"},
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));
    assertThat(bad).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "--url: unknown component 'graphana'; expected one of prometheus, alertmanager, loki, grafana, syslog");
    int badUrl =
        Vigil.run(
            new String[] {"verify", "-f", spec.toString(), "--url", "grafana=127.0.0.1:3000"},
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(err, true));
    assertThat(badUrl).isEqualTo(2);
    assertThat(err.toString())
        .contains("--url grafana: expected http(s)://host[:port][/path], got '127.0.0.1:3000'");
    assertThat(err.toString()).doesNotContain("\tat ");
  }
}
