package dev.vigil.render.chrony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.render.ComponentOutput;
import dev.vigil.render.RenderContext;
import dev.vigil.render.TestStations;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.Datasources;
import dev.vigil.render.grafana.dashboard.Thresholds;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChronyRendererTest {
  private static ComponentOutput render(Station station) {
    RenderContext ctx = TestStations.context(station);
    ComponentOutput out = new ComponentOutput(ChronyRenderer.NAME);
    new ChronyRenderer().render(ctx, out);
    return out;
  }

  private static <T> List<T> objects(ComponentOutput out, Class<T> type) {
    return out.objects().stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static DaemonSet daemonSet(ComponentOutput out, String name) {
    return objects(out, DaemonSet.class).stream()
        .filter(d -> d.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no DaemonSet " + name));
  }

  private static String config(ComponentOutput out, String name) {
    return objects(out, ConfigMap.class).stream()
        .filter(c -> c.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ConfigMap " + name))
        .getData()
        .get("chrony.conf");
  }

  private static Container container(DaemonSet ds, String name) {
    return ds.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void controlPlaneFollowsUpstreamAndTheOtherNodesFollowTheControlPlane() {
    ComponentOutput out = render(TestStations.defaults());
    assertThat(objects(out, DaemonSet.class))
        .extracting(d -> d.getMetadata().getName())
        .containsExactly("chrony-upstream", "chrony-cluster");

    String upstream = config(out, "chrony-upstream");
    assertThat(upstream)
        .contains("server time.cloudflare.com iburst\n", "server 0.pool.ntp.org iburst\n")
        .doesNotContain("server 192.168.4.63");
    String cluster = config(out, "chrony-cluster");
    assertThat(cluster.lines().filter(l -> l.startsWith("server ")).toList())
        .containsExactly("server 192.168.4.63 iburst");
    for (String conf : List.of(upstream, cluster)) {
      assertThat(conf.lines().toList())
          .contains(
              "rtcsync",
              "makestep 1 3",
              "allow 192.168.4.0/24",
              "cmdport 323",
              "driftfile /var/lib/chrony/chrony.drift");
    }

    NodeSelectorRequirement onCp = placement(daemonSet(out, "chrony-upstream"));
    assertThat(onCp.getKey()).isEqualTo("kubernetes.io/hostname");
    assertThat(onCp.getOperator()).isEqualTo("In");
    assertThat(onCp.getValues()).containsExactly("masternode");
    NodeSelectorRequirement elsewhere = placement(daemonSet(out, "chrony-cluster"));
    assertThat(elsewhere.getOperator()).isEqualTo("NotIn");
    assertThat(elsewhere.getValues()).containsExactly("masternode");
  }

  private static NodeSelectorRequirement placement(DaemonSet ds) {
    var terms =
        ds.getSpec()
            .getTemplate()
            .getSpec()
            .getAffinity()
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    assertThat(terms).hasSize(1);
    assertThat(terms.get(0).getMatchExpressions()).hasSize(1);
    return terms.get(0).getMatchExpressions().get(0);
  }

  @Test
  void eachDaemonSetSelectsOnlyItsOwnTier() {
    ComponentOutput out = render(TestStations.defaults());
    Map<String, String> a =
        daemonSet(out, "chrony-upstream").getSpec().getSelector().getMatchLabels();
    Map<String, String> b =
        daemonSet(out, "chrony-cluster").getSpec().getSelector().getMatchLabels();
    assertThat(a).containsEntry(ChronyRenderer.TIER_LABEL, "upstream");
    assertThat(b).containsEntry(ChronyRenderer.TIER_LABEL, "cluster");
    for (DaemonSet ds : objects(out, DaemonSet.class)) {
      assertThat(ds.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(ds.getSpec().getSelector().getMatchLabels());
    }
  }

  @Test
  void chronydGetsTheClockCapabilityAndNothingBeyondServingPort123() {
    for (DaemonSet ds : objects(render(TestStations.defaults()), DaemonSet.class)) {
      var pod = ds.getSpec().getTemplate().getSpec();
      assertThat(pod.getHostNetwork()).isTrue();
      Container chronyd = container(ds, "chronyd");
      var sc = chronyd.getSecurityContext();
      assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
      // SYS_TIME sets the clock; NET_BIND_SERVICE (allowed even by PSS "restricted") binds UDP 123.
      assertThat(sc.getCapabilities().getAdd())
          .containsExactlyInAnyOrder("SYS_TIME", "NET_BIND_SERVICE");
      assertThat(sc.getPrivileged()).isFalse();
      assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
      assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
      assertThat(chronyd.getArgs()).containsSequence("-f", "/etc/chrony/vigil/chrony.conf");

      Container exporter = container(ds, "exporter");
      assertThat(exporter.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(exporter.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
      assertThat(exporter.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(exporter.getArgs())
          .contains("--collector.sources", "--chrony.address=127.0.0.1:323");

      Map<String, String> annotations = ds.getMetadata().getAnnotations();
      assertThat(annotations.get(ComponentObjects.IGNORE).split(","))
          .contains("pss-capabilities-baseline", "pss-host-namespaces", "pss-run-as-non-root");
      assertThat(annotations.get(ComponentObjects.IGNORE_REASON))
          .contains("SYS_TIME")
          .contains("NET_BIND_SERVICE");
    }
  }

  @Test
  void flatHierarchyRunsTheUpstreamTierEverywhere() {
    ComponentOutput out = render(TestStations.with("time:\n  hierarchy: flat\n"));
    assertThat(objects(out, DaemonSet.class)).hasSize(1);
    DaemonSet ds = objects(out, DaemonSet.class).get(0);
    assertThat(ds.getMetadata().getName()).isEqualTo("chrony-upstream");
    assertThat(ds.getSpec().getTemplate().getSpec().getAffinity()).isNull();
  }

  @Test
  void configuredUpstreamServersReplaceTheDefaultSet() {
    ComponentOutput out =
        render(TestStations.with("time:\n  upstream: [ntp1.example.org, '10.0.0.5:1123']\n"));
    String upstream = config(out, "chrony-upstream");
    assertThat(upstream.lines().filter(l -> l.startsWith("server ")).toList())
        .containsExactly("server ntp1.example.org iburst", "server 10.0.0.5 port 1123 iburst");
  }

  @Test
  void serverLinesRejectWhatChronyCouldNotRead() {
    assertThat(ChronyConfig.serverLine("[2001:db8::1]:123"))
        .isEqualTo("server 2001:db8::1 port 123 iburst");
    assertThat(ChronyConfig.serverLine("2001:db8::1")).isEqualTo("server 2001:db8::1 iburst");
    assertThatThrownBy(() -> ChronyConfig.serverLine("a b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChronyConfig.serverLine("host:ntp"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void allowedSubnetsAreTheNodeSubnets() {
    assertThat(ChronyConfig.subnet("192.168.4.63")).isEqualTo("192.168.4.0/24");
    assertThat(ChronyConfig.subnet("2001:db8:1:2::5")).isEqualTo("2001:db8:1:2::/64");
    assertThat(ChronyConfig.allowedSubnets(TestStations.defaults().nodes()))
        .containsExactly("192.168.4.0/24");
  }

  @Test
  void networkPolicyOpensNtpToTheNodeSubnetsAndTheExporterToPrometheus() {
    NetworkPolicy np = objects(render(TestStations.defaults()), NetworkPolicy.class).get(0);
    var ingress = np.getSpec().getIngress();
    assertThat(ingress).hasSize(2);
    assertThat(ingress.get(0).getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getProtocol()).isEqualTo("UDP");
              assertThat(p.getPort().getIntVal()).isEqualTo(123);
            });
    assertThat(ingress.get(0).getFrom())
        .singleElement()
        .satisfies(peer -> assertThat(peer.getIpBlock().getCidr()).isEqualTo("192.168.4.0/24"));
    assertThat(ingress.get(1).getPorts().get(0).getPort().getIntVal())
        .isEqualTo(ChronyRenderer.EXPORTER_PORT);
    assertThat(ingress.get(1).getFrom().get(0).getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "prometheus");
  }

  @Test
  void exporterIsScrapedPerNode() {
    RenderContext ctx = TestStations.context(TestStations.defaults());
    List<Map<String, Object>> jobs = new ChronyRenderer().scrapeJobs(ctx);
    assertThat(jobs)
        .singleElement()
        .satisfies(
            j -> {
              assertThat(j.get("job_name")).isEqualTo("chrony-exporter");
              assertThat(String.valueOf(j.get("relabel_configs")))
                  .contains("target_label=instance")
                  .contains("__meta_kubernetes_pod_node_name");
              assertThat(String.valueOf(j.get("kubernetes_sd_configs"))).contains("infrastructure");
            });
  }

  @Test
  void ruleFileCarriesTheSpecThresholds() {
    Station s =
        TestStations.with(
            "time:\n  thresholds:\n    offsetWarning: 50ms\n    offsetCritical: 500ms\n");
    Map<String, String> files = new ChronyRenderer().ruleFiles(TestStations.context(s));
    assertThat(files).containsOnlyKeys("time.rules.yaml");
    assertThat(files.get("time.rules.yaml"))
        .contains("abs(chrony_tracking_system_time_seconds{cluster=\"\"}) > 0.05")
        .contains("abs(chrony_tracking_system_time_seconds{cluster=\"\"}) > 0.5")
        .doesNotContain("> 0.1\n");
  }

  @Test
  void timeSyncDashboardQueriesPrometheusWithTheSpecThresholds() {
    Station s =
        TestStations.with(
            "time:\n  thresholds:\n    offsetWarning: 20ms\n    offsetCritical: 2s\n");
    List<Dashboard> dashboards = new ChronyRenderer().dashboards(TestStations.context(s));
    assertThat(dashboards)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.title()).isEqualTo("Time sync");
              assertThat(d.panels()).isNotEmpty();
              for (Dashboard.Placed p : d.panels()) {
                assertThat(p.panel().datasource().uid())
                    .isIn(Datasources.PROMETHEUS_UID, Datasources.LOKI_UID);
                assertThat(p.panel().targets()).allSatisfy(t -> assertThat(t.expr()).isNotBlank());
              }
              var offset =
                  d.panels().stream()
                      .filter(p -> p.panel().title().startsWith("Offset per node"))
                      .findFirst()
                      .orElseThrow();
              assertThat(offset.panel().thresholds().steps())
                  .extracting(Thresholds.Step::value)
                  .containsExactly(null, 0.02, 2.0);
              String json = d.toJson();
              assertThat(json)
                  .contains(
                      "node_timex_sync_status",
                      "node_timex_offset_seconds",
                      "vigil_syslog_event_skew_seconds",
                      "vigil_time_offset_seconds{role=\\\"peer\\\",cluster=\\\"\\\"}",
                      "chrony_tracking_stratum");
            });
  }
}
