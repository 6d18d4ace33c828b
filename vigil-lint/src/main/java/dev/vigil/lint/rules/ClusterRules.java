package dev.vigil.lint.rules;

import static dev.vigil.lint.LintProfile.VIGIL;
import static dev.vigil.lint.Severity.ERROR;
import static dev.vigil.lint.Severity.WARNING;

import dev.vigil.lint.Context;
import dev.vigil.lint.Manifest;
import dev.vigil.lint.PodSpec;
import dev.vigil.lint.Rule;
import dev.vigil.lint.Severity;
import dev.vigil.lint.StationProfile;
import dev.vigil.lint.YamlValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules across objects: availability through drains and rollouts, RBAC grants, references between
 * objects of the linted set, and API versions the target cluster no longer serves.
 */
final class ClusterRules {
  private ClusterRules() {}

  private static Rule object(
      String id,
      Severity sev,
      String category,
      String title,
      String doc,
      String fix,
      ObjectRule.Check c) {
    return new ObjectRule(id, sev, VIGIL, category, title, doc, fix, c);
  }

  /** A rule on the objects of some kinds, visited through the kind index. */
  private static Rule kinds(
      List<String> kinds,
      String id,
      Severity sev,
      String category,
      String title,
      String doc,
      String fix,
      ObjectRule.Check c) {
    return new ObjectRule(id, sev, VIGIL, category, title, doc, fix, kinds, c);
  }

  private static Rule pod(
      String id,
      Severity sev,
      String category,
      String title,
      String doc,
      String fix,
      PodRule.Check c) {
    return new PodRule(id, sev, VIGIL, category, title, doc, fix, c);
  }

  private static final List<String> ROLES = List.of("Role", "ClusterRole");

  /** Labels that tools set to the release being deployed, so they change on every upgrade. */
  static final List<String> VERSION_LABELS = List.of("app.kubernetes.io/version", "helm.sh/chart");

