package dev.vigil.render.alloy;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.render.kubernetes.KubernetesRenderer;
import dev.vigil.render.loki.LokiRenderer;
import dev.vigil.render.nodeexporter.NodeExporterRenderer;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.spec.model.AlloySpec;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.model.WatchSpec;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Grafana Alloy as the log agent on every node: pod logs from /var/log/pods and the systemd
 * journal, shipped to Loki with a small, bounded label set. (Promtail, which the operators used
 * before, reached end of life in March 2026.)
 */
@AutoService(ComponentRenderer.class)
public final class AlloyRenderer implements ComponentRenderer {
  public static final String NAME = "alloy";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("alloy", "docker.io/grafana/alloy:v1.10.0")
          .tags(Tag.LOGGING)
          .scrapeJobs(NAME)
          .ruleFiles("alloy.rules.yaml")
          .dependsOn("loki")
          .build();
  public static final int PORT = 12345;
  public static final String EXEMPTION_REASON =
      "The log agent tails files the container runtime and journald write on the host: it mounts"
          + " /var/log read-only and keeps its read positions in /var/lib/vigil/alloy, and runs as uid 0"
          + " because those files are root-owned (0640). Every capability is dropped and the root"
          + " filesystem is read-only, so uid 0 can read what it owns and nothing more.";

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return station.components().alloy().enabled();
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    return List.of(
        ScrapeJobs.pods(
            NAME, ctx.agentsNamespace(), NAME, "http-metrics", ScrapeJobs.PodScrape.PER_NODE));
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    AlloySpec spec = ctx.components().alloy();
    ComponentObjects kit =
        new ComponentObjects(
            ctx,
            NAME,
            ctx.agentsNamespace(),
            "log-agent",
            ctx.image(COMPONENT, NAME, spec.image()));
    String roleName = "vigil-" + ctx.instance() + "-alloy";
    out.add(kit.serviceAccount(true));
    out.add(
        new ClusterRoleBuilder()
            .withMetadata(kit.clusterMeta(roleName))
            .withRules(
                new PolicyRuleBuilder()
                    .withApiGroups("")
                    .withResources("pods", "namespaces")
                    .withVerbs("get", "list", "watch")
                    .build())
            .build());
    out.add(
        new ClusterRoleBindingBuilder()
            .withMetadata(kit.clusterMeta(roleName))
            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", roleName)
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName(NAME)
            .withNamespace(kit.namespace())
            .endSubject()
            .build());
    out.add(kit.configMap("alloy-config", Map.of("config.alloy", config(ctx, spec))));

