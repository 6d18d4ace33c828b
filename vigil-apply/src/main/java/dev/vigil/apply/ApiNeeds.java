package dev.vigil.apply;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The APIs a plan needs beyond the built-in ones: the CRD of every custom resource it applies, and
 * cert-manager for Ingresses that ask it for a certificate (the production profile's {@code
 * cert-manager.io/cluster-issuer} annotation) — Kubernetes accepts such an Ingress without
 * cert-manager, and it then serves no certificate at all.
 */
public final class ApiNeeds {
  public static final String CERT_MANAGER_ISSUER = "cert-manager.io/cluster-issuer";

  /**
   * One API that must be served.
   *
   * @param apiVersion group/version
   * @param kind the kind that must be served in it
   * @param neededBy the objects that need it
   * @param missingMessage what to tell the person when it is not served
   */
  public record Need(
      String apiVersion, String kind, List<String> neededBy, String missingMessage) {}

  /** A ClusterIssuer that Ingresses name; it must exist for their certificates to be issued. */
  public record Issuer(String name, List<String> neededBy) {}

  private ApiNeeds() {}

  public static List<Need> of(Plan plan) {
    Map<String, List<String>> custom = new LinkedHashMap<>();
    Set<String> plannedCrds = new TreeSet<>();
    for (Plan.Step s : plan.steps()) {
      if (s.ref().kind().equals("CustomResourceDefinition")) {
        plannedCrds.add(s.ref().name());
      }
    }
    List<String> certIngresses = new ArrayList<>();
    for (Plan.Step s : plan.steps()) {
      if (Kinds.of(s.ref()).isEmpty()) {
        custom
            .computeIfAbsent(s.ref().apiVersion() + " " + s.ref().kind(), k -> new ArrayList<>())
            .add(s.ref().toString());
      }
      if (s.object() instanceof Ingress ing && annotation(ing) != null) {
        certIngresses.add(s.component());
      }
    }
    List<Need> needs = new ArrayList<>();
    String certManagerVersion = imageTag(plan, "cert-manager-controller");
    for (Map.Entry<String, List<String>> e : custom.entrySet()) {
      String[] parts = e.getKey().split(" ");
      needs.add(
          new Need(
              parts[0],
              parts[1],
              e.getValue(),
              parts[1]
                  + " ("
                  + parts[0]
                  + ") is not served by the cluster: "
                  + whoDefines(parts[0], certManagerVersion)));
    }
    // Where Vigil deploys cert-manager's controller, the need of its ClusterIssuers above
    // already names the CRDs; otherwise the cluster must run a cert-manager of its own.
    if (!certIngresses.isEmpty() && certManagerVersion == null) {
      List<String> by = certIngresses.stream().distinct().toList();
      needs.add(
          new Need(
              "cert-manager.io/v1",
              "Certificate",
              by,
              "cert-manager is not installed (the cluster serves no cert-manager.io/v1 Certificate), but the Ingresses of "
                  + String.join(", ", by)
                  + " ask it for their TLS certificates: install cert-manager, or expose the"
                  + " stack through NodePorts instead (leave exposure.ingress.domain unset and set"
                  + " components.<name>.access.nodePort)"));
    }
    return needs;
  }

  /** What installs the CRDs of an API group Vigil applies resources of. */
  private static String whoDefines(String apiVersion, String certManagerVersion) {
    if (apiVersion.startsWith("cert-manager.io/") && certManagerVersion != null) {
      return "Vigil deploys cert-manager's controller, but its CRDs come from cert-manager's release; install"
          + " them first: kubectl apply --server-side -f https://github.com/cert-manager/cert-manager/releases/download/"
          + certManagerVersion
          + "/cert-manager.crds.yaml";
    }
    if (apiVersion.startsWith("cert-manager.io/")) {
      return "cert-manager's CRDs are not installed; install cert-manager first";
    }
    if (apiVersion.startsWith("opentelemetry.io/")) {
      return "the OpenTelemetry Operator defines it and injects the agents; install the operator first, or turn"
          + " components.otelCollector.instrumentation off";
    }
    return "the CRD that defines it is not installed; install it first";
  }

  /** The tag of a container image named {@code name} in the plan's workloads, or null. */
  private static String imageTag(Plan plan, String name) {
    for (Plan.Step s : plan.steps()) {
      if (s.object() instanceof io.fabric8.kubernetes.api.model.apps.Deployment d) {
        for (var c : d.getSpec().getTemplate().getSpec().getContainers()) {
          String image = c.getImage();
          int colon = image == null ? -1 : image.lastIndexOf(':');
          if (colon > 0 && image.substring(0, colon).endsWith("/" + name)) {
            return image.substring(colon + 1);
          }
        }
      }
    }
    return null;
  }

  /** The ClusterIssuers the planned Ingresses name and the plan does not apply itself. */
  public static List<Issuer> issuers(Plan plan) {
    Set<String> applied = new TreeSet<>();
    for (Plan.Step s : plan.steps()) {
      if (s.ref().kind().equals("ClusterIssuer")) {
        applied.add(s.ref().name());
      }
    }
    Map<String, List<String>> by = new LinkedHashMap<>();
    for (Plan.Step s : plan.steps()) {
      if (s.object() instanceof Ingress ing
          && annotation(ing) != null
          && !applied.contains(annotation(ing))) {
        by.computeIfAbsent(annotation(ing), k -> new ArrayList<>()).add(s.component());
      }
    }
    List<Issuer> out = new ArrayList<>();
    by.forEach((name, components) -> out.add(new Issuer(name, components)));
    return out;
  }

  private static String annotation(Ingress ing) {
    Map<String, String> a = ing.getMetadata().getAnnotations();
    return a == null ? null : a.get(CERT_MANAGER_ISSUER);
  }
}
