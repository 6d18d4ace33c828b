package dev.vigil.render.ksm;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.spec.model.KubeStateMetricsSpec;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** kube-state-metrics: the state of Kubernetes objects as metrics. Stateless, so a Deployment. */
@AutoService(ComponentRenderer.class)
public final class KubeStateMetricsRenderer implements ComponentRenderer {
  public static final String NAME = "kube-state-metrics";

  /** Its own health (list and watch errors), served on the telemetry port. */
  public static final String TELEMETRY_JOB = "kube-state-metrics-telemetry";

  /**
   * The objects it lists and watches: what Vigil's rules and dashboards read, nothing more. The
   * default set of v2.16.0 also lists Secrets (reading every Secret's metadata cluster-wide is a
   * real privilege), ConfigMaps, webhook configurations, Leases and more that nothing here reads,
   * and each of them needs its own RBAC. Resource name, API group.
   */
  static final Map<String, String> RESOURCES = resources();

  private static Map<String, String> resources() {
    Map<String, String> r = new TreeMap<>();
    for (String core :
        List.of(
            "namespaces",
            "nodes",
            "persistentvolumeclaims",
            "persistentvolumes",
            "pods",
            "resourcequotas")) {
      r.put(core, "");
    }
    for (String apps : List.of("daemonsets", "deployments", "replicasets", "statefulsets")) {
      r.put(apps, "apps");
    }
    r.put("cronjobs", "batch");
    r.put("jobs", "batch");
    r.put("horizontalpodautoscalers", "autoscaling");
    r.put("poddisruptionbudgets", "policy");
    return Collections.unmodifiableMap(r);
  }

  static final Component COMPONENT =
      Component.named(NAME)
          .image(
              "kube-state-metrics", "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.16.0")
          .tags(Tag.MONITORING)
          .scrapeJobs(NAME, TELEMETRY_JOB)
          .ruleFiles(
              "kube-state-metrics.rules.yaml",
              "kube-workloads.rules.yaml",
              "kube-nodes.rules.yaml",
              "kube-capacity.rules.yaml")
          .dashboards(new ClusterOverview())
          .build();

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return station.components().kubeStateMetrics().enabled();
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    // honor_labels: the namespace and pod labels of KSM series name the object described,
    // not the exporter's own pod. Its own health is an ordinary pod target.
    return List.of(
        ScrapeJobs.pods(
            NAME, ctx.namespace(), NAME, "http-metrics", ScrapeJobs.PodScrape.HONOR_LABELS),
        ScrapeJobs.pods(TELEMETRY_JOB, ctx.namespace(), NAME, "telemetry"));
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    KubeStateMetricsSpec spec = ctx.components().kubeStateMetrics();
    ComponentObjects kit =
        new ComponentObjects(
            ctx, NAME, ctx.namespace(), "object-metrics", ctx.image(COMPONENT, NAME, spec.image()));
    String roleName = "vigil-" + ctx.instance() + "-kube-state-metrics";
    out.add(kit.serviceAccount(true));
    out.add(
        new ClusterRoleBuilder()
            .withMetadata(kit.clusterMeta(roleName))
            .withRules(rules())
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
    var container =
        kit.container(
                NAME,
                kit.image(),
                ComponentObjects.resources(spec.resources(), "50m", "128Mi", "250m", "256Mi"))
            .withArgs(
                "--port=8080",
                "--telemetry-port=8081",
                "--resources=" + String.join(",", RESOURCES.keySet()),
                // Object labels and annotations stay out of metrics unless asked for: unbounded
                // cardinality.
                "--metric-labels-allowlist=nodes=[kubernetes.io/os,node-role.kubernetes.io/control-plane]")
            .withPorts(
                new ContainerPortBuilder()
                    .withName("http-metrics")
                    .withContainerPort(8080)
                    .withProtocol("TCP")
                    .build(),
                new ContainerPortBuilder()
                    .withName("telemetry")
                    .withContainerPort(8081)
                    .withProtocol("TCP")
                    .build())
            .withLivenessProbe(ComponentObjects.httpProbe("/livez", "http-metrics", 5, 15, 4))
            .withReadinessProbe(ComponentObjects.httpProbe("/readyz", "telemetry", 5, 10, 3))
            .build();
    var meta = kit.meta(NAME);
    meta.setAnnotations(
        ComponentObjects.exemption(
            "One kube-state-metrics by design: a second replica would export every object's series twice;"
                + " if it is down the KubeStateMetricsDown alert says so and the series resume when it is back.",
            "single-replica"));
    out.add(
        new DeploymentBuilder()
            .withMetadata(meta)
            .withNewSpec()
            .withReplicas(1)
            .withSelector(kit.selector())
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(kit.labels())
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(NAME)
            .withAutomountServiceAccountToken(true)
            .withSecurityContext(ComponentObjects.podSecurity(65534, 65534))
            .withContainers(container)
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
    out.add(
        kit.service(
            NAME,
            0,
            ComponentObjects.port("http-metrics", 8080, "http-metrics"),
            ComponentObjects.port("telemetry", 8081, "telemetry")));
    out.add(kit.pdb(1));
    out.add(
        NetPol.forComponent(kit)
            .allowIn(
                List.of(NetPol.tcp(8080), NetPol.tcp(8081)),
                NetPol.app(ctx.namespace(), PrometheusRenderer.NAME))
            .build());
  }

  /** list and watch on exactly the resources of {@link #RESOURCES}, one rule per API group. */
  static List<PolicyRule> rules() {
    Map<String, List<String>> byGroup = new TreeMap<>();
    RESOURCES.forEach(
        (resource, group) -> byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(resource));
    List<PolicyRule> rules = new ArrayList<>();
    byGroup.forEach(
        (group, resources) ->
            rules.add(
                new PolicyRuleBuilder()
                    .withApiGroups(group)
                    .withResources(resources)
                    .withVerbs("list", "watch")
                    .build()));
    return rules;
  }
}
