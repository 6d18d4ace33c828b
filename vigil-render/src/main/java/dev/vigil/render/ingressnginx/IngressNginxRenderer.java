package dev.vigil.render.ingressnginx;

import com.google.auto.service.AutoService;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.RenderContext;
import dev.vigil.render.Tag;
import dev.vigil.render.k8s.ComponentObjects;
import dev.vigil.render.k8s.NetPol;
import dev.vigil.render.k8s.Scheduling;
import dev.vigil.render.namespaces.NamespacesRenderer;
import dev.vigil.render.prometheus.PrometheusRenderer;
import dev.vigil.render.prometheus.ScrapeJobs;
import dev.vigil.spec.model.IngressNginxSpec;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ingress-nginx controller the production profile's Ingresses need, when the cluster has none
 * of its own: its namespace, RBAC, configuration, IngressClass, an autoscaled Deployment behind a
 * LoadBalancer Service, and its metrics. Nginx listens on unprivileged ports (8080, 8443; the
 * Service maps 80 and 443), so the pod needs no capability at all, and the writable paths are
 * volumes, so the root filesystem is read-only. The admission webhook is not rendered (see
 * docs/components.md).
 */
@AutoService(ComponentRenderer.class)
public final class IngressNginxRenderer implements ComponentRenderer {
  public static final String NAME = "ingress-nginx";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("ingress-nginx", "registry.k8s.io/ingress-nginx/controller:v1.15.1")
          .tags(Tag.INFRASTRUCTURE)
          .scrapeJobs(NAME)
          .ruleFiles("ingress-nginx.rules.yaml")
          .dashboards(new IngressTraffic())
          .build();

  static final int HTTP = 8080;
  static final int HTTPS = 8443;
  static final int METRICS = 10254;

  /**
   * The controller value of the IngressClass, which the controller claims with --controller-class.
   */
  static final String CONTROLLER_CLASS = "k8s.io/ingress-nginx";

