package dev.vigil.render.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.Rendered;
import dev.vigil.render.TestStations;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusRendererTest {
  private static Rendered homelab() {
    return Rendered.of(new PrometheusRenderer(), TestStations.defaults());
  }

  private static Rendered production() {
    return Rendered.of(new PrometheusRenderer(), TestStations.with(TestStations.PRODUCTION));
  }

  private static Container prometheus(Rendered r) {
    return Rendered.container(
        r.one(StatefulSet.class, "prometheus").getSpec().getTemplate().getSpec().getContainers(),
        "prometheus");
  }

  private static JsonNode config(Rendered r) {
    return r.yaml("prometheus-config", "prometheus.yml");
  }

  @Test
  void oneReplicaInHomelabTwoInProductionEachWithItsReplicaLabel() {
    assertThat(homelab().one(StatefulSet.class, "prometheus").getSpec().getReplicas()).isEqualTo(1);
    assertThat(config(homelab()).path("global").path("external_labels").has("prometheus_replica"))
        .isFalse();
    Rendered prod = production();
    assertThat(prod.one(StatefulSet.class, "prometheus").getSpec().getReplicas()).isEqualTo(2);
    JsonNode cfg = config(prod);
    assertThat(cfg.path("global").path("external_labels").path("prometheus_replica").asText())
        .isEqualTo("${POD_NAME}");
    // Alertmanager deduplicates the replicas' alerts only without the replica label.
    assertThat(cfg.path("alerting").path("alert_relabel_configs").get(0).path("regex").asText())
        .isEqualTo("prometheus_replica");
  }

  @Test
  void retentionFitsTheVolumeWithRoomForTheWal() {
    List<String> args =
        prometheus(
                Rendered.of(
                    new PrometheusRenderer(),
                    TestStations.with(
                        "components:\n  prometheus:\n    storage: {size: 20Gi}\n    retention: {time: 15d}\n")))
            .getArgs();
    assertThat(args)
        .contains("--storage.tsdb.retention.time=2w1d", "--storage.tsdb.retention.size=18432MB");
  }

  @Test
  void noLifecycleApiTheReloaderSignalsInstead() {
    StatefulSet sts = homelab().one(StatefulSet.class, "prometheus");
    assertThat(prometheus(homelab()).getArgs())
        .noneMatch(
            a -> a.startsWith("--web.enable-lifecycle") || a.startsWith("--web.enable-admin-api"));
    Container reloader =
        Rendered.container(
            sts.getSpec().getTemplate().getSpec().getContainers(), "config-reloader");
    assertThat(reloader.getArgs())
        .contains("--reload-method=signal", "--process-executable-name=prometheus")
        .noneMatch(a -> a.startsWith("--reload-url"));
    assertThat(sts.getSpec().getTemplate().getSpec().getShareProcessNamespace()).isTrue();
    // Signalling needs the same user in both containers.
    assertThat(sts.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
        .isEqualTo(65534L);
  }

  @Test
  void scrapesEveryEnabledComponentsJobsByNameThenTheSpecsOwn() {
    JsonNode cfg =
        config(
            Rendered.of(
                new PrometheusRenderer(),
                TestStations.with(
                    "components:\n  prometheus:\n    extraScrapeTargets:\n"
                        + "      - {name: zz-router, targets: ['10.0.0.1:9100']}\n"
                        + "      - {name: aa-nas, targets: ['10.0.0.2:9100']}\n")));
    List<String> jobs = new ArrayList<>();
    cfg.path("scrape_configs").forEach(j -> jobs.add(j.path("job_name").asText()));
    assertThat(jobs.subList(0, jobs.size() - 2))
        .isSorted()
        .contains("apiserver", "kubelet", "node-exporter", "prometheus", "vigil-agent-host");
    assertThat(jobs.subList(jobs.size() - 2, jobs.size())).containsExactly("zz-router", "aa-nas");
  }

  @Test
  void aFederationJobKeepsTheOtherClustersLabelsAndNamesTheCluster() {
    JsonNode cfg =
        config(
            Rendered.of(
                new PrometheusRenderer(),
                TestStations.with(
                    "components:\n  prometheus:\n    extraScrapeTargets:\n      - name: rke2\n"
                        + "        targets: ['192.168.4.62:30090']\n        federate: ['{job=~\".+\"}']\n        cluster: rke2\n")));
    JsonNode job = null;
    for (JsonNode j : cfg.path("scrape_configs")) {
      if (j.path("job_name").asText().equals("rke2")) {
        job = j;
      }
    }
    assertThat(job).isNotNull();
    assertThat(job.path("honor_labels").asBoolean()).isTrue();
    assertThat(job.path("metrics_path").asText()).isEqualTo("/federate");
    assertThat(job.path("static_configs").get(0).path("labels").path("cluster").asText())
        .isEqualTo("rke2");
  }

  @Test
  void homelabWebPortIsOpenThroughTheNodePortProductionOnlyFromTheIngressController() {
    NetworkPolicy home = homelab().one(NetworkPolicy.class, "prometheus");
    assertThat(home.getSpec().getIngress())
        .anyMatch(
            r ->
                r.getFrom().isEmpty()
                    && r.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 9090));
    assertThat(homelab().has(Ingress.class, "prometheus")).isFalse();
    Rendered prod = production();
    NetworkPolicy np = prod.one(NetworkPolicy.class, "prometheus");
    assertThat(np.getSpec().getIngress()).noneMatch(r -> r.getFrom().isEmpty());
    assertThat(np.getSpec().getIngress())
        .anyMatch(
            r ->
                r.getFrom().stream()
                    .anyMatch(
                        f ->
                            f.getNamespaceSelector() != null
                                && "ingress-nginx"
                                    .equals(
                                        f.getNamespaceSelector()
                                            .getMatchLabels()
                                            .get("kubernetes.io/metadata.name"))));
    // The reloader's port is never open.
    assertThat(np.getSpec().getIngress())
        .allSatisfy(
            r ->
                assertThat(r.getPorts())
                    .noneMatch(p -> Integer.valueOf(8080).equals(p.getPort().getIntVal())));
    Ingress ing = prod.one(Ingress.class, "prometheus");
    assertThat(ing.getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/auth-type", "basic")
        .containsEntry("nginx.ingress.kubernetes.io/auth-secret", "monitoring-htpasswd");
    assertThat(prometheus(prod).getArgs())
        .contains("--web.external-url=https://prometheus.example.org/");
  }

  @Test
  void notExposedMeansNoNodePortNoIngressAndNoOutsideRule() {
    Rendered r =
        Rendered.of(
            new PrometheusRenderer(),
            TestStations.with("components:\n  prometheus:\n    access: {expose: false}\n"));
    assertThat(r.one(Service.class, "prometheus").getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(r.one(NetworkPolicy.class, "prometheus").getSpec().getIngress())
        .noneMatch(rule -> rule.getFrom().isEmpty());
  }

  @Test
  void writeReceiversOnlyForTheirWritersAndOnlyFromThem() {
    assertThat(prometheus(homelab()).getArgs()).noneMatch(a -> a.contains("receiver"));
    Rendered r = Rendered.of(new PrometheusRenderer(), TestStations.with(TestStations.TRACES));
    assertThat(prometheus(r).getArgs())
        .contains("--web.enable-otlp-receiver", "--web.enable-remote-write-receiver");
    NetworkPolicy np = r.one(NetworkPolicy.class, "prometheus");
    List<String> peers = new ArrayList<>();
    np.getSpec()
        .getIngress()
        .get(0)
        .getFrom()
        .forEach(p -> peers.add(p.getPodSelector().getMatchLabels().get("app.kubernetes.io/name")));
    assertThat(peers).containsExactly("grafana", "prometheus", "otel-collector", "tempo");
    // Without the metrics generator, Tempo neither writes nor gets the receiver.
    Rendered quiet =
        Rendered.of(
            new PrometheusRenderer(),
            TestStations.with(
                TestStations.TRACES, "components:\n  tempo: {metricsGenerator: false}\n"));
    assertThat(prometheus(quiet).getArgs()).doesNotContain("--web.enable-remote-write-receiver");
  }

  /** Authenticated people may read through the Ingress, never write (ADR 0301). */
  @Test
  void theIngressRoutesTheWritePathsToAServiceWithoutEndpoints() {
    Rendered r =
        Rendered.of(
            new PrometheusRenderer(),
            TestStations.with(TestStations.PRODUCTION, TestStations.TRACES));
    Ingress ingress = r.one(Ingress.class, "prometheus");
    var paths = ingress.getSpec().getRules().get(0).getHttp().getPaths();
    assertThat(paths)
        .extracting(p -> p.getPath() + " -> " + p.getBackend().getService().getName())
        .containsExactly(
            "/api/v1/otlp -> prometheus-writes-refused",
            "/api/v1/write -> prometheus-writes-refused",
            "/ -> prometheus");
    Service refused = r.one(Service.class, "prometheus-writes-refused");
    assertThat(refused.getSpec().getSelector()).isNullOrEmpty();
    // Without a writer, nothing changes.
    assertThat(production().has(Service.class, "prometheus-writes-refused")).isFalse();
    assertThat(
            production()
                .one(Ingress.class, "prometheus")
                .getSpec()
                .getRules()
                .get(0)
                .getHttp()
                .getPaths())
        .hasSize(1);
  }
}
