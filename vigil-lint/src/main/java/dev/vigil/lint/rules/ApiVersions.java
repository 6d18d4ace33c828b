package dev.vigil.lint.rules;

import java.util.List;

/**
 * Beta API versions the API server stops serving, with the release that deprecated them, the one
 * that removed them and what to use instead: the Kubernetes deprecated API migration guide, as
 * data. Only kinds a manifest may create are listed.
 */
final class ApiVersions {
  private ApiVersions() {}

  /**
   * @param deprecated minor version of Kubernetes 1.x that deprecated it
   * @param removed minor version that no longer serves it
   * @param replacement the apiVersion to use instead, or a sentence when nothing replaces it
   */
  record Removal(String apiVersion, String kind, int deprecated, int removed, String replacement) {}

  static final List<Removal> REMOVALS = build();

  private static List<Removal> build() {
    java.util.ArrayList<Removal> r = new java.util.ArrayList<>();
    for (String kind : List.of("Deployment", "DaemonSet", "ReplicaSet")) {
      r.add(new Removal("extensions/v1beta1", kind, 9, 16, "apps/v1"));
      r.add(new Removal("apps/v1beta2", kind, 9, 16, "apps/v1"));
    }
    for (String kind : List.of("Deployment", "StatefulSet")) {
      r.add(new Removal("apps/v1beta1", kind, 9, 16, "apps/v1"));
    }
    r.add(new Removal("apps/v1beta2", "StatefulSet", 9, 16, "apps/v1"));
    r.add(new Removal("extensions/v1beta1", "NetworkPolicy", 9, 16, "networking.k8s.io/v1"));
    r.add(
        new Removal(
            "extensions/v1beta1",
            "PodSecurityPolicy",
            11,
            16,
            "policy/v1beta1 (itself removed in 1.25)"));
    // 1.22
    r.add(
        new Removal(
            "admissionregistration.k8s.io/v1beta1",
            "MutatingWebhookConfiguration",
            16,
            22,
            "admissionregistration.k8s.io/v1"));
    r.add(
        new Removal(
            "admissionregistration.k8s.io/v1beta1",
            "ValidatingWebhookConfiguration",
            16,
            22,
            "admissionregistration.k8s.io/v1"));
    r.add(
        new Removal(
            "apiextensions.k8s.io/v1beta1",
            "CustomResourceDefinition",
            16,
            22,
            "apiextensions.k8s.io/v1"));
    r.add(
        new Removal(
            "apiregistration.k8s.io/v1beta1", "APIService", 19, 22, "apiregistration.k8s.io/v1"));
    r.add(
        new Removal(
            "authentication.k8s.io/v1beta1", "TokenReview", 19, 22, "authentication.k8s.io/v1"));
    for (String kind :
        List.of("SubjectAccessReview", "LocalSubjectAccessReview", "SelfSubjectAccessReview")) {
      r.add(new Removal("authorization.k8s.io/v1beta1", kind, 19, 22, "authorization.k8s.io/v1"));
    }
    r.add(
        new Removal(
            "certificates.k8s.io/v1beta1",
            "CertificateSigningRequest",
            19,
            22,
            "certificates.k8s.io/v1"));
    r.add(new Removal("coordination.k8s.io/v1beta1", "Lease", 19, 22, "coordination.k8s.io/v1"));
    r.add(new Removal("extensions/v1beta1", "Ingress", 14, 22, "networking.k8s.io/v1"));
    r.add(new Removal("networking.k8s.io/v1beta1", "Ingress", 19, 22, "networking.k8s.io/v1"));
    r.add(new Removal("networking.k8s.io/v1beta1", "IngressClass", 19, 22, "networking.k8s.io/v1"));
    for (String kind : List.of("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")) {
      r.add(
          new Removal(
              "rbac.authorization.k8s.io/v1beta1", kind, 17, 22, "rbac.authorization.k8s.io/v1"));
    }
    r.add(
        new Removal("scheduling.k8s.io/v1beta1", "PriorityClass", 14, 22, "scheduling.k8s.io/v1"));
    for (String kind : List.of("CSIDriver", "CSINode", "StorageClass", "VolumeAttachment")) {
      r.add(new Removal("storage.k8s.io/v1beta1", kind, 19, 22, "storage.k8s.io/v1"));
    }
    // 1.25
    r.add(new Removal("batch/v1beta1", "CronJob", 21, 25, "batch/v1"));
    r.add(new Removal("discovery.k8s.io/v1beta1", "EndpointSlice", 21, 25, "discovery.k8s.io/v1"));
    r.add(new Removal("events.k8s.io/v1beta1", "Event", 19, 25, "events.k8s.io/v1"));
    r.add(new Removal("autoscaling/v2beta1", "HorizontalPodAutoscaler", 22, 25, "autoscaling/v2"));
    r.add(new Removal("policy/v1beta1", "PodDisruptionBudget", 21, 25, "policy/v1"));
    r.add(
        new Removal(
            "policy/v1beta1",
            "PodSecurityPolicy",
            21,
            25,
            "nothing: PodSecurityPolicy is gone; use Pod Security Admission (pod-security.kubernetes.io labels on the Namespace)"));
    r.add(new Removal("node.k8s.io/v1beta1", "RuntimeClass", 22, 25, "node.k8s.io/v1"));
    // 1.26
    r.add(new Removal("autoscaling/v2beta2", "HorizontalPodAutoscaler", 23, 26, "autoscaling/v2"));
    for (String kind : List.of("FlowSchema", "PriorityLevelConfiguration")) {
      r.add(
          new Removal(
              "flowcontrol.apiserver.k8s.io/v1beta1",
              kind,
              23,
              26,
              "flowcontrol.apiserver.k8s.io/v1"));
      r.add(
          new Removal(
              "flowcontrol.apiserver.k8s.io/v1beta2",
              kind,
              26,
              29,
              "flowcontrol.apiserver.k8s.io/v1"));
      r.add(
          new Removal(
              "flowcontrol.apiserver.k8s.io/v1beta3",
              kind,
              29,
              32,
              "flowcontrol.apiserver.k8s.io/v1"));
    }
    // 1.27
    r.add(new Removal("storage.k8s.io/v1beta1", "CSIStorageCapacity", 24, 27, "storage.k8s.io/v1"));
    return List.copyOf(r);
  }

  private static final java.util.Map<String, java.util.Map<String, Removal>> BY_VERSION = index();

  private static java.util.Map<String, java.util.Map<String, Removal>> index() {
    java.util.Map<String, java.util.Map<String, Removal>> m = new java.util.HashMap<>();
    for (Removal r : REMOVALS) {
      m.computeIfAbsent(r.apiVersion(), v -> new java.util.HashMap<>()).put(r.kind(), r);
    }
    return m;
  }

  static Removal find(String apiVersion, String kind) {
    java.util.Map<String, Removal> kinds = BY_VERSION.get(apiVersion);
    return kinds == null ? null : kinds.get(kind);
  }
}
