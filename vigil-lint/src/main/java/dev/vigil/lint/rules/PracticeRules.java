package dev.vigil.lint.rules;

import static dev.vigil.lint.LintProfile.BASELINE;
import static dev.vigil.lint.LintProfile.VIGIL;
import static dev.vigil.lint.Severity.ERROR;
import static dev.vigil.lint.Severity.WARNING;

import dev.vigil.lint.Context;
import dev.vigil.lint.Linter;
import dev.vigil.lint.Manifest;
import dev.vigil.lint.PodSpec;
import dev.vigil.lint.Rule;
import dev.vigil.lint.StationProfile;
import dev.vigil.lint.YamlValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The operators' workload standards beyond the Pod Security Standards. */
final class PracticeRules {
  private PracticeRules() {}

  static final Pattern SECRET_VALUE =
      Pattern.compile(
          "-----BEGIN [A-Z ]*PRIVATE KEY-----|\\bAKIA[0-9A-Z]{16}\\b|\\bgh[pousr]_[A-Za-z0-9]{36,}\\b"
              + "|\\bxox[baprs]-[A-Za-z0-9-]{10,}|hooks\\.slack\\.com/services/[A-Za-z0-9/]+"
              + "|\\bglsa_[A-Za-z0-9_]{20,}|\\bsk_live_[A-Za-z0-9]{16,}"
              // user:password@ in a URL; a ${VAR} or $(VAR) placeholder is not a password.
              + "|\\b[a-z][a-z0-9+.-]*://[^/\\s:@]+:[^/\\s@$]+@");
  static final Pattern PLACEHOLDER =
      Pattern.compile("^\\s*(\\$\\{[^}]*}|\\$\\([^)]*\\)|<[^>]*>|)\\s*$");
  static final Set<String> STATELESS_LOKI_TARGETS =
      Set.of(
          "querier",
          "query-frontend",
          "distributor",
          "read",
          "gateway",
          "query-scheduler",
          "index-gateway");

  private static Rule pod(
      String id,
      dev.vigil.lint.Severity sev,
      String category,
      String title,
      String doc,
      String fix,
      PodRule.Check c) {
    return new PodRule(id, sev, VIGIL, category, title, doc, fix, c);
  }

  private static Rule object(
      String id,
      dev.vigil.lint.Severity sev,
      String category,
      String title,
      String doc,
      String fix,
      ObjectRule.Check c) {
    return new ObjectRule(id, sev, VIGIL, category, title, doc, fix, c);
  }

