package dev.vigil.render.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.render.ComponentOutput;
import dev.vigil.render.RenderContext;
import dev.vigil.render.TestStations;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.render.grafana.dashboard.Datasources;
import dev.vigil.spec.bind.Binder;
import dev.vigil.spec.bind.Bound;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.syslog.SyslogSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyslogGatewayRendererTest {
  private static ComponentOutput render(Station station) {
    RenderContext ctx = TestStations.context(station);
    ComponentOutput out = new ComponentOutput(SyslogGatewayRenderer.NAME);
    new SyslogGatewayRenderer().render(ctx, out);
    return out;
  }

  private static <T> T one(ComponentOutput out, Class<T> type, String name) {
    return out.objects().stream()
        .filter(type::isInstance)
        .filter(o -> o.getMetadata().getName().equals(name))
        .map(type::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  @Test
  void homelabExposesSyslogOnNodePort30514OverUdpAndTcp() {
    Service svc = one(render(TestStations.defaults()), Service.class, "syslog-gateway");
    assertThat(svc.getMetadata().getNamespace()).isEqualTo("infrastructure");
    assertThat(svc.getSpec().getType()).isEqualTo("NodePort");
    List<ServicePort> ports = svc.getSpec().getPorts();
    assertThat(ports).extracting(ServicePort::getProtocol).containsExactly("UDP", "TCP");
    assertThat(ports)
        .allSatisfy(
            p -> {
              assertThat(p.getPort()).isEqualTo(514);
              assertThat(p.getNodePort()).isEqualTo(30514);
            });
    assertThat(ports)
        .extracting(p -> p.getTargetPort().getStrVal())
        .containsExactly("syslog-udp", "syslog-tcp");
  }

  @Test
  void productionReachesDevicesOutsideTheClusterThroughALoadBalancer() {
    // Routers and switches are outside the cluster: a ClusterIP Service would reach none of them.
    Station s = TestStations.with(TestStations.PRODUCTION);
    Service svc = one(render(s), Service.class, "syslog-gateway");
    assertThat(svc.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(svc.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    assertThat(svc.getSpec().getPorts()).allSatisfy(p -> assertThat(p.getNodePort()).isNull());
    Service pinned =
        one(
            render(
                TestStations.with(
                    TestStations.PRODUCTION,
                    "syslog:\n  service: {type: load-balancer, loadBalancerIP: 10.0.0.50}\n")),
            Service.class,
            "syslog-gateway");
    assertThat(pinned.getSpec().getLoadBalancerIP()).isEqualTo("10.0.0.50");
  }

  @Test
  void sendersKeepTheirAddressAndCanBePinnedToANode() {
    // With the Cluster policy every sender would look like a node: sourceTimezones, per-sender
    // metrics and the archive's host directories would stop matching.
    Service svc = one(render(TestStations.defaults()), Service.class, "syslog-gateway");
    assertThat(svc.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    ComponentOutput pinned = render(TestStations.with("syslog:\n  service: {node: masternode}\n"));
    assertThat(
            one(pinned, StatefulSet.class, "syslog-gateway")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getNodeSelector())
        .containsEntry("kubernetes.io/hostname", "masternode");
    Service inside =
        one(
            render(TestStations.with("syslog:\n  service: {type: cluster-ip}\n")),
            Service.class,
            "syslog-gateway");
    assertThat(inside.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(inside.getSpec().getExternalTrafficPolicy()).isNull();
  }

  @Test
  void theAgentRunsHardenedOnUnprivilegedPortsWithHealthProbes() {
    ComponentOutput out = render(TestStations.defaults());
    StatefulSet sts = one(out, StatefulSet.class, "syslog-gateway");
    var pod = sts.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSysctls()).isNullOrEmpty();
    assertThat(pod.getHostNetwork()).isNull();
    Container agent = pod.getContainers().get(0);
    assertThat(agent.getImage()).isEqualTo("ghcr.io/vigil-dev/vigil-agent:0.1.0");
    assertThat(agent.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(agent.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(agent.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(agent.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(agent.getPorts())
        .extracting(p -> p.getName() + "/" + p.getProtocol() + "/" + p.getContainerPort())
        .containsExactly("syslog-udp/UDP/5514", "syslog-tcp/TCP/5514", "http/TCP/9464");
    assertThat(agent.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(agent.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(agent.getArgs())
        .contains("--file=/etc/vigil/vigil.yaml", "--data-dir=/var/lib/vigil", "--http-port=9464");
    // Journal and archive live on the claim; default budgets 1Gi + 10Gi plus a tenth.
    assertThat(sts.getSpec().getVolumeClaimTemplates())
        .singleElement()
        .satisfies(
            pvc ->
                assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString())
                    .isEqualTo("13Gi"));
    assertThat(agent.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("data");
              assertThat(m.getMountPath()).isEqualTo("/var/lib/vigil");
            });
    assertThat(
            one(out, PodDisruptionBudget.class, "syslog-gateway")
                .getSpec()
                .getSelector()
                .getMatchLabels())
        .isEqualTo(sts.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void aSpecPortBelow1024BecomesAnUnprivilegedPortInsideThePod() {
    Station s = TestStations.with("syslog:\n  listen:\n    udpPort: 514\n    tcpPort: 601\n");
    ComponentOutput out = render(s);
    var pod = one(out, StatefulSet.class, "syslog-gateway").getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().get(0).getPorts())
        .extracting(p -> p.getName() + "/" + p.getContainerPort())
        .containsExactly("syslog-udp/5514", "syslog-tcp/5514", "http/9464");
    assertThat(pod.getContainers().get(0).getSecurityContext().getCapabilities().getAdd())
        .isNullOrEmpty();
    String yaml =
        one(out, ConfigMap.class, SyslogGatewayRenderer.CONFIG_MAP).getData().get("vigil.yaml");
    SyslogSpec.Listen listen =
        Binder.bind(Station.class, "vigil.yaml", yaml).orThrow().syslog().listen();
    assertThat(listen.udpPort()).isEqualTo(5514);
    assertThat(listen.tcpPort()).isEqualTo(5514);
    // Devices still send to 514.
    assertThat(one(out, Service.class, "syslog-gateway").getSpec().getPorts())
        .allSatisfy(p -> assertThat(p.getPort()).isEqualTo(514));
  }

  @Test
  void unprivilegedSpecPortsAreKept() {
    Station s = TestStations.with("syslog:\n  listen:\n    udpPort: 1514\n    tcpPort: 1601\n");
    var agent =
        one(render(s), StatefulSet.class, "syslog-gateway")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(agent.getPorts())
        .extracting(p -> p.getName() + "/" + p.getContainerPort())
        .containsExactly("syslog-udp/1514", "syslog-tcp/1601", "http/9464");
  }

  @Test
  void theConfigMapHoldsTheStationsSyslogSectionAndBindsBackToIt() {
    Station s =
        TestStations.with(
            "syslog:\n"
                + "  journal:\n"
                + "    maxSize: 2Gi\n"
                + "    fsync: always\n"
                + "    whenFull: drop-oldest\n"
                + "  parsing:\n"
                + "    sourceTimezones: {10.0.0.1: Europe/Berlin}\n"
                + "    maxFuture: 1h30m\n"
                + "  loki:\n"
                + "    labels: {site: home}\n");
    ConfigMap cm = one(render(s), ConfigMap.class, SyslogGatewayRenderer.CONFIG_MAP);
    String yaml = cm.getData().get("vigil.yaml");
    Bound<Station> bound = Binder.bind(Station.class, "vigil.yaml", yaml);
    assertThat(bound.ok()).as(bound.ok() ? "" : bound.report()).isTrue();
    SyslogSpec rendered = bound.value().syslog();
    SyslogSpec expected = s.syslog();
    // Equal except the Loki URL, which points at this stack's Loki Service.
    assertThat(rendered.loki().url()).isEqualTo("http://loki.monitoring.svc.cluster.local:3100");
    assertThat(rendered).usingRecursiveComparison().ignoringFields("loki.url").isEqualTo(expected);
    assertThat(rendered.journal().fsync()).isEqualTo(SyslogSpec.Fsync.ALWAYS);
    // The gateway pod runs the gateway only.
    assertThat(bound.value().time().enabled()).isFalse();
    assertThat(bound.value().power().enabled()).isFalse();
  }

  @Test
  void anExplicitLokiUrlIsKeptAndEgressFollowsIt() {
    Station s = TestStations.with("syslog:\n  loki:\n    url: https://logs.example.org\n");
    ComponentOutput out = render(s);
    String yaml =
        one(out, ConfigMap.class, SyslogGatewayRenderer.CONFIG_MAP).getData().get("vigil.yaml");
    assertThat(Binder.bind(Station.class, "vigil.yaml", yaml).orThrow().syslog().loki().url())
        .isEqualTo("https://logs.example.org");
    NetworkPolicy np = one(out, NetworkPolicy.class, "syslog-gateway");
    assertThat(np.getSpec().getEgress())
        .anySatisfy(
            e -> {
              assertThat(e.getPorts().get(0).getPort().getIntVal()).isEqualTo(443);
              assertThat(e.getTo()).isNullOrEmpty();
            });
  }

  @Test
  void networkPolicyOpensSyslogToAllMetricsToPrometheusAndEgressToLoki() {
    NetworkPolicy np = one(render(TestStations.defaults()), NetworkPolicy.class, "syslog-gateway");
    var in = np.getSpec().getIngress();
    assertThat(in.get(0).getFrom()).isNullOrEmpty();
    assertThat(in.get(0).getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("UDP/5514", "TCP/5514");
    assertThat(in.get(1).getPorts().get(0).getPort().getIntVal()).isEqualTo(9464);
    assertThat(in.get(1).getFrom().get(0).getPodSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "prometheus");
    assertThat(np.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(np.getSpec().getEgress())
        .anySatisfy(
            e -> {
              assertThat(e.getPorts().get(0).getPort().getIntVal()).isEqualTo(3100);
              assertThat(e.getTo().get(0).getPodSelector().getMatchLabels())
                  .containsEntry("app.kubernetes.io/name", "loki");
            });
  }

  @Test
  void scrapeJobRulesAndDashboardUseTheAgentsMetrics() {
    RenderContext ctx = TestStations.context(TestStations.defaults());
    SyslogGatewayRenderer r = new SyslogGatewayRenderer();
    Map<String, Object> job = r.scrapeJobs(ctx).get(0);
    assertThat(job.get("job_name")).isEqualTo("vigil-agent");
    assertThat(r.ruleFiles(ctx)).containsOnlyKeys("syslog.rules.yaml");
    assertThat(r.ruleFiles(ctx).get("syslog.rules.yaml")).contains("job=\"vigil-agent\"");
    Dashboard d = r.dashboards(ctx).get(0);
    assertThat(d.title()).isEqualTo("Syslog");
    for (Dashboard.Placed p : d.panels()) {
      assertThat(p.panel().datasource().uid()).isEqualTo(Datasources.PROMETHEUS_UID);
      assertThat(p.panel().targets()).allSatisfy(t -> assertThat(t.expr()).isNotBlank());
    }
    assertThat(d.toJson())
        .contains(
            "vigil_syslog_received_total",
            "vigil_syslog_parsed_total",
            "vigil_syslog_parse_errors_total",
            "vigil_syslog_loki_pushed_entries_total",
            "vigil_syslog_loki_dead_lettered_entries_total",
            "vigil_syslog_journal_bytes",
            "vigil_syslog_journal_lag_bytes",
            "vigil_syslog_event_skew_seconds",
            "vigil_syslog_loki_retries_total");
  }

  @Test
  void tlsAddsItsPortAndMountsTheOperatorsSecretWhereTheSpecPoints() {
    Station s =
        TestStations.with(
            "syslog:\n  listen:\n    tls:\n      certFile: /etc/vigil/tls/tls.crt\n"
                + "      keyFile: /etc/vigil/tls/tls.key\n");
    ComponentOutput out = render(s);
    Service svc = one(out, Service.class, "syslog-gateway");
    assertThat(svc.getSpec().getPorts())
        .extracting(p -> p.getName() + "/" + p.getProtocol() + "/" + p.getPort())
        .containsExactly("syslog-udp/UDP/514", "syslog-tcp/TCP/514", "syslog-tls/TCP/6514");
    var pod = one(out, StatefulSet.class, "syslog-gateway").getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("tls");
              assertThat(v.getSecret().getSecretName()).isEqualTo("syslog-gateway-tls");
            });
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("tls");
              assertThat(m.getMountPath()).isEqualTo("/etc/vigil/tls");
              assertThat(m.getReadOnly()).isTrue();
            });
    NetworkPolicy np = one(out, NetworkPolicy.class, "syslog-gateway");
    assertThat(np.getSpec().getIngress().get(0).getPorts())
        .extracting(p -> p.getProtocol() + "/" + p.getPort().getIntVal())
        .containsExactly("UDP/5514", "TCP/5514", "TCP/6514");
    // The Secret itself is the operator's: nothing secret is rendered.
    assertThat(out.objects()).noneMatch(o -> o.getKind().equals("Secret"));
  }

  @Test
  void disabledGatewayRendersNothing() {
    Station s = TestStations.with("syslog:\n  enabled: false\n");
    assertThat(new SyslogGatewayRenderer().enabled(s)).isFalse();
  }
}
