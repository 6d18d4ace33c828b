package dev.vigil.render.certmanager;

import static dev.vigil.render.prometheus.ScrapeJobs.ordered;

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
import dev.vigil.spec.model.CertManagerSpec;
import dev.vigil.spec.model.Station;
import dev.vigil.spec.types.SecretRef;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cert-manager's controller, which turns the Ingresses' {@code cert-manager.io/cluster-issuer}
 * annotation into certificates, and the Let's Encrypt ClusterIssuers the stack's Ingresses name:
 * {@code letsencrypt-staging} to try a setup without Let's Encrypt's production rate limits, {@code
 * letsencrypt-prod} for real certificates. The webhook and CA injector are not rendered
 * (docs/components.md says why); the CRDs come from cert-manager's release. The kubernetes
 * component scrapes the controller and alerts on its certificates, whether Vigil renders it or the
 * cluster already runs it: one job and one rule file for both.
 */
@AutoService(ComponentRenderer.class)
public final class CertManagerRenderer implements ComponentRenderer {
  public static final String NAME = "cert-manager";

  static final Component COMPONENT =
      Component.named(NAME)
          .image("cert-manager-controller", "quay.io/jetstack/cert-manager-controller:v1.21.1")
          .image("cert-manager-acmesolver", "quay.io/jetstack/cert-manager-acmesolver:v1.21.1")
          .tags(Tag.INFRASTRUCTURE)
          .build();

  static final int METRICS = 9402;
  static final int HEALTHZ = 9403;
  static final String LEADER_LEASE = "cert-manager-controller";
  public static final String STAGING = "letsencrypt-staging";
  public static final String PRODUCTION = "letsencrypt-prod";
  static final Map<String, String> ACME =
      Map.of(
          STAGING, "https://acme-staging-v02.api.letsencrypt.org/directory",
          PRODUCTION, "https://acme-v02.api.letsencrypt.org/directory");

  @Override
  public Component component() {
    return COMPONENT;
  }

  @Override
  public boolean enabled(Station station) {
    return station.components().certManager().renderedFor(station.profile());
  }