  static List<Rule> all() {
    List<Rule> r = new ArrayList<>();
    r.add(
        new ObjectRule(
            "exemption-reason",
            ERROR,
            BASELINE,
            "exemptions",
            "Every exemption states its reason",
            "An object that sets the vigil.dev/ignore annotation must also set a non-empty"
                + " vigil.dev/ignore-reason saying why the rules do not apply. Without a reason the"
                + " exemption is not honoured: the exempted findings are still reported.",
            "Add metadata.annotations[\"vigil.dev/ignore-reason\"] explaining the exemption.",
            PracticeRules::exemptionReason));
    r.add(
        new ObjectRule(
            "exemption-unknown-rule",
            WARNING,
            BASELINE,
            "exemptions",
            "Exemptions name existing rules",
            "Every id listed in vigil.dev/ignore must be a rule id; a typo would silently exempt"
                + " nothing while looking like an exemption.",
            "Correct the rule id (see `vigil lint --list-rules`).",
            PracticeRules::exemptionUnknown));
    r.add(
        pod(
            "image-tag",
            WARNING,
            "images",
            "Images are pinned",
            "Every container image names a version tag other than latest, or a digest. An untagged"
                + " or latest image changes under you on the next pull and makes rollbacks"
                + " meaningless.",
            "Use an explicit version tag (prom/prometheus:v3.5.0) or a digest (@sha256:...).",
            PracticeRules::imageTag));
    r.add(
        pod(
            "image-registry",
            WARNING,
            "images",
            "Images come from allowed registries",
            "Every container image is pulled from a registry on the allowed list (configuration key"
                + " registries; default docker.io, quay.io, ghcr.io, registry.k8s.io). An entry may be"
                + " a registry host or a registry/path prefix. Images without a registry are"
                + " docker.io images. An empty list turns the rule off.",
            "Mirror the image into an allowed registry, or add the registry to `registries`.",
            PracticeRules::imageRegistry));
    r.add(
        object(
            "required-labels",
            WARNING,
            "metadata",
            "Objects carry the required labels",
            "Every object except Namespaces sets the labels listed in requiredLabels (default"
                + " app.kubernetes.io/name) so dashboards, alerts and selectors can group it.",
            "Add the missing labels to metadata.labels.",
            PracticeRules::requiredLabels));
    r.add(
        pod(
            "resources",
            WARNING,
            "reliability",
            "Containers set requests and limits",
            "Every container and init container sets requests.cpu, requests.memory, limits.cpu and"
                + " limits.memory, so the scheduler can place it and a leak cannot starve the node.",
            "Set resources.requests and resources.limits for cpu and memory.",
            PracticeRules::resources));
    r.add(
        pod(
            "liveness-probe",
            WARNING,
            "reliability",
            "Long-running containers have a liveness probe",
            "Containers of long-running workloads (not Jobs or CronJobs) define a livenessProbe so a"
                + " hung process is restarted.",
            "Add livenessProbe (httpGet on the health endpoint, or tcpSocket).",
            (p, ctx) -> probe(p, ctx, "livenessProbe")));
    r.add(
        pod(
            "readiness-probe",
            WARNING,
            "reliability",
            "Long-running containers have a readiness probe",
            "Containers of long-running workloads (not Jobs or CronJobs) define a readinessProbe so"
                + " traffic only reaches them once they can serve it.",
            "Add readinessProbe (httpGet on the readiness endpoint, or tcpSocket).",
            (p, ctx) -> probe(p, ctx, "readinessProbe")));
    r.add(
        pod(
            "probe-port",
            ERROR,
            "reliability",
            "Probe ports exist on the container",
            "A probe's httpGet, tcpSocket or grpc port must be a TCP port the container declares: a"
                + " named port must match a ports[].name, a number a ports[].containerPort, and the port"
                + " must not be declared only for UDP or SCTP (the kubelet connects over TCP). A probe on"
                + " the wrong port restarts a healthy container forever.",
            "Point the probe at a declared port, or declare the port under ports.",
            PracticeRules::probePort));
    r.add(
        pod(
            "pdb-coverage",
            WARNING,
            "availability",
            "Replicated workloads have a PodDisruptionBudget",
            "A Deployment or StatefulSet with more than one replica is selected by a"
                + " PodDisruptionBudget in the same namespace, so node drains keep it available.",
            "Add a PodDisruptionBudget whose selector matches the pod template labels.",
            PracticeRules::pdbCoverage));
    r.add(
        pod(
            "anti-affinity",
            WARNING,
            "availability",
            "Replicas are spread across nodes",
            "A Deployment or StatefulSet with more than one replica sets a podAntiAffinity term or"
                + " a topologySpreadConstraint that counts its own pods: a topologyKey, a labelSelector"
                + " matching the pod template labels, and (anti-affinity) namespaces that include the"
                + " workload's own. A term limited to another namespace, or selecting other pods,"
                + " spreads nothing. Otherwise all replicas may land on one node and fail together.",
            "Add topologySpreadConstraints on kubernetes.io/hostname (or podAntiAffinity).",
            PracticeRules::antiAffinity));
    r.add(
        pod(
            "network-policy",
            WARNING,
            "network",
            "Every pod is selected by a NetworkPolicy",
            "Every pod-bearing object's pods are selected by at least one NetworkPolicy in the same"
                + " namespace (podSelector {} selects all pods) whose policyTypes include Ingress (the"
                + " default when policyTypes is unset). Unselected pods, and pods selected only by"
                + " Egress policies, accept traffic from anywhere in the cluster.",
            "Add a NetworkPolicy whose podSelector matches the pod labels.",
            PracticeRules::networkPolicy));
    r.add(
        pod(
            "service-account",
            WARNING,
            "identity",
            "Workloads use a dedicated ServiceAccount",
            "Pods set serviceAccountName to an account of their own, not default, so RBAC grants"
                + " stay per workload.",
            "Create a ServiceAccount for the workload and set spec.serviceAccountName.",
            PracticeRules::serviceAccount));
    r.add(
        pod(
            "token-automount",
            WARNING,
            "identity",
            "API token mounting is a decision",
            "A pod gets a Kubernetes API token unless automountServiceAccountToken is false on the"
                + " pod or its ServiceAccount. The rule fires when neither says anything: set false"
                + " when the workload does not call the API, or true explicitly when it does"
                + " (Prometheus service discovery, kube-state-metrics).",
            "Set spec.automountServiceAccountToken: false (or true where the API is needed).",
            PracticeRules::tokenAutomount));
    r.add(
        new ObjectRule(
            "service-exposed",
            WARNING,
            VIGIL,
            "network",
            "No NodePort or LoadBalancer in production",
            "With the production station profile (--station-profile production), Services of type"
                + " NodePort or LoadBalancer are flagged: production traffic enters through an"
                + " Ingress with TLS. The homelab profile (default) allows them.",
            "Use type ClusterIP behind an Ingress, or exempt the Service with a reason.",
            List.of("Service"),
            PracticeRules::serviceExposed));
    r.add(
        new ObjectRule(
            "ingress-tls",
            WARNING,
            VIGIL,
            "network",
            "Ingresses terminate TLS",
            "Every Ingress has a spec.tls entry, and every rule host is covered by a tls host"
                + " (wildcards count); otherwise credentials and dashboards travel in clear text.",
            "Add spec.tls with a secretName covering the hosts.",
            List.of("Ingress"),
            PracticeRules::ingressTls));
    r.add(
        pod(
            "secret-in-env",
            ERROR,
            "secrets",
            "No secrets in environment literals",
            "Environment variables whose name names a credential (…PASSWORD, …SECRET, …TOKEN,"
                + " …_KEY, …_ACCESS_KEY, …_PRIVATE_KEY, KEY_CONTENT, …_PASS, …_PWD, …_PAT,"
                + " connection strings, webhook URLs: the names AWS, Google Cloud, Azure, OCI,"
                + " DigitalOcean, GitHub, GitLab, CircleCI, Slack, Stripe, Twilio, SendGrid and the"
                + " database images document) or whose value looks like a credential (private key,"
                + " cloud or chat token) must come from valueFrom.secretKeyRef, never a literal in the"
                + " manifest. Names that point at a credential (…_FILE, …_PATH, …_ID, …_URL, PUBLIC_KEY)"
                + " are not flagged.",
            "Move the value into a Secret and use env[].valueFrom.secretKeyRef.",
            PracticeRules::secretInEnv));
    r.add(
        new ObjectRule(
            "secret-in-configmap",
            ERROR,
            VIGIL,
            "secrets",
            "No secrets in ConfigMaps",
            "ConfigMap keys that look like secrets, values that look like credentials (private"
                + " keys, cloud and chat tokens, URLs with user:password@), and password/token"
                + " assignments inside embedded config files are flagged (endpoints such as token_url"
                + " are addresses, not secrets):"
                + " ConfigMaps are readable by far more principals than Secrets and end up in logs.",
            "Move the value into a Secret (use the component's *_file option or env from a Secret).",
            List.of("ConfigMap"),
            PracticeRules::secretInConfigMap));
    r.add(
        new ObjectRule(
            "secret-manifest",
            ERROR,
            VIGIL,
            "secrets",
            "No Secret values in manifests",
            "A Secret whose data or stringData holds a value puts that value in plain text (base64 is"
                + " an encoding, not a cipher) into the repository, its history, every copy of the"
                + " rendered manifests and every CI log that prints them. Create Secrets out of band"
                + " (kubectl create secret, a secret manager) or commit them encrypted: a SealedSecret,"
                + " an ExternalSecret that names the value in a secret store, or a SOPS-encrypted"
                + " Secret (every value ENC[...]) are not flagged, and neither is a Secret without"
                + " values, such as a service-account-token Secret that the token controller fills.",
            "Remove the values: create the Secret outside the manifests, or commit a SealedSecret or ExternalSecret instead.",
            List.of("Secret"),
            PracticeRules::secretManifest));
    r.add(
        pod(
            "stateful-monitoring",
            WARNING,
            "monitoring",
            "Stateful components run as StatefulSets",
            "Components that keep state on disk (Prometheus' TSDB, Loki's chunks and index,"
                + " Alertmanager's silences, Grafana's database, a syslog journal) lose or share it"
                + " when they run as a Deployment: during a rollout two pods use one volume, or the"
                + " new pod starts empty. Their images, by short name (the last path segment of the"
                + " repository: prometheus, loki), are the statefulImages setting; `vigil lint` sets"
                + " it to the images of Vigil's stateful components, the library leaves it empty. A"
                + " container running one of them in a Deployment, ReplicaSet or"
                + " ReplicationController is flagged. Stateless Loki targets (querier, distributor,"
                + " ...) are fine as Deployments.",
            "Convert the Deployment to a StatefulSet with a volumeClaimTemplate.",
            PracticeRules::statefulMonitoring));
    r.add(
        pod(
            "read-only-root-fs",
            WARNING,
            "security",
            "Root filesystems are read-only",
            "Every container sets securityContext.readOnlyRootFilesystem: true so an intruder cannot"
                + " modify binaries; writable paths are emptyDir volumes.",
            "Set readOnlyRootFilesystem: true and mount emptyDir volumes where the process writes.",
            PracticeRules::readOnlyRootFs));
    return r;
  }

