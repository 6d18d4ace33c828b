package dev.vigil.apply;

import dev.vigil.apply.kube.KubeApi;
import dev.vigil.apply.kube.KubeException;
import dev.vigil.render.k8s.Labels;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything checked before the first object is applied, so a deploy that cannot succeed changes
 * nothing: the API server answers and accepts the credentials, the cluster is not another
 * station's, RBAC allows every verb the deploy will use, every API the objects need is served, and
 * every Secret the spec references exists with its keys.
 */
public final class Preflight {
  /** Something that stops the deploy, with the commands or settings that fix it. */
  public record Problem(String message, List<String> fixes) {
    public Problem(String message) {
      this(message, List.of());
    }
  }

  /**
   * @param serverVersion the API server's version, or "" when it could not be reached
   * @param passed one line per check that passed, for the report
   * @param problems what stops the deploy; empty when it may go ahead
   * @param access whether a problem is about access (reachability, credentials, RBAC) rather than
   *     input
   */
  public record Report(
      String serverVersion, List<String> passed, List<Problem> problems, boolean access) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private Preflight() {}

  public static Report run(Plan plan, Station station, KubeApi kube, boolean prune) {
    List<String> passed = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    String version;
    try {
      version = kube.serverVersion();
    } catch (KubeException e) {
      problems.add(new Problem(e.getMessage()));
      return new Report("", passed, problems, true);
    }
    passed.add(
        "API server "
            + kube.target().server()
            + " answers (Kubernetes "
            + version
            + ") and accepts the credentials");
    boolean access = false;
    try {
      ownership(plan, kube, passed, problems);
      access |= rbac(plan, kube, prune, passed, problems);
      apis(plan, kube, passed, problems);
      secrets(station, plan, kube, passed, problems);
    } catch (KubeException e) {
      problems.add(new Problem(e.getMessage()));
      access = access || e.accessProblem();
    }
    return new Report(version, passed, problems, access);
  }

  /**
   * A namespace already labelled as another station's means the context points at the wrong
   * cluster.
   */
  static void ownership(Plan plan, KubeApi kube, List<String> passed, List<Problem> problems)
      throws KubeException {
    List<String> exist = new ArrayList<>();
    for (String ns : plan.namespaces()) {
      Optional<GenericKubernetesResource> live =
          kube.get(new ObjectRef("v1", "Namespace", null, ns));
      if (live.isEmpty()) {
        continue;
      }
      exist.add(ns);
      Map<String, String> labels = live.get().getMetadata().getLabels();
      String owner = labels == null ? null : labels.get(Labels.INSTANCE);
      boolean vigil = labels != null && "vigil".equals(labels.get(Labels.PART_OF));
      if (vigil && owner != null && !owner.equals(plan.instance())) {
        problems.add(
            new Problem(
                "namespace "
                    + ns
                    + " on "
                    + kube.target()
                    + " belongs to the Vigil station '"
                    + owner
                    + "' ("
                    + Labels.INSTANCE
                    + "), not to '"
                    + plan.instance()
                    + "': is this the right cluster?",
                List.of(
                    "kubectl config get-contexts, then --context NAME for the cluster of '"
                        + plan.instance()
                        + "'",
                    "or, if this cluster is meant to run '"
                        + plan.instance()
                        + "', rename cluster.name or the namespaces")));
      }
    }
    boolean one = plan.namespaces().size() == 1;
    passed.add(
        exist.isEmpty()
            ? (one ? "namespace " : "namespaces ")
                + String.join(", ", plan.namespaces())
                + (one ? " does" : " do")
                + " not exist yet"
            : (exist.size() == 1 ? "namespace " : "namespaces ")
                + String.join(", ", exist)
                + (exist.size() == 1 ? " is" : " are")
                + " this station's or nobody's");
  }

  /** One verb on one resource, in one namespace (null: cluster scope). */
  record Permission(String verb, String group, String resource, String namespace) {
    @Override
    public String toString() {
      return verb
          + " "
          + resource
          + (group.isEmpty() ? "" : "." + group)
          + (namespace == null ? " (cluster-wide)" : " in namespace " + namespace);
    }
  }

  /** The permissions the deploy uses, in the order it uses them. */
  static Set<Permission> permissions(Plan plan, boolean prune) {
    Set<Permission> needed = new LinkedHashSet<>();
    Set<String> workloadNamespaces = new TreeSet<>();
    for (Plan.Step s : plan.steps()) {
      Optional<Kinds.Kind> k = Kinds.of(s.ref());
      if (k.isEmpty()) {
        continue;
      }
      String ns = k.get().namespaced() ? s.ref().namespace() : null;
      for (String verb : List.of("get", "create", "patch")) {
        needed.add(new Permission(verb, k.get().group(), k.get().plural(), ns));
      }
      if (k.get().phase() == Phase.WORKLOADS) {
        workloadNamespaces.add(s.ref().namespace());
      }
    }
    for (String ns : workloadNamespaces) {
      needed.add(new Permission("list", "", "pods", ns));
      needed.add(new Permission("get", "", "persistentvolumeclaims", ns));
    }
    if (prune) {
      for (Kinds.Kind k : Kinds.all()) {
        if (Kinds.prunable(k)) {
          needed.add(new Permission("list", k.group(), k.plural(), null));
          needed.add(new Permission("delete", k.group(), k.plural(), null));
        }
      }
    }
    return needed;
  }