  static final String ELECTION_ID = "ingress-nginx-leader";
  static final String CONFIG = "ingress-nginx-controller";

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return station.components().ingressNginx().renderedFor(station.profile());
  }

  static String namespace(RenderContext ctx) {
    return ctx.station().exposure().ingress().controllerNamespace();
  }

  @Override
  public List<Map<String, Object>> scrapeJobs(RenderContext ctx) {
    // The request metrics carry the Ingress's namespace: it wins over the controller pod's.
    return List.of(
        ScrapeJobs.pods(NAME, namespace(ctx), NAME, "metrics", ScrapeJobs.PodScrape.HONOR_LABELS));
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    IngressNginxSpec spec = ctx.components().ingressNginx();
    String ns = namespace(ctx);
    String className = ctx.station().exposure().ingress().className();
    ComponentObjects kit =
        new ComponentObjects(ctx, NAME, ns, "ingress", ctx.image(COMPONENT, NAME, null));
    // The controller's pods need nothing beyond "restricted": no capability, no host access.
    out.add(NamespacesRenderer.namespace(ctx, ns, "restricted", "restricted"));
    out.add(kit.serviceAccount(true));
    String clusterRole = "vigil-" + ctx.instance() + "-ingress-nginx";
    var role =
        new ClusterRoleBuilder()
            .withMetadata(kit.clusterMeta(clusterRole))
            .withRules(
                rule(
                    "",
                    List.of("configmaps", "endpoints", "nodes", "pods", "secrets", "namespaces"),
                    "list",
                    "watch"),
                rule("coordination.k8s.io", List.of("leases"), "list", "watch"),
                rule("", List.of("nodes"), "get"),
                rule("", List.of("services"), "get", "list", "watch"),
                rule(
                    "networking.k8s.io",
                    List.of("ingresses", "ingressclasses"),
                    "get",
                    "list",
                    "watch"),
                rule("networking.k8s.io", List.of("ingresses/status"), "update"),
                rule("", List.of("events"), "create", "patch"),
                rule("discovery.k8s.io", List.of("endpointslices"), "get", "list", "watch"))
            .build();
    role.getMetadata()
        .setAnnotations(
            ComponentObjects.exemption(
                "The controller serves the TLS certificates of every Ingress it routes, which live in Secrets in"
                    + " the Ingresses' namespaces; it reads them, never writes them.",
                "rbac-secret-read"));
    out.add(role);
    out.add(
        new ClusterRoleBindingBuilder()
            .withMetadata(kit.clusterMeta(clusterRole))
            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole)
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName(NAME)
            .withNamespace(ns)
            .endSubject()
            .build());
    out.add(
        new RoleBuilder()
            .withMetadata(kit.meta(NAME))
            .withRules(
                new PolicyRuleBuilder()
                    .withApiGroups("coordination.k8s.io")
                    .withResources("leases")
                    .withResourceNames(ELECTION_ID)
                    .withVerbs("get", "update")
                    .build(),
                rule("coordination.k8s.io", List.of("leases"), "create"),
                rule("", List.of("configmaps", "pods", "endpoints"), "get", "list", "watch"))
            .build());
    out.add(
        new RoleBindingBuilder()
            .withMetadata(kit.meta(NAME))
            .withNewRoleRef("rbac.authorization.k8s.io", "Role", NAME)
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName(NAME)
            .withNamespace(ns)
            .endSubject()
            .build());
    out.add(kit.configMap(CONFIG, config()));
    out.add(
        new IngressClassBuilder()
            .withMetadata(kit.clusterMeta(className))
            .withNewSpec()
            .withController(CONTROLLER_CLASS)
            .endSpec()
            .build());
    out.add(deployment(kit, spec, className));
    var svcMeta = kit.meta(NAME);
    svcMeta.setAnnotations(
        ComponentObjects.exemption(
            "The cluster's edge: the controller is what the internet reaches, and it authenticates and"
                + " terminates TLS for everything behind it.",
            "service-exposed"));
    out.add(
        new ServiceBuilder()
            .withMetadata(svcMeta)
            .withNewSpec()
            .withType("LoadBalancer")
            .withLoadBalancerIP(spec.loadBalancerIP())
            // Keeps clients' addresses (access logs, rate limits, allow lists); the load balancer
            // sends only to nodes that run a controller pod.
            .withExternalTrafficPolicy("Local")
            .withSelector(kit.selectorLabels())
            .withPorts(
                ComponentObjects.port("http", 80, "http"),
                ComponentObjects.port("https", 443, "https"))
            .endSpec()
            .build());
    out.add(
        new HorizontalPodAutoscalerBuilder()
            .withMetadata(kit.meta(NAME))
            .withNewSpec()
            .withNewScaleTargetRef()
            .withApiVersion("apps/v1")
            .withKind("Deployment")
            .withName(NAME)
            .endScaleTargetRef()
            .withMinReplicas(spec.minReplicas())
            .withMaxReplicas(spec.maxReplicas())
            .addNewMetric()
            .withType("Resource")
            .withNewResource()
            .withName("cpu")
            .withNewTarget()
            .withType("Utilization")
            .withAverageUtilization(spec.targetCpuPercent())
            .endTarget()
            .endResource()
            .endMetric()
            // Scale down slowly: a burst that ends returns within minutes, and dropping pods cuts
            // their connections.
            .withNewBehavior()
            .withNewScaleDown()
            .withStabilizationWindowSeconds(300)
            .endScaleDown()
            .endBehavior()
            .endSpec()
            .build());
    out.add(kit.pdb(spec.minReplicas()));
    out.add(
        NetPol.forComponent(kit)
            // The edge: HTTP and HTTPS from anywhere (the load balancer keeps the clients'
            // addresses).
            .allowIn(List.of(NetPol.tcp(HTTP), NetPol.tcp(HTTPS)))
            .allowIn(
                List.of(NetPol.tcp(METRICS)), NetPol.app(ctx.namespace(), PrometheusRenderer.NAME))
            .build());
    out.note(
        "ingress-nginx "
            + dev.vigil.render.ImageRef.version(kit.image())
            + " is the project's last release: it was retired in"
            + " March 2026 and gets no more security fixes. Plan a move to another controller (set"
            + " components.ingressNginx.enabled: false and exposure.ingress.className to it).");
  }

  private io.fabric8.kubernetes.api.model.apps.Deployment deployment(
      ComponentObjects kit, IngressNginxSpec spec, String className) {
    var container =
        kit.container(
                "controller",
                kit.image(),
                ComponentObjects.resources(spec.resources(), "250m", "512Mi", "1", "1Gi"))
            .withArgs(
                "/nginx-ingress-controller",
                "--election-id=" + ELECTION_ID,
                "--controller-class=" + CONTROLLER_CLASS,
                "--ingress-class=" + className,
                "--configmap=$(POD_NAMESPACE)/" + CONFIG,
                "--publish-service=$(POD_NAMESPACE)/" + NAME,
                // Unprivileged ports: nginx binds them without NET_BIND_SERVICE.
                "--http-port=" + HTTP,
                "--https-port=" + HTTPS,
                "--enable-metrics=true")
            .withEnv(
                new EnvVarBuilder()
                    .withName("POD_NAME")
                    .withNewValueFrom()
                    .withNewFieldRef()
                    .withFieldPath("metadata.name")
                    .endFieldRef()
                    .endValueFrom()
                    .build(),
                new EnvVarBuilder()
                    .withName("POD_NAMESPACE")
                    .withNewValueFrom()
                    .withNewFieldRef()
                    .withFieldPath("metadata.namespace")
                    .endFieldRef()
                    .endValueFrom()
                    .build())
            .withPorts(
                new ContainerPortBuilder()
                    .withName("http")
                    .withContainerPort(HTTP)
                    .withProtocol("TCP")
                    .build(),
                new ContainerPortBuilder()
                    .withName("https")
                    .withContainerPort(HTTPS)
                    .withProtocol("TCP")
                    .build(),
                new ContainerPortBuilder()
                    .withName("metrics")
                    .withContainerPort(METRICS)
                    .withProtocol("TCP")
                    .build())
            .withVolumeMounts(
                new VolumeMountBuilder().withName("nginx").withMountPath("/etc/nginx").build(),
                new VolumeMountBuilder()
                    .withName("controller")
                    .withMountPath("/etc/ingress-controller")
                    .build(),
                new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build())
            .withLivenessProbe(ComponentObjects.httpProbe("/healthz", "metrics", 10, 10, 5))
            .withReadinessProbe(ComponentObjects.httpProbe("/healthz", "metrics", 10, 10, 3))
            // Stops taking new connections and lets open ones finish before nginx exits.
            .withNewLifecycle()
            .withNewPreStop()
            .withNewExec()
            .withCommand("/wait-shutdown")
            .endExec()
            .endPreStop()
            .endLifecycle()
            .build();
    // The controller rewrites /etc/nginx/nginx.conf and lua/cfg.json on every change; with a
    // read-only root, /etc/nginx is a volume, seeded with the image's templates and modules.
    var seed =
        kit.container(
                "copy-nginx-config",
                kit.image(),
                ComponentObjects.resources(null, "10m", "16Mi", "100m", "64Mi"))
            .withCommand("/bin/cp", "-a", "/etc/nginx/.", "/seed/")
            .withVolumeMounts(
                new VolumeMountBuilder().withName("nginx").withMountPath("/seed").build())
            .build();
    return new DeploymentBuilder()
        .withMetadata(kit.meta(NAME))
        .withNewSpec()
        .withReplicas(spec.minReplicas())
        .withSelector(kit.selector())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(kit.labels())
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(NAME)
        .withAutomountServiceAccountToken(true)
        // The image's user: www-data, uid 101, gid 82.
        .withSecurityContext(ComponentObjects.podSecurity(101, 82))
        .withTerminationGracePeriodSeconds(300L)
        .withAffinity(Scheduling.spreadByHost(kit))
        .withInitContainers(seed)
        .withContainers(container)
        .withVolumes(
            new VolumeBuilder()
                .withName("nginx")
                .withNewEmptyDir()
                .withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                .endEmptyDir()
                .build(),
            new VolumeBuilder()
                .withName("controller")
                .withNewEmptyDir()
                .withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("64Mi"))
                .endEmptyDir()
                .build(),
            new VolumeBuilder()
                .withName("tmp")
                .withNewEmptyDir()
                .withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity("512Mi"))
                .endEmptyDir()
                .build())
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /** The controller's nginx settings (its ConfigMap); every key is in the contract. */
  static Map<String, String> config() {
    Map<String, String> c = new TreeMap<>();
    // TLS 1.2 and 1.3 only, strict transport security for a year (the controller's defaults,
    // written out so a review sees them), and no version in Server headers and error pages.
    c.put("ssl-protocols", "TLSv1.2 TLSv1.3");
    c.put("hsts", "true");
    c.put("hsts-max-age", "31536000");
    c.put("server-tokens", "false");
    // Annotations may not inject raw nginx configuration.
    c.put("allow-snippet-annotations", "false");
    // JSON access logs: Loki's parsers and Alloy read them without a regex.
    c.put("log-format-escape-json", "true");
    c.put(
        "log-format-upstream",
        "{\"time\":\"$time_iso8601\",\"remote_addr\":\"$remote_addr\",\"request_id\":\"$req_id\","
            + "\"host\":\"$host\",\"method\":\"$request_method\",\"path\":\"$uri\",\"status\":$status,"
            + "\"bytes_sent\":$bytes_sent,\"request_time\":$request_time,\"upstream\":\"$proxy_upstream_name\","
            + "\"upstream_status\":\"$upstream_status\",\"user_agent\":\"$http_user_agent\"}");
    return c;
  }

  private static PolicyRule rule(String group, List<String> resources, String... verbs) {
    return new PolicyRuleBuilder()
        .withApiGroups(group)
        .withResources(resources)
        .withVerbs(verbs)
        .build();
  }
}