  // ---- exemptions ---------------------------------------------------------------------------

  private static void exemptionReason(Manifest m, Context ctx) {
    String ids = YamlValues.str(m.annotations(), Linter.IGNORE);
    if (ids == null) {
      return;
    }
    String reason = YamlValues.str(m.annotations(), Linter.IGNORE_REASON);
    if (reason == null || reason.isBlank()) {
      ctx.report(
          m,
          m.metadata(),
          "exempts " + ids.strip() + " without a " + Linter.IGNORE_REASON + " annotation");
    }
  }

  private static void exemptionUnknown(Manifest m, Context ctx) {
    String ids = YamlValues.str(m.annotations(), Linter.IGNORE);
    if (ids == null) {
      return;
    }
    Set<String> known = Linter.ruleIds();
    for (String id : ids.split(",")) {
      String t = id.trim();
      if (!t.isEmpty() && !known.contains(t)) {
        ctx.report(m, m.metadata(), "exempts unknown rule '" + t + "'");
      }
    }
  }

  // ---- images -------------------------------------------------------------------------------

  private static void imageTag(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.allContainers()) {
      if (c.image().isEmpty()) {
        ctx.report(p.owner(), c.body(), c.describe() + " has no image");
        continue;
      }
      ImageReference i = ImageReference.of(ctx, c.image());
      if (i.digest() != null) {
        continue;
      }
      if (i.tag() == null) {
        ctx.report(p.owner(), c.body(), c.describe() + " image " + c.image() + " has no tag");
      } else if (i.tag().equals("latest")) {
        ctx.report(
            p.owner(), c.body(), c.describe() + " image " + c.image() + " uses the latest tag");
      }
    }
  }

  private static void imageRegistry(PodSpec p, Context ctx) {
    List<String> allowed = ctx.config().registries();
    if (allowed.isEmpty()) {
      return;
    }
    for (PodSpec.Container c : p.allContainers()) {
      if (c.image().isEmpty()) {
        continue;
      }
      ImageReference i = ImageReference.of(ctx, c.image());
      String loc = i.location();
      boolean ok = false;
      for (int k = 0; k < allowed.size() && !ok; k++) {
        String a = allowed.get(k);
        a = a.endsWith("/") ? a.substring(0, a.length() - 1) : a;
        ok =
            i.registry().equals(a)
                || loc.startsWith(a) && loc.length() > a.length() && loc.charAt(a.length()) == '/'
                || loc.equals(a);
      }
      if (!ok) {
        ctx.report(
            p.owner(),
            c.body(),
            c.describe()
                + " image "
                + c.image()
                + " comes from registry "
                + i.registry()
                + ", not in "
                + allowed);
      }
    }
  }

  private static void requiredLabels(Manifest m, Context ctx) {
    // A Namespace holds many applications; its labels select policies (pod-security.kubernetes.io)
    // rather than name an application.
    if (m.kind().equals("Namespace")) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (String l : ctx.config().requiredLabels()) {
      String v = YamlValues.str(m.labels(), l);
      if (v == null || v.isEmpty()) {
        missing.add(l);
      }
    }
    if (!missing.isEmpty()) {
      ctx.report(m, m.metadata(), "missing labels " + missing);
    }
  }

  // ---- reliability --------------------------------------------------------------------------

  private static void resources(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.runContainers()) {
      Map<String, Object> res = YamlValues.map(c.body(), "resources");
      List<String> missing = new ArrayList<>();
      for (String kind : List.of("requests", "limits")) {
        for (String r : List.of("cpu", "memory")) {
          if (YamlValues.str(YamlValues.map(res, kind), r) == null) {
            missing.add(kind + "." + r);
          }
        }
      }
      if (!missing.isEmpty()) {
        ctx.report(
            p.owner(), c.body(), c.describe() + " does not set " + String.join(", ", missing));
      }
    }
  }

  private static void probe(PodSpec p, Context ctx, String probe) {
    if (!p.longLived()) {
      return;
    }
    for (PodSpec.Container c : p.longRunning()) {
      if (!YamlValues.has(c.body(), probe)) {
        ctx.report(p.owner(), c.body(), c.describe() + " has no " + probe);
      }
    }
  }

  private static void probePort(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.allContainers()) {
      // Probes connect over TCP (httpGet, tcpSocket, grpc): a port declared only for UDP or SCTP
      // is never listened on for them, and the probe fails forever.
      Set<String> names = new java.util.HashSet<>();
      Set<Long> numbers = new java.util.HashSet<>();
      Set<String> otherNames = new java.util.HashSet<>();
      Set<Long> otherNumbers = new java.util.HashSet<>();
      for (Object port : YamlValues.list(c.body(), "ports")) {
        String protocol = YamlValues.str(port, "protocol");
        boolean tcp = protocol == null || protocol.equals("TCP");
        String n = YamlValues.str(port, "name");
        if (n != null) {
          (tcp ? names : otherNames).add(n);
        }
        Long num = YamlValues.num(port, "containerPort");
        if (num != null) {
          (tcp ? numbers : otherNumbers).add(num);
        }
      }
      for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
        Map<String, Object> pr = YamlValues.map(c.body(), probe);
        for (String action : List.of("httpGet", "tcpSocket", "grpc")) {
          if (!YamlValues.has(pr, action)) {
            continue;
          }
          Object port = YamlValues.get(YamlValues.map(pr, action), "port");
          if (port == null) {
            continue;
          }
          boolean ok;
          boolean otherProtocol;
          String text = String.valueOf(port);
          // 18 digits at most: a longer number is no port and would overflow the parse.
          if (port instanceof Number || YamlValues.isDigits(text) && text.length() <= 18) {
            long n = port instanceof Number num ? num.longValue() : Long.parseLong(text);
            ok = numbers.contains(n);
            otherProtocol = otherNumbers.contains(n);
          } else {
            ok = names.contains(text);
            otherProtocol = otherNames.contains(text);
          }
          if (!ok && otherProtocol) {
            ctx.report(
                p.owner(),
                pr,
                c.describe()
                    + " "
                    + probe
                    + " targets port "
                    + port
                    + ", which the container declares only for UDP or SCTP; the probe connects over TCP");
          } else if (!ok) {
            ctx.report(
                p.owner(),
                pr,
                c.describe()
                    + " "
                    + probe
                    + " targets port "
                    + port
                    + ", which the container does not declare");
          }
        }
      }
    }
  }

  private static boolean replicated(PodSpec p) {
    String k = p.owner().kind();
    return (k.equals("Deployment") || k.equals("StatefulSet")) && p.replicas() > 1;
  }

  private static void pdbCoverage(PodSpec p, Context ctx) {
    if (!replicated(p)) {
      return;
    }
    SelectorIndex pdbs =
        ctx.memo(
            "pdb-selectors",
            () ->
                new SelectorIndex(
                    ctx.ofKind("PodDisruptionBudget"),
                    m -> {
                      Map<String, Object> spec = YamlValues.map(m.root(), "spec");
                      return YamlValues.has(spec, "selector")
                          ? YamlValues.map(spec, "selector")
                          : null;
                    }));
    if (!pdbs.anySelects(p.owner().namespace(), p.labels())) {
      ctx.report(
          p.owner(),
          p.owner().metadata(),
          p.replicas() + " replicas but no PodDisruptionBudget selects the pods");
    }
  }

  private static void antiAffinity(PodSpec p, Context ctx) {
    if (!replicated(p)) {
      return;
    }
    boolean spreadsOwnPods = false;
    boolean anyTerm = false;
    List<Object> constraints = YamlValues.list(p.spec(), "topologySpreadConstraints");
    for (Object c : constraints) {
      // A constraint counts the pods its selector matches in the pod's own namespace.
      anyTerm = true;
      spreadsOwnPods |=
          YamlValues.str(c, "topologyKey") != null && selectsOwnPods(p, ctx, c, false);
    }
    Map<String, Object> anti =
        YamlValues.map(YamlValues.map(p.spec(), "affinity"), "podAntiAffinity");
    if (!spreadsOwnPods && !anti.isEmpty()) {
      for (Object term : YamlValues.list(anti, "requiredDuringSchedulingIgnoredDuringExecution")) {
        anyTerm = true;
        spreadsOwnPods |=
            YamlValues.str(term, "topologyKey") != null && selectsOwnPods(p, ctx, term, true);
      }
      for (Object weighted :
          YamlValues.list(anti, "preferredDuringSchedulingIgnoredDuringExecution")) {
        Object term = YamlValues.get(weighted, "podAffinityTerm");
        anyTerm = true;
        spreadsOwnPods |=
            YamlValues.str(term, "topologyKey") != null && selectsOwnPods(p, ctx, term, true);
      }
    }
    if (!anyTerm) {
      ctx.report(
          p.owner(),
          p.spec(),
          p.replicas() + " replicas without podAntiAffinity or topologySpreadConstraints");
    } else if (!spreadsOwnPods) {
      ctx.report(
          p.owner(),
          p.spec(),
          p.replicas()
              + " replicas, but no podAntiAffinity term or topologySpreadConstraint"
              + " selects the workload's own pods in its own namespace, so nothing keeps them apart");
    }
  }

  /**
   * Whether a podAntiAffinity term (or, {@code term} false, a topology spread constraint) counts
   * the workload's own pods: its labelSelector (or matchLabelKeys) matches the pod labels, and its
   * namespaces — the pod's own when neither namespaces nor namespaceSelector is set — include the
   * pod's namespace.
   */
  private static boolean selectsOwnPods(PodSpec p, Context ctx, Object term, boolean affinityTerm) {
    Map<String, Object> selector = YamlValues.map(term, "labelSelector");
    boolean byKeys = !YamlValues.list(term, "matchLabelKeys").isEmpty();
    if (!YamlValues.has(term, "labelSelector") && !byKeys) {
      return false; // a term without a selector matches no pods
    }
    if (YamlValues.has(term, "labelSelector") && !Selectors.matches(selector, p.labels())) {
      return false;
    }
    if (!affinityTerm) {
      return true;
    }
    String ns = p.owner().namespace();
    List<Object> namespaces = YamlValues.list(term, "namespaces");
    boolean hasSelector = YamlValues.get(term, "namespaceSelector") instanceof Map;
    if (namespaces.isEmpty() && !hasSelector) {
      return true;
    }
    if (namespaces.stream().map(String::valueOf).anyMatch(ns::equals)) {
      return true;
    }
    if (!hasSelector) {
      return false;
    }
    // The API server labels every namespace with its name; other labels come from the Namespace
    // object when it is in the set. Without it, a selector on other labels cannot be decided.
    Map<String, Object> nsLabels = new java.util.LinkedHashMap<>();
    Manifest nsObject = null;
    for (Manifest m : ctx.ofKind("Namespace")) {
      if (m.name().equals(ns)) {
        nsObject = m;
        nsLabels.putAll(m.labels());
      }
    }
    nsLabels.put("kubernetes.io/metadata.name", ns);
    Map<String, Object> nsSelector = YamlValues.map(term, "namespaceSelector");
    if (Selectors.matches(nsSelector, nsLabels)) {
      return true;
    }
    return nsObject == null && !onlyNameLabel(nsSelector);
  }

  private static boolean onlyNameLabel(Map<String, Object> selector) {
    Set<String> keys = new java.util.HashSet<>(YamlValues.map(selector, "matchLabels").keySet());
    for (Object e : YamlValues.list(selector, "matchExpressions")) {
      keys.add(String.valueOf(YamlValues.str(e, "key")));
    }
    return !keys.isEmpty() && keys.stream().allMatch("kubernetes.io/metadata.name"::equals);
  }

  // ---- network and identity -----------------------------------------------------------------

  private static void networkPolicy(PodSpec p, Context ctx) {
    SelectorIndex policies =
        ctx.memo(
            "network-policy-selectors",
            () ->
                new SelectorIndex(
                    ctx.ofKind("NetworkPolicy"),
                    m -> {
                      Map<String, Object> spec = YamlValues.map(m.root(), "spec");
                      // podSelector is required; a policy without one is invalid and selects
                      // nothing.
                      // An Egress-only policy leaves ingress open: only Ingress policies count.
                      return spec.containsKey("podSelector") && restrictsIngress(spec)
                          ? YamlValues.map(spec, "podSelector")
                          : null;
                    }));
    if (!policies.anySelects(p.owner().namespace(), p.labels())) {
      ctx.report(
          p.owner(),
          p.meta(),
          "no NetworkPolicy with policyTypes Ingress in namespace '"
              + p.owner().namespace()
              + "' selects the pods, so they accept traffic from anywhere");
    }
  }

  /** policyTypes as the API server defaults it: Ingress always, unless the list says otherwise. */
  static boolean restrictsIngress(Map<String, Object> spec) {
    if (!YamlValues.has(spec, "policyTypes")) {
      return true;
    }
    return YamlValues.list(spec, "policyTypes").stream().anyMatch("Ingress"::equals);
  }

  private static String serviceAccountName(PodSpec p) {
    String sa = YamlValues.str(p.spec(), "serviceAccountName");
    if (sa == null || sa.isEmpty()) {
      sa = YamlValues.str(p.spec(), "serviceAccount");
    }
    return sa == null || sa.isEmpty() ? "default" : sa;
  }

  private static void serviceAccount(PodSpec p, Context ctx) {
    if (serviceAccountName(p).equals("default")) {
      ctx.report(p.owner(), p.spec(), "runs as the namespace's default ServiceAccount");
    }
  }

  private static void tokenAutomount(PodSpec p, Context ctx) {
    if (YamlValues.has(p.spec(), "automountServiceAccountToken")) {
      return;
    }
    String sa = serviceAccountName(p);
    for (Manifest acct : ctx.ofKindIn("ServiceAccount", p.owner().namespace())) {
      if (acct.name().equals(sa) && YamlValues.has(acct.root(), "automountServiceAccountToken")) {
        return;
      }
    }
    ctx.report(
        p.owner(),
        p.spec(),
        "mounts an API token by default: set automountServiceAccountToken on the pod or on ServiceAccount "
            + sa);
  }

  private static void serviceExposed(Manifest m, Context ctx) {
    if (!m.kind().equals("Service") || ctx.config().stationProfile() != StationProfile.PRODUCTION) {
      return;
    }
    String type = YamlValues.str(YamlValues.map(m.root(), "spec"), "type");
    if ("NodePort".equals(type) || "LoadBalancer".equals(type)) {
      ctx.report(
          m,
          YamlValues.map(m.root(), "spec"),
          "Service of type " + type + " in a production station");
    }
  }

  private static boolean covered(String host, List<String> tlsHosts) {
    for (String t : tlsHosts) {
      if (t.equals(host)) {
        return true;
      }
      if (t.startsWith("*.")
          && host.endsWith(t.substring(1))
          && host.indexOf('.') == host.length() - t.length() + 1) {
        return true;
      }
    }
    return false;
  }

  private static void ingressTls(Manifest m, Context ctx) {
    if (!m.kind().equals("Ingress")) {
      return;
    }
    Map<String, Object> spec = YamlValues.map(m.root(), "spec");
    List<Object> tls = YamlValues.list(spec, "tls");
    if (tls.isEmpty()) {
      ctx.report(m, spec, "Ingress has no spec.tls");
      return;
    }
    List<String> tlsHosts = new ArrayList<>();
    for (Object t : tls) {
      YamlValues.list(t, "hosts").forEach(h -> tlsHosts.add(String.valueOf(h)));
    }
    for (Object rule : YamlValues.list(spec, "rules")) {
      String host = YamlValues.str(rule, "host");
      if (host != null && !covered(host, tlsHosts)) {
        ctx.report(m, rule, "host " + host + " is not covered by spec.tls");
      }
    }
  }

  // ---- secrets ------------------------------------------------------------------------------

  static boolean secretName(String name) {
    return SecretNames.secret(name);
  }

  /**
   * {@link #SECRET_VALUE} finds something. Every alternative contains a literal, so a value without
   * any of them is answered without running the expression (most values on large inputs).
   */
  static boolean secretValue(String v) {
    boolean candidate =
        v.contains("-----BEGIN ")
            || v.contains("AKIA")
            || v.contains("gh")
            || v.contains("xox")
            || v.contains("hooks.slack.com/services/")
            || v.contains("glsa_")
            || v.contains("sk_live_")
            || (v.contains("://") && v.indexOf('@') >= 0);
    return candidate && SECRET_VALUE.matcher(v).find();
  }

  /** {@link #ASSIGNMENT}'s key needs one of its words, in any case. */
  private static boolean mayAssignSecret(String v) {
    String l = v.toLowerCase(java.util.Locale.ROOT);
    return l.contains("pass")
        || l.contains("pwd")
        || l.contains("secret")
        || l.contains("token")
        || l.contains("key")
        || l.contains("credential")
        || l.contains("auth")
        || l.contains("webhook")
        || l.contains("connection");
  }

  static boolean placeholder(String v) {
    if (v.indexOf('$') < 0 && v.indexOf('<') < 0) {
      // Without $ or < only the empty alternative can match: whitespace as \s means it.
      for (int i = 0; i < v.length(); i++) {
        if (" \t\n\u000B\f\r".indexOf(v.charAt(i)) < 0) {
          return false;
        }
      }
      return true;
    }
    return PLACEHOLDER.matcher(v).matches();
  }

  private static void secretInEnv(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.allContainers()) {
      for (Object e : YamlValues.list(c.body(), "env")) {
        String name = String.valueOf(YamlValues.str(e, "name"));
        String value = YamlValues.str(e, "value");
        if (value == null || placeholder(value)) {
          continue;
        }
        if (secretName(name)) {
          ctx.report(p.owner(), e, c.describe() + " sets env " + name + " to a literal value");
        } else if (secretValue(value)) {
          ctx.report(
              p.owner(), e, c.describe() + " env " + name + " holds what looks like a credential");
        }
      }
    }
  }

  private static final Pattern ASSIGNMENT =
      Pattern.compile(
          "(?im)^\\s*(?:-\\s+)?\"?([A-Za-z0-9_.-]*(?:pass|pwd|secret|token|key|credential|auth|webhook|connection)[A-Za-z0-9_.-]*)\"?\\s*[:=]\\s*(.*?)\\s*$");

  private static void secretInConfigMap(Manifest m, Context ctx) {
    if (!m.kind().equals("ConfigMap")) {
      return;
    }
    Map<String, Object> data = YamlValues.map(m.root(), "data");
    for (Map.Entry<String, Object> e : data.entrySet()) {
      String key = e.getKey();
      String value = YamlValues.scalar(e.getValue());
      if (value == null || placeholder(value)) {
        continue;
      }
      boolean file = key.contains(".");
      if (MonitoringRules.isAlertmanager(ctx, m, key)) {
        continue; // alertmanager-inline-secret knows which of its keys are credentials
      }
      if (!file && secretName(key)) {
        ctx.report(m, data, "data." + key + " looks like a secret");
        continue;
      }
      if (secretValue(value)) {
        ctx.report(m, data, "data." + key + " contains what looks like a credential");
        continue;
      }
      if (file) {
        var matcher = ASSIGNMENT.matcher(mayAssignSecret(value) ? value : "");
        while (matcher.find()) {
          String k = matcher.group(1);
          String v = matcher.group(2).replaceAll("^[\"']|[\"']$", "");
          if (secretName(k)
              && !v.isEmpty()
              && !placeholder(v)
              && !v.startsWith("$__file{")
              && !v.startsWith("$__env{")
              && !v.startsWith("{")
              && !v.startsWith("[")) {
            ctx.report(m, data, "data." + key + " assigns " + k + " inline");
            break;
          }
        }
      }
    }
  }

  private static void secretManifest(Manifest m, Context ctx) {
    if (!m.apiVersion().equals("v1")) {
      return;
    }
    for (String field : List.of("data", "stringData")) {
      Map<String, Object> values = YamlValues.map(m.root(), field);
      List<String> keys = new ArrayList<>();
      boolean plain = false;
      for (Map.Entry<String, Object> e : values.entrySet()) {
        String v = YamlValues.scalar(e.getValue());
        if (v == null || v.isEmpty()) {
          continue;
        }
        keys.add(e.getKey());
        // SOPS replaces each value by ENC[cipher,data:...]: only ciphertext reaches the repository.
        plain |= !v.startsWith("ENC[");
      }
      if (plain) {
        ctx.report(
            m,
            values,
            "Secret holds "
                + keys.size()
                + (keys.size() == 1 ? " value" : " values")
                + " in "
                + field
                + " ("
                + String.join(", ", keys.size() > 5 ? keys.subList(0, 5) : keys)
                + (keys.size() > 5 ? ", ..." : "")
                + "): they are in the manifests in plain text");
      }
    }
  }

  // ---- monitoring workloads -----------------------------------------------------------------

  private static void statefulMonitoring(PodSpec p, Context ctx) {
    String k = p.owner().kind();
    if (!k.equals("Deployment") && !k.equals("ReplicaSet") && !k.equals("ReplicationController")) {
      return;
    }
    List<String> stateful = ctx.config().statefulImages();
    if (stateful.isEmpty()) {
      return;
    }
    for (PodSpec.Container c : p.longRunning()) {
      String name = ImageReference.of(ctx, c.image()).shortName();
      if (!stateful.contains(name)) {
        continue;
      }
      if (name.equals("loki") && statelessLoki(c)) {
        continue;
      }
      ctx.report(p.owner(), c.body(), c.describe() + " runs " + name + " (stateful) in a " + k);
    }
  }

  private static boolean statelessLoki(PodSpec.Container c) {
    List<Object> args = new ArrayList<>(YamlValues.list(c.body(), "args"));
    args.addAll(YamlValues.list(c.body(), "command"));
    for (Object a : args) {
      String s = String.valueOf(a);
      int i = s.indexOf("-target=");
      if (i >= 0) {
        String targets = s.substring(i + "-target=".length());
        return java.util.Arrays.stream(targets.split(","))
            .allMatch(STATELESS_LOKI_TARGETS::contains);
      }
    }
    return false;
  }

  private static void readOnlyRootFs(PodSpec p, Context ctx) {
    for (PodSpec.Container c : p.runContainers()) {
      if (!YamlValues.isTrue(c.securityContext(), "readOnlyRootFilesystem")) {
        ctx.report(
            p.owner(),
            c.body(),
            c.describe() + " does not set securityContext.readOnlyRootFilesystem=true");
      }
    }
  }
}
