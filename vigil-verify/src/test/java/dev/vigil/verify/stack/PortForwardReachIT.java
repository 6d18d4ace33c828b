package dev.vigil.verify.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.apply.Kinds;
import dev.vigil.apply.ObjectRef;
import dev.vigil.apply.kube.ClusterTarget;
import dev.vigil.apply.kube.KubeApi;
import dev.vigil.render.grafana.ProvisionedDatasource;
import dev.vigil.testing.grafana.GrafanaApiDouble;
import dev.vigil.testing.loki.LokiProtocolReceiver;
import dev.vigil.verify.Check;
import dev.vigil.verify.Verdict;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Without --url, each component is reached by a port-forward through the API server to the Service
 * (or, for Alertmanager, each replica's pod) the render names, on the port it renders. The forwards
 * here lead to the test doubles, so the checks behind them run for real.
 */
class PortForwardReachIT {
  /**
   * An API server that knows no objects and forwards ports to loopback addresses set by the test.
   */
  static final class ForwardingKube implements KubeApi {
    final Map<String, String> to;
    final List<String> forwards = new ArrayList<>();

    ForwardingKube(Map<String, String> to) {
      this.to = to;
    }

    @Override
    public ClusterTarget target() {
      return new ClusterTarget("lab", "https://192.0.2.1:6443", "");
    }

    @Override
    public String serverVersion() {
      return "v1.31.0";
    }

    @Override
    public Optional<GenericKubernetesResource> get(ObjectRef ref) {
      return Optional.empty();
    }

    @Override
    public List<GenericKubernetesResource> list(
        Kinds.Kind kind, String namespace, Map<String, String> labels) {
      return List.of();
    }

    @Override
    public GenericKubernetesResource apply(HasMetadata object, boolean dryRun, boolean force) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void delete(ObjectRef ref) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean serves(String apiVersion, String kind) {
      return false;
    }

    @Override
    public Optional<Set<String>> secretKeys(String namespace, String name) {
      return Optional.empty();
    }

    @Override
    public Optional<String> secretValue(String namespace, String name, String key) {
      return Optional.empty();
    }

    @Override
    public boolean allowed(String verb, String group, String resource, String namespace) {
      return true;
    }

    @Override
    public String log(
        String namespace, String pod, String container, boolean previous, int tailLines) {
      return "";
    }

    @Override
    public Forward forward(String namespace, String kind, String name, int port)
        throws dev.vigil.apply.kube.KubeException {
      String id = kind + " " + namespace + "/" + name + ":" + port;
      forwards.add(id);
      String url = to.get(id);
      if (url == null) {
        throw new dev.vigil.apply.kube.KubeException(
            dev.vigil.apply.kube.KubeException.Reason.NOT_FOUND,
            404,
            "port-forward to " + id + ": not found");
      }
      int local = URI.create(url).getPort();
      return new Forward() {
        @Override
        public int localPort() {
          return local;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public void close() {}
  }

  @Test
  void componentsAreReachedThroughTheServicesAndPodsTheRenderNames() throws Exception {
    Expectations ex = new Expectations(Stations.load("production"));
    try (GrafanaApiDouble grafana = GrafanaApiDouble.start().anonymousViewer(true);
        LokiProtocolReceiver loki = LokiProtocolReceiver.start(0)) {
      for (ProvisionedDatasource d : ex.datasources()) {
        grafana.datasource(d.ref().uid(), d.displayName(), d.ref().type(), true, "ok");
      }
      ex.dashboards().forEach(d -> grafana.dashboard(d.uid(), d.title()));
      loki.multiTenant(true);
      ForwardingKube kube =
          new ForwardingKube(
              Map.of(
                  "service monitoring/grafana:3000", grafana.url(),
                  "service monitoring/loki:3100", loki.url()));
      List<Check> checks;
      try (Reach reach = new Reach(Map.of(), kube, "")) {
        StackVerifier.Options o =
            new StackVerifier.Options(
                Duration.ofSeconds(3),
                Duration.ofMinutes(15),
                Duration.ofSeconds(2),
                Map.of(),
                false,
                1);
        checks =
            StackVerifier.verify(
                ex, reach, kube, "", o, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()));
      }
      assertThat(kube.forwards)
          .contains(
              "service monitoring/prometheus:9090",
              // Each replica on its own: only the replicas can tell whether they see each other.
              "pod monitoring/alertmanager-0:9093",
              "service monitoring/loki:3100",
              "pod infrastructure/syslog-gateway-0:5514",
              "service monitoring/grafana:3000");
      // The API server here knows no objects: the cluster checks fail, Grafana's own pass through
      // the tunnel.
      assertThat(checks)
          .filteredOn(c -> c.target().equals("grafana") && !c.check().contains("/"))
          .extracting(Check::check)
          .contains("healthy", "dashboards");
      assertThat(checks)
          .filteredOn(c -> c.target().equals("grafana") && !c.check().contains("/"))
          .extracting(Check::verdict)
          .containsOnly(Verdict.PASS);
      assertThat(checks)
          .filteredOn(c -> c.check().equals("StatefulSet monitoring/grafana"))
          .extracting(Check::verdict)
          .containsExactly(Verdict.FAIL);
      // The production Loki is multi-tenant: it was asked as the station's tenant.
      assertThat(checks)
          .filteredOn(c -> c.target().equals("loki") && c.check().equals("ready"))
          .extracting(Check::verdict)
          .containsExactly(Verdict.PASS);
      assertThat(loki.queries()).isNotEmpty();
      Check prom =
          checks.stream()
              .filter(c -> c.target().equals("prometheus") && c.check().equals("reachable"))
              .findFirst()
              .orElseThrow();
      assertThat(prom.verdict()).isEqualTo(Verdict.UNKNOWN);
      assertThat(prom.detail())
          .contains("port-forward to service monitoring/prometheus:9090 failed");
    }
  }
}