  /** Asks the API server about each permission; returns whether a problem was found. */
  static boolean rbac(
      Plan plan, KubeApi kube, boolean prune, List<String> passed, List<Problem> problems)
      throws KubeException {
    Set<Permission> needed = permissions(plan, prune);
    List<Permission> denied = new ArrayList<>();
    try {
      for (Permission p : needed) {
        if (!kube.allowed(p.verb(), p.group(), p.resource(), p.namespace())) {
          denied.add(p);
        }
      }
    } catch (KubeException e) {
      if (e.reason() == KubeException.Reason.FORBIDDEN) {
        passed.add(
            "RBAC not checked ahead (selfsubjectaccessreviews refused): a denial stops the deploy when it happens");
        return false;
      }
      throw e;
    }
    if (denied.isEmpty()) {
      passed.add("RBAC allows the " + needed.size() + " verbs on resources the deploy uses");
      return false;
    }
    Map<String, List<String>> byNamespace = new LinkedHashMap<>();
    for (Permission p : denied) {
      byNamespace
          .computeIfAbsent(
              p.namespace() == null ? "cluster-wide" : "namespace " + p.namespace(),
              k -> new ArrayList<>())
          .add(p.verb() + " " + p.resource() + (p.group().isEmpty() ? "" : "." + p.group()));
    }
    StringBuilder sb =
        new StringBuilder(
            "RBAC on "
                + kube.target()
                + " refuses "
                + denied.size()
                + " of the "
                + needed.size()
                + " permissions the deploy needs:");
    byNamespace.forEach(
        (where, verbs) ->
            sb.append("\n    ").append(where).append(": ").append(String.join(", ", verbs)));
    problems.add(
        new Problem(
            sb.toString(),
            List.of(
                "kubectl auth can-i "
                    + denied.get(0).verb()
                    + " "
                    + denied.get(0).resource()
                    + (denied.get(0).namespace() == null ? "" : " -n " + denied.get(0).namespace())
                    + "  # confirms one of them",
                "grant them to "
                    + (kube.target().user().isEmpty() ? "this user" : kube.target().user())
                    + " (a Role/ClusterRole and binding), or use a context that has them")));
    return true;
  }

  static void apis(Plan plan, KubeApi kube, List<String> passed, List<Problem> problems)
      throws KubeException {
    List<ApiNeeds.Need> needs = ApiNeeds.of(plan);
    boolean certManager = true;
    for (ApiNeeds.Need n : needs) {
      if (!kube.serves(n.apiVersion(), n.kind())) {
        problems.add(new Problem(n.missingMessage()));
        if (n.apiVersion().startsWith("cert-manager.io/")) {
          certManager = false;
        }
      } else {
        passed.add(n.kind() + " (" + n.apiVersion() + ") is served");
      }
    }
    if (needs.isEmpty()) {
      passed.add("no custom resources or cert-manager needed");
    }
    if (!certManager) {
      return;
    }
    for (ApiNeeds.Issuer issuer : ApiNeeds.issuers(plan)) {
      try {
        if (kube.get(new ObjectRef("cert-manager.io/v1", "ClusterIssuer", null, issuer.name()))
            .isEmpty()) {
          problems.add(
              new Problem(
                  "ClusterIssuer "
                      + issuer.name()
                      + " does not exist, and the Ingresses of "
                      + String.join(", ", issuer.neededBy())
                      + " ask it for their certificates",
                  List.of(
                      "create the ClusterIssuer " + issuer.name() + " (see cert-manager's docs)",
                      "or set exposure.ingress.clusterIssuer to one that exists (kubectl get clusterissuers)")));
        } else {
          passed.add("ClusterIssuer " + issuer.name() + " exists");
        }
      } catch (KubeException e) {
        if (e.reason() != KubeException.Reason.FORBIDDEN) {
          throw e;
        }
        passed.add(
            "ClusterIssuer "
                + issuer.name()
                + " not checked (RBAC refuses to read clusterissuers)");
      }
    }
  }

  static void secrets(
      Station station, Plan plan, KubeApi kube, List<String> passed, List<Problem> problems)
      throws KubeException {
    List<SecretNeeds.Need> needs = SecretNeeds.of(station, plan);
    Set<String> missingNamespaces = new TreeSet<>();
    int present = 0;
    for (SecretNeeds.Need n : needs) {
      boolean nsExists =
          kube.get(new ObjectRef("v1", "Namespace", null, n.namespace())).isPresent();
      Optional<Set<String>> keys =
          nsExists ? kube.secretKeys(n.namespace(), n.name()) : Optional.empty();
      String used = "used by " + String.join(", ", n.usedBy());
      if (keys.isEmpty()) {
        List<String> fixes = new ArrayList<>();
        if (!nsExists && missingNamespaces.add(n.namespace())) {
          fixes.add("kubectl create namespace " + n.namespace());
        }
        fixes.add(n.createCommand());
        problems.add(
            new Problem(
                "Secret "
                    + n.namespace()
                    + "/"
                    + n.name()
                    + " does not exist"
                    + (n.keys().isEmpty() ? "" : " (keys " + String.join(", ", n.keys()) + ")")
                    + "; "
                    + used,
                fixes));
        continue;
      }
      Set<String> missing = new TreeSet<>(n.keys());
      missing.removeAll(keys.get());
      if (!missing.isEmpty()) {
        problems.add(
            new Problem(
                "Secret "
                    + n.namespace()
                    + "/"
                    + n.name()
                    + " has no key "
                    + String.join(", ", missing)
                    + " (it has: "
                    + (keys.get().isEmpty() ? "none" : String.join(", ", keys.get()))
                    + "); "
                    + used,
                List.of(n.replaceCommand(keys.get()))));
        continue;
      }
      present++;
    }
    if (needs.isEmpty()) {
      passed.add("no Secrets referenced");
    } else if (present == needs.size()) {
      passed.add(
          present
              + (present == 1 ? " Secret" : " Secrets")
              + " the spec references exist with their keys");
    }
  }
}
