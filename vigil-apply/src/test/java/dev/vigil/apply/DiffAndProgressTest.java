package dev.vigil.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiffAndProgressTest {
  @Test
  void diffShowsWhatTheServerWouldChangeAndExitsOneWhenSomethingWould() throws Exception {
    FakeKube kube = new FakeKube();
    Station s = Stations.load("default");
    Plan plan = Stations.plan(s);
    for (Plan.Step step : plan.steps()) {
      kube.put(step.object());
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertThat(Deploy.diff(s, plan, kube, new PrintWriter(out), new PrintWriter(err)))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).startsWith("No differences: " + plan.size() + " unchanged");

    ConfigMap live =
        (ConfigMap)
            plan.steps().stream()
                .map(Plan.Step::object)
                .filter(o -> o.getMetadata().getName().equals("alertmanager-config"))
                .findFirst()
                .orElseThrow();
    String yml = live.getData().get("alertmanager.yml");
    kube.put(
        new ConfigMapBuilder(live)
            .withData(
                java.util.Map.of(
                    "alertmanager.yml", yml.replace("repeat_interval: 4h", "repeat_interval: 1h")))
            .build());
    out.getBuffer().setLength(0);
    int before = kube.objects.size();
    assertThat(Deploy.diff(s, plan, kube, new PrintWriter(out), new PrintWriter(err)))
        .isEqualTo(Deploy.NOT_READY);
    assertThat(out.toString())
        .contains(
            "--- live ConfigMap monitoring/alertmanager-config\n+++ applied ConfigMap monitoring/alertmanager-config (server dry run)\n")
        .contains("-      repeat_interval: 1h\n+      repeat_interval: 4h\n")
        .contains(
            "1 of " + plan.size() + " objects would change; " + (plan.size() - 1) + " unchanged");
    assertThat(kube.objects).hasSize(before);
    assertThat(kube.writes).allMatch(FakeKube.Write::dryRun);
  }

  @Test
  void anObjectReadBackFromTheServerEqualsTheRenderedOneItCameFrom() throws Exception {
    // The typed model holds fsGroup and the like as longs; a parsed answer holds small numbers as
    // ints and leaves out nulls. Neither is a change.
    for (Plan.Step step : Stations.plan(Stations.load("production")).steps()) {
      String json = FakeKube.JSON.asJson(step.object());
      var readBack =
          FakeKube.JSON.unmarshal(
              json, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class);
      assertThat(Normalized.of(readBack))
          .as(step.ref().toString())
          .isEqualTo(Normalized.of(step.object()));
    }
  }

  @Test
  void theTerminalViewRedrawsOneLinePerComponentWithBars() {
    StringWriter out = new StringWriter();
    Progress p = ProgressLines.terminal(new PrintWriter(out), 100);
    List<ComponentState> first =
        List.of(
            new ComponentState(
                "prometheus",
                false,
                false,
                1,
                2,
                "StatefulSet prometheus: 1 of 2 pods ready",
                null),
            new ComponentState("node-exporter", true, false, 3, 3, "", Duration.ofSeconds(4)));
    p.update(first, Duration.ofSeconds(5));
    p.finish(
        List.of(
            new ComponentState("prometheus", true, false, 2, 2, "", Duration.ofSeconds(9)),
            first.get(1)),
        Duration.ofSeconds(9));
    String text = out.toString();
    assertThat(text)
        .contains(
            "\033[2K\r  prometheus     [======      ] 1/2  waiting  StatefulSet prometheus: 1 of 2 pods ready\n")
        .contains("  node-exporter  [============] 3/3  ready after 4s\n")
        .contains("  1 of 2 components ready, 5s elapsed")
        // The second drawing moves up over the first: two components and the footer.
        .contains("\033[3A")
        .contains("  prometheus     [============] 2/2  ready after 9s\n");
  }

  @Test
  void thePlainViewWritesALineOnlyWhenAComponentChanges() {
    StringWriter out = new StringWriter();
    Progress p = ProgressLines.plain(new PrintWriter(out));
    ComponentState waiting =
        new ComponentState("loki", false, false, 0, 1, "StatefulSet loki: 0 of 1 pods ready", null);
    p.update(List.of(waiting), Duration.ofSeconds(2));
    p.update(List.of(waiting), Duration.ofSeconds(4));
    p.finish(
        List.of(new ComponentState("loki", true, false, 1, 1, "", Duration.ofSeconds(6))),
        Duration.ofSeconds(6));
    assertThat(out.toString())
        .isEqualTo(
            "[2s] loki: waiting 0/1 - StatefulSet loki: 0 of 1 pods ready\n"
                + "[6s] loki: ready 1/1 after 6s\n")
        .doesNotContain("\033");
  }

  @Test
  void secretsComeFromTheSpecAndTheObjectsIncludingTheIngressBasicAuthSecret() throws Exception {
    Station s =
        Stations.load(
            "production",
            String.join(
                "\n",
                "exposure:",
                "  ingress:",
                "    auth:",
                "      oauth2ProxyUrl: null",
                "      basicAuthSecret: monitoring-htpasswd",
                ""));
    Plan plan = Stations.plan(s);
    List<SecretNeeds.Need> needs = SecretNeeds.of(s, plan);
    assertThat(needs)
        .extracting(n -> n.namespace() + "/" + n.name() + " " + n.keys())
        .containsExactlyInAnyOrder(
            "monitoring/alertmanager-receivers [pagerduty-routing-key, slack-webhook-url, smtp-password]",
            "monitoring/grafana-oidc [client-secret]",
            "monitoring/monitoring-htpasswd [auth]");
    SecretNeeds.Need auth =
        needs.stream()
            .filter(n -> n.name().equals("monitoring-htpasswd"))
            .findFirst()
            .orElseThrow();
    assertThat(auth.usedBy())
        .contains(
            "Ingress monitoring/prometheus",
            "Ingress monitoring/loki",
            "Ingress monitoring/alertmanager");
    assertThat(auth.createCommand())
        .isEqualTo(
            "kubectl -n monitoring create secret generic monitoring-htpasswd --from-file=auth=./auth");
    // A deploy of Prometheus alone needs none of Grafana's.
    assertThat(
            SecretNeeds.of(
                s, Stations.plan(s, java.util.Set.of("prometheus"), java.util.Set.of(), false)))
        .extracting(SecretNeeds.Need::name)
        .containsExactly("monitoring-htpasswd");
  }

  @Test
  void objectsOwnedByAControllerAreNeverPruned() throws Exception {
    Station s = Stations.load("default");
    Plan plan = Stations.plan(s);
    HasMetadata owned =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withNamespace("monitoring")
            .withName("generated")
            .withLabels(Pruner.stationLabels("vmstation"))
            .addNewOwnerReference()
            .withKind("StatefulSet")
            .withName("x")
            .withApiVersion("apps/v1")
            .withUid("u")
            .endOwnerReference()
            .endMetadata()
            .build();
    HasMetadata orphan =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withNamespace("monitoring")
            .withName("orphan")
            .withLabels(Pruner.stationLabels("vmstation"))
            .endMetadata()
            .build();
    var live =
        List.of(
            FakeKube.JSON.convertValue(
                owned, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class),
            FakeKube.JSON.convertValue(
                orphan, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class));
    assertThat(Pruner.select(live, plan)).extracting(c -> c.ref().name()).containsExactly("orphan");
  }
}