  @Override
  public void render(RenderContext ctx, ComponentOutput out) {
    CertManagerSpec spec = ctx.components().certManager();
    String ns = spec.namespace();
    ComponentObjects kit =
        new ComponentObjects(
            ctx, NAME, ns, "certificates", ctx.image(COMPONENT, "cert-manager-controller", null));
    out.add(NamespacesRenderer.namespace(ctx, ns, "restricted", "restricted"));
    out.add(kit.serviceAccount(true));
    String clusterRole = "vigil-" + ctx.instance() + "-cert-manager";
    var role =
        new ClusterRoleBuilder()
            .withMetadata(kit.clusterMeta(clusterRole))
            .withRules(
                rule(
                    "cert-manager.io",
                    List.of("issuers", "clusterissuers", "certificates", "certificaterequests"),
                    "get",
                    "list",
                    "watch"),
                rule(
                    "cert-manager.io",
                    List.of(
                        "issuers",
                        "issuers/status",
                        "clusterissuers",
                        "clusterissuers/status",
                        "certificates",
                        "certificates/status",
                        "certificaterequests",
                        "certificaterequests/status"),
                    "update",
                    "patch"),
                rule(
                    "cert-manager.io",
                    List.of("certificates", "certificaterequests"),
                    "create",
                    "delete"),
                rule(
                    "cert-manager.io",
                    List.of(
                        "certificates/finalizers",
                        "certificaterequests/finalizers",
                        "issuers/finalizers",
                        "clusterissuers/finalizers"),
                    "update"),
                new PolicyRuleBuilder()
                    .withApiGroups("cert-manager.io")
                    .withResources("signers")
                    .withResourceNames(
                        "issuers.cert-manager.io/*", "clusterissuers.cert-manager.io/*")
                    .withVerbs("approve")
                    .build(),
                rule(
                    "acme.cert-manager.io",
                    List.of("orders", "challenges"),
                    "get",
                    "list",
                    "watch",
                    "create",
                    "delete"),
                rule(
                    "acme.cert-manager.io",
                    List.of("orders", "orders/status", "challenges", "challenges/status"),
                    "update",
                    "patch"),
                rule(
                    "acme.cert-manager.io",
                    List.of("orders/finalizers", "challenges/finalizers"),
                    "update"),
                // Account keys and issued certificates are Secrets; HTTP-01 solvers are a pod, a
                // Service and an Ingress in the namespace of the Ingress being certified.
                rule(
                    "",
                    List.of("secrets"),
                    "get",
                    "list",
                    "watch",
                    "create",
                    "update",
                    "patch",
                    "delete"),
                rule("", List.of("pods", "services"), "get", "list", "watch", "create", "delete"),
                rule(
                    "networking.k8s.io",
                    List.of("ingresses"),
                    "get",
                    "list",
                    "watch",
                    "create",
                    "delete",
                    "update"),
                rule("networking.k8s.io", List.of("ingresses/finalizers"), "update"),
                rule("", List.of("events"), "create", "patch"),
                rule("authorization.k8s.io", List.of("subjectaccessreviews"), "create"))
            .build();
    role.getMetadata()
        .setAnnotations(
            ComponentObjects.exemption(
                "cert-manager stores ACME account keys and the certificates it issues as Secrets in the namespaces"
                    + " of the Ingresses it certifies; writing them is its job.",
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
                    .withResourceNames(LEADER_LEASE)
                    .withVerbs("get", "update", "patch")
                    .build(),
                rule("coordination.k8s.io", List.of("leases"), "create"))
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
    int replicas = ctx.station().replicasFor(null);
    var container =
        kit.container(
                "controller",
                kit.image(),
                ComponentObjects.resources(spec.resources(), "50m", "128Mi", "500m", "512Mi"))
            .withArgs(
                "--v=2",
                // ClusterIssuers' Secrets (ACME account keys, DNS credentials) live in this
                // namespace.
                "--cluster-resource-namespace=$(POD_NAMESPACE)",
                "--leader-election-namespace=$(POD_NAMESPACE)",
                // The HTTP-01 solver image pinned with the controller, not the controller's own
                // default.
                "--acme-http01-solver-image="
                    + ctx.image(COMPONENT, "cert-manager-acmesolver", null),
                "--max-concurrent-challenges=60")
            .withEnv(
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
                    .withName("http-metrics")
                    .withContainerPort(METRICS)
                    .withProtocol("TCP")
                    .build(),
                new ContainerPortBuilder()
                    .withName("http-healthz")
                    .withContainerPort(HEALTHZ)
                    .withProtocol("TCP")
                    .build())
            .withLivenessProbe(ComponentObjects.httpProbe("/livez", "http-healthz", 10, 10, 8))
            // It serves no traffic; ready means the process is up and serving its metrics.
            .withReadinessProbe(
                new ProbeBuilder()
                    .withNewTcpSocket()
                    .withPort(new IntOrString("http-metrics"))
                    .endTcpSocket()
                    .withPeriodSeconds(10)
                    .withTimeoutSeconds(5)
                    .withFailureThreshold(3)
                    .build())
            .build();
    out.add(
        new DeploymentBuilder()
            .withMetadata(kit.meta(NAME))
            .withNewSpec()
            // The replicas elect a leader; the others stand by.
            .withReplicas(replicas)
            .withSelector(kit.selector())
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(kit.labels())
            .endMetadata()
            .withNewSpec()
            .withServiceAccountName(NAME)
            .withAutomountServiceAccountToken(true)
            .withEnableServiceLinks(false)
            // The image's user: distroless "nonroot", 65532.
            .withSecurityContext(ComponentObjects.podSecurity(65532, 65532))
            .withAffinity(Scheduling.spreadByHost(kit))
            .withContainers(container)
            .endSpec()
            .endTemplate()
            .endSpec()
            .build());
    out.add(kit.pdb(replicas));
    // Egress stays open: the ACME servers, the API server and DNS providers are outside the
    // cluster.
    out.add(
        NetPol.forComponent(kit)
            .allowIn(
                List.of(NetPol.tcp(METRICS)), NetPol.app(ctx.namespace(), PrometheusRenderer.NAME))
            .build());
    for (String issuer : List.of(STAGING, PRODUCTION)) {
      out.add(clusterIssuer(kit, issuer, spec, ctx.station().exposure().ingress().className()));
    }
  }

  /** A Let's Encrypt ClusterIssuer solving HTTP-01 through the ingress class, or DNS-01. */
  static GenericKubernetesResource clusterIssuer(
      ComponentObjects kit, String name, CertManagerSpec spec, String ingressClass) {
    Map<String, Object> acme = new LinkedHashMap<>();
    acme.put("server", ACME.get(name));
    if (spec.email() != null) {
      acme.put("email", spec.email());
    }
    // The account key cert-manager creates on first use; separate per directory.
    acme.put("privateKeySecretRef", ordered("name", name + "-account-key"));
    acme.put("solvers", List.of(solver(spec, ingressClass)));
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("cert-manager.io/v1")
        .withKind("ClusterIssuer")
        .withMetadata(kit.clusterMeta(name))
        .withAdditionalProperties(Map.of("spec", ordered("acme", acme)))
        .build();
  }

  private static Map<String, Object> solver(CertManagerSpec spec, String ingressClass) {
    CertManagerSpec.Dns01 dns = spec.dns01();
    if (dns == null) {
      return ordered("http01", ordered("ingress", ordered("ingressClassName", ingressClass)));
    }
    if (dns.provider() == CertManagerSpec.DnsProvider.CLOUDFLARE) {
      return ordered(
          "dns01", ordered("cloudflare", ordered("apiTokenSecretRef", secretRef(dns.apiToken()))));
    }
    Map<String, Object> route53 = new LinkedHashMap<>();
    route53.put("region", dns.region());
    if (dns.accessKeyId() != null) {
      route53.put("accessKeyID", dns.accessKeyId());
      route53.put("secretAccessKeySecretRef", secretRef(dns.secretAccessKey()));
    }
    return ordered("dns01", ordered("route53", route53));
  }

  private static Map<String, Object> secretRef(SecretRef ref) {
    return ordered("name", ref.secret().name(), "key", ref.secret().key());
  }

  private static PolicyRule rule(String group, List<String> resources, String... verbs) {
    return new PolicyRuleBuilder()
        .withApiGroups(group)
        .withResources(resources)
        .withVerbs(verbs)
        .build();
  }
}
