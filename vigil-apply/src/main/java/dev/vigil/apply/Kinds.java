package dev.vigil.apply;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Kubernetes kinds Vigil renders, with what the transport and the planner need to know about
 * each without asking the API server: its resource name (for RBAC checks and REST paths), whether
 * it lives in a namespace, and the phase it is applied in. A kind outside this table is a custom
 * resource: it is applied with the workloads, after its CRD has been checked.
 */
public final class Kinds {
  /** One kind. {@code group} is "" for the core API group. */
  public record Kind(
      String group, String version, String kind, String plural, boolean namespaced, Phase phase) {
    public String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }
  }

  private static final Map<String, Kind> BY_KIND = new LinkedHashMap<>();

  static {
    add("", "v1", "Namespace", "namespaces", false, Phase.NAMESPACES);
    add(
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        false,
        Phase.NAMESPACES);
    add("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", false, Phase.ACCESS);
    add("", "v1", "ServiceAccount", "serviceaccounts", true, Phase.ACCESS);
    add("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, Phase.ACCESS);
    add(
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRoleBinding",
        "clusterrolebindings",
        false,
        Phase.ACCESS);
    add("rbac.authorization.k8s.io", "v1", "Role", "roles", true, Phase.ACCESS);
    add("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, Phase.ACCESS);
    add("", "v1", "ConfigMap", "configmaps", true, Phase.CONFIG);
    add("", "v1", "Secret", "secrets", true, Phase.CONFIG);
    add("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, Phase.CONFIG);
    add("", "v1", "Service", "services", true, Phase.SERVICES);
    add("networking.k8s.io", "v1", "IngressClass", "ingressclasses", false, Phase.CONFIG);
    add("networking.k8s.io", "v1", "Ingress", "ingresses", true, Phase.SERVICES);
    add("apps", "v1", "Deployment", "deployments", true, Phase.WORKLOADS);
    add("apps", "v1", "StatefulSet", "statefulsets", true, Phase.WORKLOADS);
    add("apps", "v1", "DaemonSet", "daemonsets", true, Phase.WORKLOADS);
    add("batch", "v1", "Job", "jobs", true, Phase.WORKLOADS);
    add("batch", "v1", "CronJob", "cronjobs", true, Phase.WORKLOADS);
    add("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, Phase.POLICIES);
    add("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, Phase.POLICIES);
    add(
        "autoscaling",
        "v2",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        true,
        Phase.POLICIES);
  }

  /** Pods: never rendered, read to say why a workload is not ready. */
  public static final Kind POD = new Kind("", "v1", "Pod", "pods", true, Phase.WORKLOADS);

  private Kinds() {}

  private static void add(
      String group, String version, String kind, String plural, boolean namespaced, Phase phase) {
    BY_KIND.put(key(group, kind), new Kind(group, version, kind, plural, namespaced, phase));
  }

  private static String key(String group, String kind) {
    return group + "/" + kind;
  }

  /** The table entry of a built-in kind, or empty for a custom resource. */
  public static Optional<Kind> of(ObjectRef ref) {
    return Optional.ofNullable(BY_KIND.get(key(ref.group(), ref.kind())));
  }

  /** The phase an object is applied in. */
  public static Phase phase(ObjectRef ref) {
    return of(ref).map(Kind::phase).orElse(Phase.WORKLOADS);
  }

  /** Every kind in the table, in phase order. */
  public static Collection<Kind> all() {
    return BY_KIND.values();
  }

  /**
   * Kinds a station's objects may be pruned from. Namespaces and claims are left out on purpose:
   * deleting a namespace deletes everything in it, and a claim holds data.
   */
  public static boolean prunable(Kind k) {
    return !k.kind().equals("Namespace")
        && !k.kind().equals("PersistentVolumeClaim")
        && !k.kind().equals("CustomResourceDefinition");
  }
}