  static List<Rule> all() {
    List<Rule> r = new ArrayList<>();
    // ---- availability
    r.add(
        kinds(
            List.of("PodDisruptionBudget"),
            "pdb-blocks-drain",
            WARNING,
            "availability",
            "PodDisruptionBudgets let a drain proceed",
            "A PodDisruptionBudget with maxUnavailable 0 or \"0%\", minAvailable \"100%\", or a"
                + " minAvailable at or above the replicas of the workloads it selects (for a workload"
                + " scaled by a HorizontalPodAutoscaler, its minReplicas; percentages round up as the"
                + " eviction API does) allows no eviction at all: every node drain, and so every node"
                + " upgrade, waits for it forever.",
            "Use maxUnavailable: 1, or a minAvailable below the replica count.",
            ClusterRules::pdbBlocksDrain));
    r.add(
        kinds(
            List.of("Pod"),
            "bare-pod",
            WARNING,
            "availability",
            "Pods have a controller",
            "A Pod without ownerReferences is not recreated when its node fails, drains or is"
                + " replaced; run it from a Deployment, StatefulSet, DaemonSet or Job.",
            "Wrap the pod template in a Deployment (or a Job for run-to-completion work).",
            ClusterRules::barePod));
    r.add(
        kinds(
            List.of("Deployment"),
            "single-replica",
            WARNING,
            "availability",
            "Production Deployments run more than one replica",
            "With the production station profile (--station-profile production), a Deployment with"
                + " one replica (replicas unset means 1) and no HorizontalPodAutoscaler keeping at"
                + " least two is unavailable during every rollout, drain and node failure. replicas: 0"
                + " (switched off) is not flagged.",
            "Set replicas: 2 or more (with a PodDisruptionBudget and spreading), or exempt the object with a reason.",
            ClusterRules::singleReplica));
    r.add(
        kinds(
            List.of("Deployment"),
            "recreate-with-pdb",
            WARNING,
            "availability",
            "Deployments guarded by a PDB roll out gradually",
            "A Deployment with strategy Recreate stops every pod before starting the new ones; a"
                + " PodDisruptionBudget selecting those pods says they must stay available, which a"
                + " Recreate rollout ignores (the budget only guards evictions).",
            "Use strategy RollingUpdate, or drop the PodDisruptionBudget if downtime is accepted.",
            ClusterRules::recreateWithPdb));
    r.add(
        pod(
            "duplicate-env",
            WARNING,
            "reliability",
            "Environment variable names are unique",
            "Two env entries with the same name in one container: the last silently wins, so the"
                + " manifest says two things and the container sees one (server-side apply refuses"
                + " the duplicate key).",
            "Remove the duplicate env entry.",
            ClusterRules::duplicateEnv));
    r.add(
        pod(
            "run-as-group-root",
            WARNING,
            "security",
            "Containers do not run with group 0",
            "securityContext.runAsGroup: 0 (pod or container) gives the process the root group,"
                + " which owns many files on the node's and the image's file systems.",
            "Set runAsGroup to a non-zero GID (for example 65534), or leave it unset.",
            ClusterRules::runAsGroupRoot));
    r.add(
        kinds(
            List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Service"),
            "selector-version-label",
            ERROR,
            "availability",
            "Selectors do not name a version",
            "A selector that includes a label which changes with every release"
                + " ("
                + String.join(", ", VERSION_LABELS)
                + ") breaks the next upgrade. The"
                + " selector of a Deployment, StatefulSet, DaemonSet or ReplicaSet (apps/v1) is"
                + " immutable: applying the new version's manifests fails with \"field is"
                + " immutable\" and the workload can only be deleted and recreated. A Service"
                + " selector can change, but then it selects only the new version's pods: every"
                + " replica still running the old version leaves the Service at once, and a rollout"
                + " that fails leaves it with no endpoints at all.",
            "Select on stable labels (app.kubernetes.io/name, app.kubernetes.io/instance); keep the version and chart labels on the pod template only.",
            ClusterRules::selectorVersionLabel));
    r.add(
        kinds(
            List.of("Job"),
            "job-ttl",
            WARNING,
            "reliability",
            "Finished Jobs are cleaned up",
            "A Job not created by a CronJob sets spec.ttlSecondsAfterFinished, so the Job and its"
                + " pods are deleted after it ends instead of piling up (CronJobs clean up through"
                + " their history limits).",
            "Set spec.ttlSecondsAfterFinished (for example 86400).",
            ClusterRules::jobTtl));
    // ---- RBAC
    r.add(
        kinds(
            List.of("RoleBinding", "ClusterRoleBinding"),
            "rbac-cluster-admin",
            ERROR,
            "rbac",
            "Nothing is bound to cluster-admin",
            "A RoleBinding or ClusterRoleBinding to the cluster-admin ClusterRole gives its subjects"
                + " every permission on every object; a compromised pod of the subject owns the"
                + " cluster.",
            "Bind a Role or ClusterRole with the verbs and resources the subject needs.",
            ClusterRules::clusterAdmin));
    r.add(
        kinds(
            ROLES,
            "rbac-wildcard",
            WARNING,
            "rbac",
            "RBAC rules name their verbs and resources",
            "A Role or ClusterRole rule with verbs [\"*\"] or resources [\"*\"] grants everything of"
                + " its kind today and whatever is added tomorrow, including escalate, bind and"
                + " impersonate.",
            "List the verbs and resources the workload needs.",
            ClusterRules::rbacWildcard));
    r.add(
        kinds(
            ROLES,
            "rbac-secret-read",
            WARNING,
            "rbac",
            "RBAC does not read every Secret",
            "A rule granting get, list or watch on secrets without resourceNames reads every Secret"
                + " in its scope (cluster-wide for a ClusterRole bound by a ClusterRoleBinding):"
                + " tokens, passwords and keys of other workloads. Collectors that need it (for"
                + " example kube-state-metrics) are exempted on the Role with vigil.dev/ignore and a"
                + " vigil.dev/ignore-reason.",
            "Restrict the rule with resourceNames, or drop secrets from it.",
            ClusterRules::rbacSecretRead));
    r.add(
        kinds(
            ROLES,
            "rbac-pod-exec",
            WARNING,
            "rbac",
            "RBAC does not grant pods/exec or pods/attach",
            "pods/exec and pods/attach run commands in, or attach to, any pod in scope: every"
                + " Secret those pods mount and every identity they hold becomes the subject's.",
            "Remove pods/exec and pods/attach from the rule.",
            ClusterRules::rbacPodExec));
    r.add(
        kinds(
            ROLES,
            "rbac-escalation",
            ERROR,
            "rbac",
            "RBAC does not grant escalate, bind or impersonate",
            "The escalate and bind verbs let a subject grant itself permissions it does not hold;"
                + " impersonate lets it act as any user, group or ServiceAccount.",
            "Remove escalate, bind and impersonate from the rule.",
            ClusterRules::rbacEscalation));
    // ---- references
    r.add(
        kinds(
            List.of(
                "Service",
                "PodDisruptionBudget",
                "NetworkPolicy",
                "ServiceMonitor",
                "PodMonitor",
                "HorizontalPodAutoscaler"),
            "selector-matches-nothing",
            WARNING,
            "references",
            "Selectors select something",
            "A Service, PodDisruptionBudget or NetworkPolicy whose selector matches no pod of the"
                + " linted set in its namespace, a ServiceMonitor matching no Service or a PodMonitor"
                + " matching no pod in the namespaces its namespaceSelector names (matchNames, any:"
                + " true for all, its own namespace when unset), or a HorizontalPodAutoscaler whose"
                + " scaleTargetRef names a workload that is not there, does nothing — usually a typo in"
                + " a label. Checked only where the linted set holds pods (or Services) in that"
                + " namespace; an empty selector (a namespace-wide policy) is not flagged. The pods the"
                + " Prometheus operator runs for Prometheus, PrometheusAgent, Alertmanager and"
                + " ThanosRuler resources count, with the labels the operator gives them"
                + " (spec.podMetadata.labels, app.kubernetes.io/name, app.kubernetes.io/instance,"
                + " prometheus or alertmanager: the resource's name).",
            "Correct the selector labels (or the scaleTargetRef name) to match the workload.",
            ClusterRules::selectorMatchesNothing));
    r.add(
        kinds(
            List.of("Ingress"),
            "ingress-backend",
            WARNING,
            "references",
            "Ingress backends exist",
            "Every Ingress backend (default backend and every path) names a Service of the linted"
                + " set in the Ingress's namespace, and a port that Service has (by number or name);"
                + " otherwise the controller answers 503.",
            "Correct the Service name or port, or add the Service.",
            ClusterRules::ingressBackend));
    r.add(
        kinds(
            List.of("Service"),
            "service-target-port",
            WARNING,
            "references",
            "Named target ports exist",
            "A Service port whose targetPort is a name must find that name among the container"
                + " ports of the pods it selects; otherwise the Service has no endpoints for it.",
            "Use a container port name the pods declare, or a number.",
            ClusterRules::serviceTargetPort));
    r.add(
        pod(
            "missing-reference",
            WARNING,
            "references",
            "Referenced ConfigMaps, Secrets and ServiceAccounts exist",
            "ConfigMaps and Secrets named by envFrom, env valueFrom, volumes (configMap, secret,"
                + " projected) and the ServiceAccount named by serviceAccountName are in the linted"
                + " set, and a referenced key is in the ConfigMap or Secret when that is in the set."
                + " A warning, since they may be created elsewhere: a reference is checked only where"
                + " the set holds objects of that kind in the pod's namespace (a set without any"
                + " Secret there manages its Secrets another way); references marked optional are not"
                + " checked. A missing object keeps the pod in ContainerCreating.",
            "Add the object to the manifests, correct the name, or mark the reference optional.",
            ClusterRules::missingReference));
    // ---- API versions
    r.add(
        object(
            "removed-api",
            ERROR,
            "api",
            "API versions are served by the target Kubernetes",
            "An object whose apiVersion the target Kubernetes release (kubernetesVersion, default the"
                + " newest) no longer serves cannot be applied: for example policy/v1beta1"
                + " PodDisruptionBudget (removed in 1.25, use policy/v1), autoscaling/v2beta2"
                + " HorizontalPodAutoscaler (1.26, autoscaling/v2), flowcontrol.apiserver.k8s.io/v1beta3"
                + " (1.32, v1). The list follows the Kubernetes deprecated API migration guide.",
            "Change apiVersion to the replacement the message names (and adapt changed fields).",
            ClusterRules::removedApi));
    r.add(
        object(
            "deprecated-api",
            WARNING,
            "api",
            "API versions are not deprecated",
            "An object whose apiVersion is deprecated in the target Kubernetes release"
                + " (kubernetesVersion) and removed in a later one: it applies today and fails after"
                + " the upgrade.",
            "Change apiVersion to the replacement the message names.",
            ClusterRules::deprecatedApi));
    return r;
  }