    List<VolumeMount> mounts =
        new ArrayList<>(
            List.of(
                new VolumeMountBuilder()
                    .withName("config")
                    .withMountPath("/etc/alloy")
                    .withReadOnly(true)
                    .build(),
                new VolumeMountBuilder()
                    .withName("data")
                    .withMountPath("/var/lib/alloy/data")
                    .build(),
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build(),
                new VolumeMountBuilder()
                    .withName("varlog")
                    .withMountPath("/var/log")
                    .withReadOnly(true)
                    .build()));
    List<Volume> volumes =
        new ArrayList<>(
            List.of(
                new VolumeBuilder()
                    .withName("config")
                    .withNewConfigMap()
                    .withName("alloy-config")
                    .endConfigMap()
                    .build(),
                new VolumeBuilder()
                    .withName("data")
                    .withNewHostPath()
                    .withPath("/var/lib/vigil/alloy")
                    .withType("DirectoryOrCreate")
                    .endHostPath()
                    .build(),
                new VolumeBuilder()
                    .withName("tmp")
                    .withNewEmptyDir()
                    .withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                    .endEmptyDir()
                    .build(),
                new VolumeBuilder()
                    .withName("varlog")
                    .withNewHostPath()
                    .withPath("/var/log")
                    .withType("Directory")
                    .endHostPath()
                    .build()));
    if (spec.journal()) {
      mounts.add(
          new VolumeMountBuilder()
              .withName("runlog")
              .withMountPath("/run/log/journal")
              .withReadOnly(true)
              .build());
      mounts.add(
          new VolumeMountBuilder()
              .withName("machine-id")
              .withMountPath("/etc/machine-id")
              .withReadOnly(true)
              .build());
      volumes.add(
          new VolumeBuilder()
              .withName("runlog")
              .withNewHostPath()
              .withPath("/run/log/journal")
              .withType("DirectoryOrCreate")
              .endHostPath()
              .build());
      volumes.add(
          new VolumeBuilder()
              .withName("machine-id")
              .withNewHostPath()
              .withPath("/etc/machine-id")
              .withType("File")
              .endHostPath()
              .build());
    }
    var security = ComponentObjects.containerSecurity();
    security.setRunAsNonRoot(false);
    security.setRunAsUser(0L);
    var container =
        kit.container(
                NAME,
                kit.image(),
                ComponentObjects.resources(spec.resources(), "100m", "128Mi", "500m", "512Mi"))
            .withArgs(
                "run",
                "/etc/alloy/config.alloy",
                "--storage.path=/var/lib/alloy/data",
                "--server.http.listen-addr=0.0.0.0:" + PORT,
                "--stability.level=generally-available",
                "--disable-reporting",
                // Profiling and the support bundle serve anyone the NetworkPolicy admits; nobody
                // here needs them.
                "--server.http.enable-pprof=false",
                "--server.http.disable-support-bundle")
            .withEnv(
                new EnvVarBuilder()
                    .withName("NODE_NAME")
                    .withNewValueFrom()
                    .withNewFieldRef()
                    .withFieldPath("spec.nodeName")
                    .endFieldRef()
                    .endValueFrom()
                    .build())
            .withSecurityContext(security)
            .withPorts(
                new ContainerPortBuilder()
                    .withName("http-metrics")
                    .withContainerPort(PORT)
                    .withProtocol("TCP")
                    .build())
            .withVolumeMounts(mounts)
            // Not /-/healthy: it fails while any one component is unhealthy (a journal it cannot
            // read, an
            // API server it cannot reach), which a restart does not cure and which loses buffered
            // entries.
            .withLivenessProbe(ComponentObjects.httpProbe("/-/ready", "http-metrics", 10, 15, 4))
            .withReadinessProbe(ComponentObjects.httpProbe("/-/ready", "http-metrics", 5, 10, 3))
            .build();
    var meta = kit.meta(NAME);
    meta.setAnnotations(
        ComponentObjects.exemption(
            EXEMPTION_REASON,
            "pss-host-path",
            "pss-volume-types",
            "pss-run-as-non-root",
            "pss-run-as-user",
            "run-as-group-root"));
    var podSecurity = ComponentObjects.podSecurity(0, 0);
    podSecurity.setRunAsNonRoot(false);
    podSecurity.setFsGroup(null);
    podSecurity.setFsGroupChangePolicy(null);
    out.add(
        new DaemonSetBuilder()
            .withMetadata(meta)
            .withNewSpec()
            .withSelector(kit.selector())
            .withNewUpdateStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
            .withMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString("10%"))
            .endRollingUpdate()
            .endUpdateStrategy()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(kit.labels())
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(NAME)
            .withAutomountServiceAccountToken(true)
            .withPriorityClassName("system-node-critical")
            .withSecurityContext(podSecurity)
            .withTolerations(NodeExporterRenderer.tolerateAll())
            .withContainers(container)
            .withVolumes(volumes)
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
    out.add(
        NetPol.forComponent(kit)
            .allowIn(
                List.of(NetPol.tcp(PORT)), NetPol.app(ctx.namespace(), PrometheusRenderer.NAME))
            .build());
  }

  /** config.alloy: discovery of this node's pods, file tailing, journal, push to Loki. */
  static String config(RenderContext ctx, AlloySpec spec) {
    String loki =
        "http://"
            + ctx.serviceHost(LokiRenderer.NAME)
            + ":"
            + LokiRenderer.PORT
            + "/loki/api/v1/push";
    StringBuilder c = new StringBuilder();
    c.append("// Rendered by vigil from the station spec.\n")
        .append(
            "// Labels are bounded on purpose: namespace, pod, container, app, node (and job, unit, level\n")
        .append("// for the journal). Pod uid, IPs and request ids never become labels.\n\n")
        .append("discovery.kubernetes \"pods\" {\n")
        .append("  role = \"pod\"\n")
        .append("  selectors {\n")
        .append("    role  = \"pod\"\n")
        .append("    field = \"spec.nodeName=\" + sys.env(\"NODE_NAME\")\n")
        .append("  }\n")
        .append("}\n\n")
        .append("discovery.relabel \"pods\" {\n")
        .append("  targets = discovery.kubernetes.pods.targets\n")
        .append(rule("__meta_kubernetes_namespace", "namespace"))
        .append(rule("__meta_kubernetes_pod_name", "pod"))
        .append(rule("__meta_kubernetes_pod_container_name", "container"))
        .append(rule("__meta_kubernetes_pod_node_name", "node"))
        .append("  // app: app.kubernetes.io/name, else the app label, else the container name.\n")
        .append("  rule {\n")
        .append(
            "    source_labels = [\"__meta_kubernetes_pod_label_app_kubernetes_io_name\", \"__meta_kubernetes_pod_label_app\", \"__meta_kubernetes_pod_container_name\"]\n")
        .append("    separator     = \";\"\n")
        .append("    regex         = \"^;*([^;]+)(;.*)?$\"\n")
        .append("    target_label  = \"app\"\n")
        .append("  }\n")
        .append(namespaceLabels(ctx))
        .append("  rule {\n")
        .append(
            "    source_labels = [\"__meta_kubernetes_pod_uid\", \"__meta_kubernetes_pod_container_name\"]\n")
        .append("    separator     = \"/\"\n")
        .append("    target_label  = \"__path__\"\n")
        .append("    replacement   = \"/var/log/pods/*$1/*.log\"\n")
        .append("  }\n")
        .append("}\n\n")
        .append("local.file_match \"pods\" {\n")
        .append("  path_targets = discovery.relabel.pods.output\n")
        .append("}\n\n")
        .append("loki.source.file \"pods\" {\n")
        .append("  targets    = local.file_match.pods.targets\n")
        .append("  forward_to = [loki.process.pods.receiver]\n")
        .append("}\n\n")
        .append("loki.process \"pods\" {\n")
        .append("  stage.cri {}\n")
        .append("  forward_to = [loki.write.default.receiver]\n")
        .append("}\n\n");
    if (spec.journal()) {
      c.append("discovery.relabel \"journal\" {\n")
          .append("  targets = []\n")
          .append(rule("__journal__systemd_unit", "unit"))
          .append(rule("__journal_priority_keyword", "level"))
          .append("}\n\n")
          .append("loki.source.journal \"journal\" {\n")
          .append("  max_age       = \"12h\"\n")
          .append("  relabel_rules = discovery.relabel.journal.rules\n")
          .append("  labels        = {job = \"systemd-journal\", node = sys.env(\"NODE_NAME\")}\n")
          .append("  forward_to    = [loki.write.default.receiver]\n")
          .append("}\n\n");
    }
    c.append("loki.write \"default\" {\n")
        .append("  endpoint {\n")
        .append("    url = \"")
        .append(loki)
        .append("\"\n");
    LokiRenderer.tenant(ctx)
        .ifPresent(t -> c.append("    tenant_id = \"").append(t).append("\"\n"));
    c.append("  }\n")
        .append("  external_labels = {cluster = \"")
        .append(ctx.station().cluster().name())
        .append("\"}\n")
        .append("}\n");
    return c.toString();
  }

  /**
   * The labels of each watched application namespace (watch.namespaces) on its pods' log streams,
   * the same as on their metrics.
   */
  static String namespaceLabels(RenderContext ctx) {
    StringBuilder b = new StringBuilder();
    for (WatchSpec.Namespace n : KubernetesRenderer.watched(ctx.station())) {
      if (!n.labels().isEmpty()) {
        b.append("  // Labels of the watched namespace ").append(n.name()).append(".\n");
      }
      new TreeMap<>(n.labels())
          .forEach(
              (label, value) ->
                  b.append("  rule {\n")
                      .append("    source_labels = [\"__meta_kubernetes_namespace\"]\n")
                      .append("    regex         = \"")
                      .append(n.name())
                      .append("\"\n")
                      .append("    target_label  = \"")
                      .append(label)
                      .append("\"\n")
                      // $ would start a reference to a capture group; \ and " would end the string.
                      .append("    replacement   = \"")
                      .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "$$"))
                      .append("\"\n")
                      .append("  }\n"));
    }
    return b.toString();
  }

  private static String rule(String source, String target) {
    return "  rule {\n    source_labels = [\""
        + source
        + "\"]\n    target_label  = \""
        + target
        + "\"\n  }\n";
  }
}
