package dev.vigil.render.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.TestStations;
import dev.vigil.render.live.LivePrometheus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered pod job of watch.namespaces in a real Prometheus. Debian's Prometheus is built
 * without Kubernetes discovery, so the job's discovery is replaced by static targets carrying the
 * __meta_kubernetes_* labels Kubernetes discovery gives pods; everything after discovery (the
 * rendered relabelling: which pods are kept, where they are scraped, which labels they get) is the
 * rendered job's, evaluated by Prometheus against a real HTTP endpoint on loopback.
 */
class WatchedNamespacesIT {
  @TempDir static Path dir;

  private static HttpServer app;
  private static LivePrometheus prometheus;

  @BeforeAll
  static void start() throws Exception {
    app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    byte[] body =
        "# TYPE shop_orders_total counter\nshop_orders_total 7\n".getBytes(StandardCharsets.UTF_8);
    for (String path : List.of("/metrics", "/custom/metrics")) {
      app.createContext(
          path,
          exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
    }
    app.start();
    int port = app.getAddress().getPort();

    RenderedStack stack =
        new StackRenderer()
            .render(
                TestStations.with(
                    "watch:\n  namespaces:\n"
                        + "    - {name: odoo, labels: {team: erp, environment: 'poc$1'}}\n"
                        + "    - {name: keycloak}\n"));
    Map<String, Object> job =
        new LinkedHashMap<>(
            stack.contributions().scrapeJobs().get("kubernetes").stream()
                .filter(j -> j.get("job_name").equals("kubernetes-pods"))
                .findFirst()
                .orElseThrow());
    job.remove("kubernetes_sd_configs");
    job.put("scrape_interval", "1s");
    job.put(
        "static_configs",
        List.of(
            // Annotated, with a path and a port other than the container's: scraped there.
            pod(
                "odoo",
                "shop-0",
                "Running",
                Map.of("scrape", "true", "port", String.valueOf(port), "path", "/custom/metrics")),
            // Annotated, the container's own port and the default path.
            Map.of(
                "targets",
                List.of("127.0.0.1:" + port),
                "labels",
                meta("keycloak", "keycloak-0", "Running", Map.of("scrape", "true"))),
            // Not annotated, and annotated but not running: neither is scraped.
            pod("keycloak", "keycloak-1", "Running", Map.of()),
            pod(
                "keycloak",
                "keycloak-2",
                "Pending",
                Map.of("scrape", "true", "port", String.valueOf(port)))));
    prometheus = LivePrometheus.start(dir, Map.of(), List.of(job));
  }

  private static Map<String, Object> pod(
      String namespace, String name, String phase, Map<String, String> annotations) {
    // Kubernetes discovery's address: the pod IP and the container port; the port annotation
    // replaces the port.
    return Map.of(
        "targets", List.of("127.0.0.1:1"), "labels", meta(namespace, name, phase, annotations));
  }

  private static Map<String, String> meta(
      String namespace, String name, String phase, Map<String, String> annotations) {
    Map<String, String> m = new TreeMap<>();
    m.put("__meta_kubernetes_namespace", namespace);
    m.put("__meta_kubernetes_pod_name", name);
    m.put("__meta_kubernetes_pod_node_name", "node-a");
    m.put("__meta_kubernetes_pod_phase", phase);
    annotations.forEach((k, v) -> m.put("__meta_kubernetes_pod_annotation_prometheus_io_" + k, v));
    return m;
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (app != null) {
      app.stop(0);
    }
  }

  @Test
  void annotatedRunningPodsAreScrapedWithTheirNamespacesLabelsAndNoOthers() throws Exception {
    List<JsonNode> series =
        Awaitility.await("both annotated running pods scraped")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> prometheus.query("shop_orders_total{job=\"kubernetes-pods\"}"),
                r -> r.size() == 2);
    Map<String, JsonNode> byPod = new TreeMap<>();
    series.forEach(s -> byPod.put(s.path("metric").path("pod").asText(), s.path("metric")));
    assertThat(byPod).containsOnlyKeys("shop-0", "keycloak-0");
    JsonNode shop = byPod.get("shop-0");
    assertThat(shop.path("namespace").asText()).isEqualTo("odoo");
    assertThat(shop.path("node").asText()).isEqualTo("node-a");
    assertThat(shop.path("team").asText()).isEqualTo("erp");
    // The spec's value verbatim: a $ in it is not a reference to a capture group.
    assertThat(shop.path("environment").asText()).isEqualTo("poc$1");
    JsonNode keycloak = byPod.get("keycloak-0");
    assertThat(keycloak.path("namespace").asText()).isEqualTo("keycloak");
    assertThat(keycloak.has("team")).isFalse();
    // Every kept target is up: the port annotation moved the odoo pod's address off the container
    // port.
    assertThat(prometheus.query("up{job=\"kubernetes-pods\"} == 1")).hasSize(2);
    assertThat(prometheus.query("up{job=\"kubernetes-pods\"}")).hasSize(2);
  }
}