  // ---- shared indexes -------------------------------------------------------------------------

  /** Pod-bearing objects by namespace. */
  private static Map<String, List<PodSpec>> podsByNamespace(Context ctx) {
    return ctx.memo(
        "pods-by-namespace",
        () -> {
          Map<String, List<PodSpec>> m = new HashMap<>();
          for (PodSpec p : ctx.pods()) {
            m.computeIfAbsent(p.owner().namespace(), k -> new ArrayList<>()).add(p);
          }
          return m;
        });
  }

  private static List<PodSpec> podsIn(Context ctx, String ns) {
    return podsByNamespace(ctx).getOrDefault(ns, List.of());
  }

  /**
   * Pods by namespace, label key and label value: a selector's first matchLabels pair picks its
   * candidates.
   */
  private static Map<String, Map<String, Map<String, List<PodSpec>>>> podsByLabel(Context ctx) {
    return ctx.memo(
        "pods-by-label",
        () -> {
          Map<String, Map<String, Map<String, List<PodSpec>>>> m = new HashMap<>();
          for (PodSpec p : ctx.pods()) {
            Map<String, Map<String, List<PodSpec>>> ns =
                m.computeIfAbsent(p.owner().namespace(), k -> new HashMap<>());
            for (Map.Entry<String, Object> l : p.labels().entrySet()) {
              ns.computeIfAbsent(l.getKey(), k -> new HashMap<>())
                  .computeIfAbsent(String.valueOf(l.getValue()), k -> new ArrayList<>())
                  .add(p);
            }
          }
          return m;
        });
  }

  /**
   * The labels of the pods the Prometheus operator runs for its Prometheus, PrometheusAgent,
   * Alertmanager and ThanosRuler resources (shard 0), by namespace: spec.podMetadata.labels under
   * the labels the operator sets (prometheus-operator v0.93, makeSelectorLabels of each kind). They
   * are in no manifest, but Services, PDBs and NetworkPolicies select them.
   */
  static Map<String, List<Map<String, Object>>> operatorPods(Context ctx) {
    return ctx.memo(
        "operator-pods",
        () -> {
          Map<String, List<Map<String, Object>>> byNamespace = new HashMap<>();
          for (String kind :
              List.of("Prometheus", "PrometheusAgent", "Alertmanager", "ThanosRuler")) {
            for (Manifest m : ctx.ofKind(kind)) {
              if (!m.apiVersion().startsWith("monitoring.coreos.com/")) {
                continue;
              }
              Map<String, Object> spec = YamlValues.map(m.root(), "spec");
              Map<String, Object> labels = new java.util.LinkedHashMap<>();
              String version = YamlValues.str(spec, "version");
              if (version != null) {
                labels.put("app.kubernetes.io/version", version);
              }
              labels.putAll(YamlValues.map(YamlValues.map(spec, "podMetadata"), "labels"));
              String app =
                  switch (kind) {
                    case "Prometheus" -> "prometheus";
                    case "PrometheusAgent" -> "prometheus-agent";
                    case "Alertmanager" -> "alertmanager";
                    default -> "thanos-ruler";
                  };
              labels.put("app.kubernetes.io/name", app);
              labels.put("app.kubernetes.io/managed-by", "prometheus-operator");
              labels.put("app.kubernetes.io/instance", m.name());
              switch (kind) {
                case "Prometheus" -> {
                  labels.put("operator.prometheus.io/name", m.name());
                  labels.put("prometheus", m.name());
                  labels.put("operator.prometheus.io/shard", "0");
                }
                case "PrometheusAgent" -> {
                  labels.put("operator.prometheus.io/name", m.name());
                  labels.put("operator.prometheus.io/shard", "0");
                }
                case "Alertmanager" -> labels.put("alertmanager", m.name());
                default -> labels.put("thanos-ruler", m.name());
              }
              byNamespace.computeIfAbsent(m.namespace(), k -> new ArrayList<>()).add(labels);
            }
          }
          return byNamespace;
        });
  }

