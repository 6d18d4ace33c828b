package dev.vigil.render.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.Yaml;
import dev.vigil.render.k8s.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks every rendered stack must pass before it is written: the hardening every workload gets,
 * coverage by NetworkPolicies and PDBs, stateful components as StatefulSets, no Secret objects,
 * and rule files that parse with the fields alerts need. `vigil render` reports the count.
 */
public final class StackChecks {
  private static final Set<String> STATEFUL = dev.vigil.render.ComponentRegistry.load().statefulNames();

  private final List<String> failures = new ArrayList<>();
  private int passed;

  private StackChecks() {}

  /** Result of a run: checks passed and every failure, described. */
  public record Result(int passed, List<String> failures) {
    public boolean ok() {
      return failures.isEmpty();
    }
  }

  /** Counts of rules in a rule file. */
  public record RuleCounts(int alerts, int recording) {}

  public static Result run(RenderedStack stack) {
    StackChecks c = new StackChecks();
    List<HasMetadata> objects = stack.objects();
    for (HasMetadata o : objects) {
      c.object(o, objects);
    }
    return new Result(c.passed, List.copyOf(c.failures));
  }

  private void check(boolean ok, String what) {
    if (ok) {
      passed++;
    } else {
      failures.add(what);
    }
  }

  private void object(HasMetadata o, List<HasMetadata> all) {
    String id = o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    check(!(o instanceof Secret), id + ": rendered output must not contain Secrets");
    Map<String, String> labels = o.getMetadata().getLabels();
    check(labels != null && labels.containsKey(Labels.NAME) || o.getKind().equals("Namespace"),
        id + ": missing label " + Labels.NAME);
    if (o instanceof ConfigMap cm && cm.getData() != null) {
      for (Map.Entry<String, String> e : cm.getData().entrySet()) {
        if (e.getKey().endsWith(".rules.yaml")) {
          check(ruleFileValid(e.getValue()), id + ": rule file " + e.getKey() + " lacks severity/summary/description/runbook_url on some alert");
        }
      }
    }
    PodTemplateSpec template = template(o);
    if (template == null) {
      return;
    }
    String app = o.getMetadata().getLabels().get(Labels.NAME);
    if (STATEFUL.contains(app)) {
      check(o instanceof StatefulSet, id + ": " + app + " keeps state and must be a StatefulSet");
    }
    Map<String, String> selector = selector(o);
    check(selector != null && !selector.containsKey(Labels.VERSION), id + ": selector must not include the version label");
    PodSpec pod = template.getSpec();
    check(pod.getServiceAccountName() != null && !pod.getServiceAccountName().equals("default"),
        id + ": needs its own ServiceAccount");
    check(pod.getAutomountServiceAccountToken() != null, id + ": token automount must be explicit");
    check(pod.getSecurityContext() != null && pod.getSecurityContext().getSeccompProfile() != null
        && "RuntimeDefault".equals(pod.getSecurityContext().getSeccompProfile().getType()), id + ": seccomp RuntimeDefault");
    List<Container> containers = new ArrayList<>(pod.getContainers());
    containers.addAll(pod.getInitContainers());
    for (Container c : containers) {
      String cid = id + " container " + c.getName();
      String image = c.getImage();
      check(image.contains("@sha256:") || (image.lastIndexOf(':') > image.lastIndexOf('/') && !image.endsWith(":latest")),
          cid + ": image must be pinned");
      var r = c.getResources();
      check(r != null && r.getRequests().containsKey("cpu") && r.getRequests().containsKey("memory")
          && r.getLimits().containsKey("cpu") && r.getLimits().containsKey("memory"), cid + ": requests and limits");
      var sc = c.getSecurityContext();
      check(sc != null && Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()) || isExempt(o, "pss-privilege-escalation"),
          cid + ": allowPrivilegeEscalation false");
      check(sc != null && Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()), cid + ": read-only root filesystem");
      check(sc != null && (Boolean.TRUE.equals(sc.getPrivileged())
              ? isExempt(o, "pss-privileged")
              : sc.getCapabilities() != null && sc.getCapabilities().getDrop().contains("ALL")),
          cid + ": drops ALL capabilities");
    }
    for (Container c : pod.getContainers()) {
      check(c.getLivenessProbe() != null && c.getReadinessProbe() != null,
          id + " container " + c.getName() + ": liveness and readiness probes");
    }
    check(all.stream().anyMatch(x -> x instanceof NetworkPolicy np
            && np.getMetadata().getNamespace().equals(o.getMetadata().getNamespace())
            && selects(np.getSpec().getPodSelector().getMatchLabels(), template.getMetadata().getLabels())),
        id + ": no NetworkPolicy selects its pods");
    if (!(o instanceof DaemonSet)) {
      check(all.stream().anyMatch(x -> x instanceof PodDisruptionBudget pdb
              && pdb.getMetadata().getNamespace().equals(o.getMetadata().getNamespace())
              && selects(pdb.getSpec().getSelector().getMatchLabels(), template.getMetadata().getLabels())),
          id + ": no PodDisruptionBudget covers its pods");
    }
  }

  private static boolean isExempt(HasMetadata o, String rule) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a != null && a.getOrDefault("vigil.dev/ignore", "").contains(rule)
        && !a.getOrDefault("vigil.dev/ignore-reason", "").isBlank();
  }

  private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    if (selector == null || labels == null) {
      return false;
    }
    return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  static PodTemplateSpec template(HasMetadata o) {
    if (o instanceof Deployment d) {
      return d.getSpec().getTemplate();
    }
    if (o instanceof StatefulSet s) {
      return s.getSpec().getTemplate();
    }
    if (o instanceof DaemonSet d) {
      return d.getSpec().getTemplate();
    }
    return null;
  }

  static Map<String, String> selector(HasMetadata o) {
    if (o instanceof Deployment d) {
      return d.getSpec().getSelector().getMatchLabels();
    }
    if (o instanceof StatefulSet s) {
      return s.getSpec().getSelector().getMatchLabels();
    }
    if (o instanceof DaemonSet d) {
      return d.getSpec().getSelector().getMatchLabels();
    }
    return null;
  }

  private static boolean ruleFileValid(String yaml) {
    JsonNode root = parse(yaml);
    for (JsonNode group : root.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          boolean ok = rule.path("labels").has("severity")
              && rule.path("annotations").has("summary")
              && rule.path("annotations").has("description")
              && rule.path("annotations").has("runbook_url");
          if (!ok) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** Alert and recording rules in a Prometheus rule file. */
  public static RuleCounts countRules(String yaml) {
    int alerts = 0;
    int recording = 0;
    for (JsonNode group : parse(yaml).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("alert")) {
          alerts++;
        } else if (rule.has("record")) {
          recording++;
        }
      }
    }
    return new RuleCounts(alerts, recording);
  }

  private static JsonNode parse(String yaml) {
    try {
      return Yaml.mapper().readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