  private static boolean selectsOperatorPods(Context ctx, String ns, Map<String, Object> selector) {
    for (Map<String, Object> labels : operatorPods(ctx).getOrDefault(ns, List.of())) {
      if (Selectors.matches(selector, labels)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anySelected(Context ctx, String ns, Map<String, Object> selector) {
    for (PodSpec p : candidates(ctx, ns, selector)) {
      if (Selectors.matches(selector, p.labels())) {
        return true;
      }
    }
    return false;
  }

  private static List<PodSpec> candidates(Context ctx, String ns, Map<String, Object> selector) {
    Map<String, Object> ml = YamlValues.map(selector, "matchLabels");
    if (ml.isEmpty()) {
      return podsIn(ctx, ns);
    }
    Map.Entry<String, Object> first = ml.entrySet().iterator().next();
    return podsByLabel(ctx)
        .getOrDefault(ns, Map.of())
        .getOrDefault(first.getKey(), Map.of())
        .getOrDefault(String.valueOf(first.getValue()), List.of());
  }

  private static List<PodSpec> selected(Context ctx, String ns, Map<String, Object> selector) {
    List<PodSpec> candidates = candidates(ctx, ns, selector);
    List<PodSpec> out = new ArrayList<>(candidates.size());
    for (PodSpec p : candidates) {
      if (Selectors.matches(selector, p.labels())) {
        out.add(p);
      }
    }
    return out;
  }

  /** A Service selector: equality on every key. */
  private static Map<String, Object> equalitySelector(Map<String, Object> labels) {
    return Map.of("matchLabels", labels);
  }

  /** The HPA scaling an object, or null. */
  private static Manifest hpaFor(Context ctx, Manifest workload) {
    for (Manifest h : ctx.ofKindIn("HorizontalPodAutoscaler", workload.namespace())) {
      Map<String, Object> ref = YamlValues.map(YamlValues.map(h.root(), "spec"), "scaleTargetRef");
      if (workload.kind().equals(YamlValues.str(ref, "kind"))
          && workload.name().equals(YamlValues.str(ref, "name"))) {
        return h;
      }
    }
    return null;
  }

  /** The fewest replicas a workload runs with, or -1 when not known (DaemonSets, Jobs). */
  private static long minReplicas(Context ctx, PodSpec p) {
    String k = p.owner().kind();
    if (k.equals("Pod")) {
      return 1;
    }
    if (!Set.of("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController").contains(k)) {
      return -1;
    }
    Manifest hpa = hpaFor(ctx, p.owner());
    if (hpa != null) {
      Long min = YamlValues.num(YamlValues.map(hpa.root(), "spec"), "minReplicas");
      return min == null ? 1 : min;
    }
    return p.replicas();
  }

  private static boolean hasSelector(Map<String, Object> sel) {
    return !YamlValues.map(sel, "matchLabels").isEmpty()
        || !YamlValues.list(sel, "matchExpressions").isEmpty();
  }

  // ---- availability -------------------------------------------------------------------------

  /** "25%" → 25, else -1. */
  private static int percent(Object v) {
    String s = YamlValues.scalar(v);
    if (s == null || !s.strip().endsWith("%")) {
      return -1;
    }
    try {
      return Integer.parseInt(s.strip().substring(0, s.strip().length() - 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void pdbBlocksDrain(Manifest m, Context ctx) {
    if (!m.kind().equals("PodDisruptionBudget")) {
      return;
    }
    Map<String, Object> spec = YamlValues.map(m.root(), "spec");
    Object maxU = spec.get("maxUnavailable");
    Object minA = spec.get("minAvailable");
    if (maxU != null) {
      if ("0".equals(YamlValues.scalar(maxU).strip()) || percent(maxU) == 0) {
        ctx.report(
            m,
            spec,
            "maxUnavailable "
                + YamlValues.scalar(maxU)
                + " allows no eviction: every node drain blocks on it");
      }
      return;
    }
    if (minA == null) {
      return;
    }
    int pct = percent(minA);
    if (pct >= 100) {
      ctx.report(
          m,
          spec,
          "minAvailable "
              + YamlValues.scalar(minA)
              + " allows no eviction: every node drain blocks on it");
      return;
    }
    Map<String, Object> selector = YamlValues.map(spec, "selector");
    long total = 0;
    boolean viaHpa = false;
    List<PodSpec> pods = selected(ctx, m.namespace(), selector);
    if (pods.isEmpty()) {
      return;
    }
    for (PodSpec p : pods) {
      long n = minReplicas(ctx, p);
      if (n < 0) {
        return;
      }
      viaHpa |= hpaFor(ctx, p.owner()) != null;
      total += n;
    }
    long needed;
    if (pct >= 0) {
      needed = (pct * total + 99) / 100;
    } else {
      Long n = YamlValues.num(spec, "minAvailable");
      if (n == null) {
        return;
      }
      needed = n;
    }
    if (needed >= total) {
      ctx.report(
          m,
          spec,
          "minAvailable "
              + YamlValues.scalar(minA)
              + " with "
              + total
              + " replica"
              + (total == 1 ? "" : "s")
              + (viaHpa ? " (the HorizontalPodAutoscaler's minReplicas)" : "")
              + " allows no eviction: every node drain blocks on it");
    }
  }

  private static void barePod(Manifest m, Context ctx) {
    if (m.kind().equals("Pod") && YamlValues.list(m.metadata(), "ownerReferences").isEmpty()) {
      ctx.report(
          m,
          m.metadata(),
          "Pod without a controller: nothing recreates it when its node goes away");
    }
  }

  private static void singleReplica(Manifest m, Context ctx) {
    if (!m.kind().equals("Deployment")
        || ctx.config().stationProfile() != StationProfile.PRODUCTION) {
      return;
    }
    Map<String, Object> spec = YamlValues.map(m.root(), "spec");
    Long replicas = YamlValues.num(spec, "replicas");
    long n = replicas == null ? 1 : replicas;
    if (n != 1) {
      return;
    }
    Manifest hpa = hpaFor(ctx, m);
    Long min =
        hpa == null ? null : YamlValues.num(YamlValues.map(hpa.root(), "spec"), "minReplicas");
    if (hpa != null && min != null && min >= 2) {
      return;
    }
    ctx.report(
        m,
        spec,
        "1 replica in a production station: unavailable during every rollout, drain and node failure");
  }

  private static void recreateWithPdb(Manifest m, Context ctx) {
    if (!m.kind().equals("Deployment")) {
      return;
    }
    Map<String, Object> strategy = YamlValues.map(YamlValues.map(m.root(), "spec"), "strategy");
    if (!"Recreate".equals(YamlValues.str(strategy, "type"))) {
      return;
    }
    PodSpec p = PodSpec.of(m);
    for (Manifest pdb : ctx.ofKindIn("PodDisruptionBudget", m.namespace())) {
      Map<String, Object> sel = YamlValues.map(YamlValues.map(pdb.root(), "spec"), "selector");
      if (YamlValues.has(YamlValues.map(pdb.root(), "spec"), "selector")
          && Selectors.matches(sel, p.labels())) {
        ctx.report(
            m,
            strategy,
            "strategy Recreate stops every pod at once, though PodDisruptionBudget "
                + pdb.name()
                + " guards them");
        return;
      }
    }
  }

  private static void duplicateEnv(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.allContainers()) {
      List<Object> env = YamlValues.list(c.body(), "env");
      for (int i = 1; i < env.size(); i++) {
        String name = YamlValues.str(env.get(i), "name");
        for (int j = 0; name != null && j < i; j++) {
          if (name.equals(YamlValues.str(env.get(j), "name"))) {
            ctx.report(
                p.owner(),
                env.get(i),
                c.describe() + " sets env " + name + " more than once; the last one wins");
            break;
          }
        }
      }
    }
  }

  private static boolean rootGroup(Map<String, Object> sc) {
    Long g = YamlValues.num(sc, "runAsGroup");
    return g != null && g == 0;
  }

  private static void runAsGroupRoot(PodSpec p, Context ctx) {
    if (p.windows()) {
      return;
    }
    if (rootGroup(p.securityContext())) {
      ctx.report(
          p.owner(),
          p.securityContext(),
          p.prefix() + ".securityContext.runAsGroup is 0 (root group)");
    }
    for (PodSpec.Container c : p.allContainers()) {
      if (rootGroup(c.securityContext())) {
        ctx.report(p.owner(), c.body(), c.describe() + " runs with runAsGroup 0 (root group)");
      }
    }
  }

  private static void selectorVersionLabel(Manifest m, Context ctx) {
    Map<String, Object> spec = YamlValues.map(m.root(), "spec");
    Map<String, Object> selector = YamlValues.map(spec, "selector");
    boolean service = m.kind().equals("Service");
    Map<String, Object> matchLabels = service ? selector : YamlValues.map(selector, "matchLabels");
    List<Object> expressions = service ? List.of() : YamlValues.list(selector, "matchExpressions");
    for (String label : VERSION_LABELS) {
      boolean named = matchLabels.containsKey(label);
      for (int i = 0; i < expressions.size() && !named; i++) {
        named = label.equals(YamlValues.str(expressions.get(i), "key"));
      }
      if (named) {
        ctx.report(
            m,
            selector,
            m.kind().equals("Service")
                ? "Service selector includes "
                    + label
                    + ": after an upgrade it selects only the new version's pods"
                : m.kind()
                    + " selector includes "
                    + label
                    + ": the selector is immutable, so the next upgrade's apply fails");
      }
    }
  }

  private static void jobTtl(Manifest m, Context ctx) {
    if (!m.kind().equals("Job") || !YamlValues.list(m.metadata(), "ownerReferences").isEmpty()) {
      return;
    }
    Map<String, Object> spec = YamlValues.map(m.root(), "spec");
    if (!YamlValues.has(spec, "ttlSecondsAfterFinished")) {
      ctx.report(
          m, spec, "Job without spec.ttlSecondsAfterFinished: it and its pods stay after it ends");
    }
  }

  // ---- RBAC ---------------------------------------------------------------------------------

  private static boolean isRole(Manifest m) {
    return (m.kind().equals("Role") || m.kind().equals("ClusterRole"))
        && m.apiVersion().startsWith("rbac.authorization.k8s.io/");
  }

  private static List<String> strings(Object rule, String key) {
    List<String> out = new ArrayList<>();
    for (Object o : YamlValues.list(rule, key)) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  private static boolean coreGroup(Object rule) {
    List<String> groups = strings(rule, "apiGroups");
    return groups.contains("") || groups.contains("*");
  }

  private static void clusterAdmin(Manifest m, Context ctx) {
    if (!m.kind().equals("RoleBinding") && !m.kind().equals("ClusterRoleBinding")) {
      return;
    }
    Map<String, Object> ref = YamlValues.map(m.root(), "roleRef");
    if ("ClusterRole".equals(YamlValues.str(ref, "kind"))
        && "cluster-admin".equals(YamlValues.str(ref, "name"))) {
      ctx.report(
          m,
          ref,
          m.kind()
              + " grants cluster-admin"
              + (m.kind().equals("RoleBinding")
                  ? " in namespace " + m.namespace()
                  : " across the cluster"));
    }
  }

  private static void rbacWildcard(Manifest m, Context ctx) {
    if (!isRole(m)) {
      return;
    }
    List<Object> rules = YamlValues.list(m.root(), "rules");
    for (int i = 0; i < rules.size(); i++) {
      Object rule = rules.get(i);
      boolean verbs = strings(rule, "verbs").contains("*");
      boolean resources = strings(rule, "resources").contains("*");
      if (verbs || resources) {
        ctx.report(
            m,
            rule,
            "rules["
                + i
                + "] grants "
                + (verbs && resources
                    ? "every verb on every resource"
                    : verbs
                        ? "every verb on " + strings(rule, "resources")
                        : strings(rule, "verbs") + " on every resource")
                + " of apiGroups "
                + strings(rule, "apiGroups"));
      }
    }
  }

  private static void rbacSecretRead(Manifest m, Context ctx) {
    if (!isRole(m)) {
      return;
    }
    List<Object> rules = YamlValues.list(m.root(), "rules");
    for (int i = 0; i < rules.size(); i++) {
      Object rule = rules.get(i);
      List<String> res = strings(rule, "resources");
      List<String> verbs = strings(rule, "verbs");
      boolean secrets = res.contains("secrets") || res.contains("*");
      boolean reads =
          verbs.contains("get")
              || verbs.contains("list")
              || verbs.contains("watch")
              || verbs.contains("*");
      if (secrets && reads && coreGroup(rule) && YamlValues.list(rule, "resourceNames").isEmpty()) {
        ctx.report(
            m,
            rule,
            "rules["
                + i
                + "] reads every Secret"
                + (m.kind().equals("ClusterRole")
                    ? " it is bound to"
                    : " in namespace " + m.namespace())
                + " ("
                + verbs
                + " without resourceNames)");
      }
    }
  }

  private static void rbacPodExec(Manifest m, Context ctx) {
    if (!isRole(m)) {
      return;
    }
    List<Object> rules = YamlValues.list(m.root(), "rules");
    for (int i = 0; i < rules.size(); i++) {
      Object rule = rules.get(i);
      List<String> res = strings(rule, "resources");
      List<String> verbs = strings(rule, "verbs");
      List<String> hits =
          res.stream()
              .filter(s -> s.equals("pods/exec") || s.equals("pods/attach") || s.equals("pods/*"))
              .toList();
      boolean acts = verbs.contains("create") || verbs.contains("get") || verbs.contains("*");
      if (!hits.isEmpty() && acts && coreGroup(rule)) {
        ctx.report(m, rule, "rules[" + i + "] grants " + verbs + " on " + hits);
      }
    }
  }

  private static void rbacEscalation(Manifest m, Context ctx) {
    if (!isRole(m)) {
      return;
    }
    List<Object> rules = YamlValues.list(m.root(), "rules");
    for (int i = 0; i < rules.size(); i++) {
      Object rule = rules.get(i);
      List<String> hits =
          strings(rule, "verbs").stream()
              .filter(v -> v.equals("escalate") || v.equals("bind") || v.equals("impersonate"))
              .toList();
      if (!hits.isEmpty()) {
        ctx.report(
            m,
            rule,
            "rules["
                + i
                + "] grants "
                + String.join(", ", hits)
                + " on "
                + strings(rule, "resources"));
      }
    }
  }

  // ---- references ---------------------------------------------------------------------------

  private static final Set<String> SCALABLE =
      Set.of("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController");

  private static void selectorMatchesNothing(Manifest m, Context ctx) {
    Map<String, Object> spec = YamlValues.map(m.root(), "spec");
    String ns = m.namespace();
    switch (m.kind()) {
      case "Service" -> {
        Map<String, Object> sel = YamlValues.map(spec, "selector");
        if (!sel.isEmpty()
            && !"ExternalName".equals(YamlValues.str(spec, "type"))
            && !podsIn(ctx, ns).isEmpty()
            && servicePods(ctx, m).isEmpty()
            && !selectsOperatorPods(ctx, ns, equalitySelector(sel))) {
          ctx.report(
              m, sel, "Service selector " + sel + " matches no pod in namespace '" + ns + "'");
        }
      }
      case "PodDisruptionBudget" -> {
        Map<String, Object> sel = YamlValues.map(spec, "selector");
        if (hasSelector(sel)
            && !podsIn(ctx, ns).isEmpty()
            && !anySelected(ctx, ns, sel)
            && !selectsOperatorPods(ctx, ns, sel)) {
          ctx.report(
              m, sel, "PodDisruptionBudget selector matches no pod in namespace '" + ns + "'");
        }
      }
      case "NetworkPolicy" -> {
        Map<String, Object> sel = YamlValues.map(spec, "podSelector");
        if (hasSelector(sel)
            && !podsIn(ctx, ns).isEmpty()
            && !anySelected(ctx, ns, sel)
            && !selectsOperatorPods(ctx, ns, sel)) {
          ctx.report(m, sel, "NetworkPolicy podSelector matches no pod in namespace '" + ns + "'");
        }
      }
      case "ServiceMonitor", "PodMonitor" -> monitorSelector(m, ctx, spec);
      case "HorizontalPodAutoscaler" -> {
        Map<String, Object> ref = YamlValues.map(spec, "scaleTargetRef");
        String kind = YamlValues.str(ref, "kind");
        String name = YamlValues.str(ref, "name");
        if (kind != null
            && name != null
            && SCALABLE.contains(kind)
            && ctx.ofKindIn(kind, ns).stream().noneMatch(w -> w.name().equals(name))) {
          ctx.report(
              m,
              ref,
              "scaleTargetRef names "
                  + kind
                  + " "
                  + name
                  + ", which is not in namespace '"
                  + ns
                  + "' of the linted set");
        }
      }
      default -> {
        // other kinds select nothing
      }
    }
  }

  private static void monitorSelector(Manifest m, Context ctx, Map<String, Object> spec) {
    boolean podMonitor = m.kind().equals("PodMonitor");
    if (!m.apiVersion().startsWith("monitoring.coreos.com/")) {
      return;
    }
    Map<String, Object> sel = YamlValues.map(spec, "selector");
    Map<String, Object> nsSel = YamlValues.map(spec, "namespaceSelector");
    boolean any = YamlValues.isTrue(nsSel, "any");
    List<String> names = strings(nsSel, "matchNames");
    if (names.isEmpty()) {
      names = List.of(m.namespace());
    }
    int candidates = 0;
    for (Manifest t : podMonitor ? ctx.manifests() : ctx.ofKind("Service")) {
      PodSpec p = podMonitor ? PodSpec.of(t) : null;
      if (podMonitor && p == null || !any && !names.contains(t.namespace())) {
        continue;
      }
      candidates++;
      if (Selectors.matches(sel, podMonitor ? p.labels() : t.labels())) {
        return;
      }
    }
    if (podMonitor) {
      for (Map.Entry<String, List<Map<String, Object>>> e : operatorPods(ctx).entrySet()) {
        if (any || names.contains(e.getKey())) {
          for (Map<String, Object> labels : e.getValue()) {
            if (Selectors.matches(sel, labels)) {
              return;
            }
          }
        }
      }
    }
    if (candidates > 0) {
      ctx.report(
          m,
          sel,
          m.kind()
              + " selector matches no "
              + (podMonitor ? "pod" : "Service")
              + " in namespace"
              + (any
                  ? "s of the linted set"
                  : (names.size() == 1 ? " '" + names.get(0) + "'" : "s " + names)));
    }
  }

  static List<Object> backends(Map<String, Object> spec) {
    List<Object> out = new ArrayList<>();
    if (YamlValues.has(spec, "defaultBackend")) {
      out.add(spec.get("defaultBackend"));
    }
    if (YamlValues.has(spec, "backend")) {
      out.add(spec.get("backend"));
    }
    for (Object rule : YamlValues.list(spec, "rules")) {
      for (Object path : YamlValues.list(YamlValues.map(rule, "http"), "paths")) {
        if (YamlValues.has(path, "backend")) {
          out.add(YamlValues.get(path, "backend"));
        }
      }
    }
    return out;
  }

  private static void ingressBackend(Manifest m, Context ctx) {
    if (!m.kind().equals("Ingress")) {
      return;
    }
    for (Object b : backends(YamlValues.map(m.root(), "spec"))) {
      String name;
      Object port;
      if (YamlValues.has(b, "service")) {
        Map<String, Object> svc = YamlValues.map(b, "service");
        name = YamlValues.str(svc, "name");
        Map<String, Object> p = YamlValues.map(svc, "port");
        port = YamlValues.has(p, "number") ? p.get("number") : p.get("name");
      } else {
        name = YamlValues.str(b, "serviceName");
        port = YamlValues.get(b, "servicePort");
      }
      if (name == null) {
        continue; // a resource backend
      }
      Manifest svc =
          ctx.ofKindIn("Service", m.namespace()).stream()
              .filter(s -> s.name().equals(name))
              .findFirst()
              .orElse(null);
      if (svc == null) {
        ctx.report(
            m,
            b,
            "backend Service "
                + name
                + " is not in namespace '"
                + m.namespace()
                + "' of the linted set");
        continue;
      }
      if (port == null) {
        continue;
      }
      String want = String.valueOf(port);
      boolean found = false;
      for (Object sp : YamlValues.list(YamlValues.map(svc.root(), "spec"), "ports")) {
        found |= want.equals(YamlValues.str(sp, "name")) || want.equals(YamlValues.str(sp, "port"));
      }
      if (!found) {
        ctx.report(m, b, "backend Service " + name + " has no port " + want);
      }
    }
  }

  /** The pods a Service's selector selects, computed once for the rules that ask. */
  static List<PodSpec> servicePods(Context ctx, Manifest service) {
    Map<Manifest, List<PodSpec>> memo = ctx.memo("service-pods", java.util.IdentityHashMap::new);
    return memo.computeIfAbsent(
        service,
        s -> {
          Map<String, Object> sel = YamlValues.map(YamlValues.map(s.root(), "spec"), "selector");
          return sel.isEmpty() ? List.of() : selected(ctx, s.namespace(), equalitySelector(sel));
        });
  }

  private static void serviceTargetPort(Manifest m, Context ctx) {
    if (!m.kind().equals("Service")) {
      return;
    }
    Map<String, Object> spec = YamlValues.map(m.root(), "spec");
    Map<String, Object> sel = YamlValues.map(spec, "selector");
    boolean named = false;
    for (Object sp : YamlValues.list(spec, "ports")) {
      named |= YamlValues.get(sp, "targetPort") instanceof String;
    }
    if (sel.isEmpty() || !named) {
      return;
    }
    List<PodSpec> pods = servicePods(ctx, m);
    if (pods.isEmpty()) {
      return; // selector-matches-nothing says so
    }
    for (Object sp : YamlValues.list(spec, "ports")) {
      Object tp = YamlValues.get(sp, "targetPort");
      String name = tp instanceof String s && !YamlValues.isDigits(s) ? s : null;
      if (name == null) {
        continue;
      }
      boolean declared = false;
      for (PodSpec p : pods) {
        for (PodSpec.Container c : p.runContainers()) {
          for (Object cp : YamlValues.list(c.body(), "ports")) {
            declared |= name.equals(YamlValues.str(cp, "name"));
          }
        }
      }
      if (!declared) {
        ctx.report(
            m,
            sp,
            "targetPort " + name + " is not a container port name of the pods the Service selects");
      }
    }
  }

  /** ConfigMaps, Secrets and ServiceAccounts by kind, namespace and name. */
  private static Map<String, Map<String, Map<String, Manifest>>> referable(Context ctx) {
    return ctx.memo(
        "referable-by-name",
        () -> {
          Map<String, Map<String, Map<String, Manifest>>> m = new HashMap<>();
          for (String k : List.of("ConfigMap", "Secret", "ServiceAccount")) {
            Map<String, Map<String, Manifest>> byNs = m.computeIfAbsent(k, x -> new HashMap<>());
            for (Manifest o : ctx.ofKind(k)) {
              byNs.computeIfAbsent(o.namespace(), x -> new HashMap<>()).putIfAbsent(o.name(), o);
            }
          }
          return m;
        });
  }

  /** The objects of a referable kind in a namespace, by name; empty when the set holds none. */
  private static Map<String, Manifest> referable(Context ctx, String kind, String ns) {
    return referable(ctx).getOrDefault(kind, Map.of()).getOrDefault(ns, Map.of());
  }

  private static boolean hasKey(Manifest m, String key) {
    for (String field : List.of("data", "binaryData", "stringData")) {
      if (YamlValues.map(m.root(), field).containsKey(key)) {
        return true;
      }
    }
    return false;
  }

  private static void reference(
      PodSpec p,
      Context ctx,
      Object node,
      String kind,
      Object ref,
      String nameKey,
      String key,
      String what) {
    String name = YamlValues.str(ref, nameKey);
    if (name == null || YamlValues.isTrue(ref, "optional")) {
      return;
    }
    Map<String, Manifest> present = referable(ctx, kind, p.owner().namespace());
    if (present.isEmpty()) {
      return; // the set holds no object of this kind there: they are all managed elsewhere
    }
    Manifest target = present.get(name);
    if (target == null) {
      ctx.report(
          p.owner(),
          node,
          what
              + " names "
              + kind
              + " "
              + name
              + ", which is not in namespace '"
              + p.owner().namespace()
              + "' of the linted set");
    } else if (key != null && !hasKey(target, key)) {
      ctx.report(
          p.owner(),
          node,
          what + " names key " + key + ", which " + kind + " " + name + " does not have");
    }
  }

  private static void missingReference(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.allContainers()) {
      for (Object e : YamlValues.list(c.body(), "envFrom")) {
        reference(
            p,
            ctx,
            e,
            "ConfigMap",
            YamlValues.get(e, "configMapRef"),
            "name",
            null,
            c.describe() + " envFrom");
        reference(
            p,
            ctx,
            e,
            "Secret",
            YamlValues.get(e, "secretRef"),
            "name",
            null,
            c.describe() + " envFrom");
      }
      for (Object e : YamlValues.list(c.body(), "env")) {
        Map<String, Object> from = YamlValues.map(e, "valueFrom");
        Object cm = from.get("configMapKeyRef");
        Object sec = from.get("secretKeyRef");
        String env = c.describe() + " env " + YamlValues.str(e, "name");
        reference(p, ctx, e, "ConfigMap", cm, "name", YamlValues.str(cm, "key"), env);
        reference(p, ctx, e, "Secret", sec, "name", YamlValues.str(sec, "key"), env);
      }
    }
    for (Object v : YamlValues.list(p.spec(), "volumes")) {
      String what = "volume " + YamlValues.str(v, "name");
      reference(p, ctx, v, "ConfigMap", YamlValues.get(v, "configMap"), "name", null, what);
      reference(p, ctx, v, "Secret", YamlValues.get(v, "secret"), "secretName", null, what);
      for (Object src : YamlValues.list(YamlValues.map(v, "projected"), "sources")) {
        reference(p, ctx, v, "ConfigMap", YamlValues.get(src, "configMap"), "name", null, what);
        reference(p, ctx, v, "Secret", YamlValues.get(src, "secret"), "name", null, what);
      }
    }
    String sa = YamlValues.str(p.spec(), "serviceAccountName");
    if (sa == null || sa.isEmpty()) {
      sa = YamlValues.str(p.spec(), "serviceAccount");
    }
    Map<String, Manifest> accounts = referable(ctx, "ServiceAccount", p.owner().namespace());
    if (sa != null
        && !sa.isEmpty()
        && !sa.equals("default")
        && !accounts.isEmpty()
        && !accounts.containsKey(sa)) {
      ctx.report(
          p.owner(),
          p.spec(),
          "serviceAccountName "
              + sa
              + " is not a ServiceAccount in namespace '"
              + p.owner().namespace()
              + "' of the linted set");
    }
  }

  // ---- API versions -------------------------------------------------------------------------

  private static void removedApi(Manifest m, Context ctx) {
    ApiVersions.Removal r = ApiVersions.find(m.apiVersion(), m.kind());
    if (r == null) {
      return; // nearly every object: no need to parse the target version
    }
    int target = ctx.config().kubernetesMinor();
    if (target >= r.removed()) {
      ctx.report(
          m,
          m.root(),
          m.apiVersion()
              + " "
              + m.kind()
              + " was removed in Kubernetes 1."
              + r.removed()
              + (target == Integer.MAX_VALUE ? "" : " (target 1." + target + ")")
              + "; use "
              + r.replacement());
    }
  }

  private static void deprecatedApi(Manifest m, Context ctx) {
    ApiVersions.Removal r = ApiVersions.find(m.apiVersion(), m.kind());
    if (r == null) {
      return;
    }
    int target = ctx.config().kubernetesMinor();
    if (target >= r.deprecated() && target < r.removed()) {
      ctx.report(
          m,
          m.root(),
          m.apiVersion()
              + " "
              + m.kind()
              + " is deprecated since Kubernetes 1."
              + r.deprecated()
              + " and removed in 1."
              + r.removed()
              + "; use "
              + r.replacement());
    }
  }
}
