package dev.vigil.apply;

import dev.vigil.spec.model.Station;
import dev.vigil.spec.types.SecretRef;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Secrets a deploy needs that Vigil does not create: the spec names them by reference (a {@code
 * secret:} reference — Grafana's admin password, OIDC client secret, LDAP bind password, the
 * Alertmanager receivers' URLs and keys — or the ingress basic-auth Secret) and the rendered
 * workloads mount them. They must exist, with their keys, before anything is applied: a pod that
 * mounts a missing Secret never starts, and the deploy would half-succeed.
 */
public final class SecretNeeds {
  /** Ingress-nginx reads the htpasswd lines of basic auth from this key. */
  public static final String BASIC_AUTH_KEY = "auth";

  private static final String NGINX_AUTH_SECRET = "nginx.ingress.kubernetes.io/auth-secret";

  /**
   * One Secret: the keys that must be in it and who reads them (spec fields first, then objects).
   */
  public record Need(String namespace, String name, Set<String> keys, List<String> usedBy) {
    /**
     * A kubectl command that creates the Secret with every key, each value read from a file of the
     * key's name (values on a command line end up in shell history).
     */
    public String createCommand() {
      StringBuilder sb =
          new StringBuilder("kubectl -n " + namespace + " create secret generic " + name);
      for (String k : keys) {
        sb.append(" --from-file=").append(k).append("=./").append(k);
      }
      return sb.toString();
    }

    /**
     * The same, rewriting an existing Secret in place (it must then list the keys it keeps too).
     */
    public String replaceCommand(Set<String> existing) {
      Set<String> all = new TreeSet<>(existing);
      all.addAll(keys);
      StringBuilder sb =
          new StringBuilder("kubectl -n " + namespace + " create secret generic " + name);
      for (String k : all) {
        sb.append(" --from-file=").append(k).append("=./").append(k);
      }
      return sb.append(" --dry-run=client -o yaml | kubectl apply -f -").toString();
    }
  }

  private SecretNeeds() {}

  /** The Secrets the planned objects read, with the keys the spec and the objects name. */
  public static List<Need> of(Station station, Plan plan) {
    String stackNamespace = station.cluster().namespace();
    Map<String, Set<String>> specKeys = new TreeMap<>();
    Map<String, List<String>> specPaths = new TreeMap<>();
    walk(
        station,
        "",
        (path, name, key) -> {
          specKeys.computeIfAbsent(name, n -> new TreeSet<>()).add(key);
          specPaths.computeIfAbsent(name, n -> new ArrayList<>()).add(path);
        });

    Set<ObjectRef> created = new java.util.HashSet<>();
    for (Plan.Step s : plan.steps()) {
      if (s.ref().kind().equals("Secret")) {
        created.add(s.ref());
      }
    }
    Map<String, Need> needs = new LinkedHashMap<>();
    for (Plan.Step s : plan.steps()) {
      String ns = s.ref().namespace();
      for (Use use : uses(s.object())) {
        String secretNs = use.namespace != null ? use.namespace : ns;
        if (created.contains(new ObjectRef("v1", "Secret", secretNs, use.name))) {
          continue;
        }
        String id = secretNs + "/" + use.name;
        Need n =
            needs.computeIfAbsent(
                id, x -> new Need(secretNs, use.name, new TreeSet<>(), new ArrayList<>()));
        n.keys().addAll(use.keys);
        if (secretNs.equals(stackNamespace)) {
          n.keys().addAll(specKeys.getOrDefault(use.name, Set.of()));
          for (String p : specPaths.getOrDefault(use.name, List.of())) {
            if (!n.usedBy().contains(p)) {
              n.usedBy().add(p);
            }
          }
        }
        String by = s.ref().toString();
        if (!n.usedBy().contains(by)) {
          n.usedBy().add(by);
        }
      }
    }
    return List.copyOf(needs.values());
  }

  /** A spec field that names a Secret: its path, the Secret and the key. */
  interface SpecRef {
    void found(String path, String secret, String key);
  }

  /** Every {@code secret:} reference in the spec, and the ingress basic-auth Secret. */
  static void walk(Object node, String path, SpecRef found) {
    if (node == null) {
      return;
    }
    if (node instanceof SecretRef ref) {
      if (ref.secret() != null) {
        found.found(path, ref.secret().name(), ref.secret().key());
      }
      return;
    }
    if (node instanceof dev.vigil.spec.model.Exposure.IngressAuth auth
        && auth.basicAuthSecret() != null) {
      found.found(join(path, "basicAuthSecret"), auth.basicAuthSecret(), BASIC_AUTH_KEY);
    }
    if (node instanceof Record r) {
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          walk(c.getAccessor().invoke(r), join(path, c.getName()), found);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot read " + path + "." + c.getName(), e);
        }
      }
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", found);
      }
    } else if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        walk(e.getValue(), join(path, String.valueOf(e.getKey())), found);
      }
    }
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** An object's read of a Secret: its name, namespace (null: the object's) and the keys named. */
  private record Use(String namespace, String name, Set<String> keys) {}

  private static List<Use> uses(HasMetadata o) {
    List<Use> out = new ArrayList<>();
    PodTemplateSpec template = null;
    if (o instanceof Deployment d && d.getSpec() != null) {
      template = d.getSpec().getTemplate();
    } else if (o instanceof StatefulSet s && s.getSpec() != null) {
      template = s.getSpec().getTemplate();
    } else if (o instanceof DaemonSet d && d.getSpec() != null) {
      template = d.getSpec().getTemplate();
    } else if (o instanceof io.fabric8.kubernetes.api.model.batch.v1.Job j && j.getSpec() != null) {
      template = j.getSpec().getTemplate();
    } else if (o instanceof io.fabric8.kubernetes.api.model.batch.v1.CronJob c
        && c.getSpec() != null
        && c.getSpec().getJobTemplate() != null
        && c.getSpec().getJobTemplate().getSpec() != null) {
      template = c.getSpec().getJobTemplate().getSpec().getTemplate();
    } else if (o instanceof Ingress ing) {
      Map<String, String> a = ing.getMetadata().getAnnotations();
      if (a != null && a.get(NGINX_AUTH_SECRET) != null) {
        String ref = a.get(NGINX_AUTH_SECRET);
        int slash = ref.indexOf('/');
        out.add(
            new Use(
                slash < 0 ? null : ref.substring(0, slash),
                slash < 0 ? ref : ref.substring(slash + 1),
                Set.of(BASIC_AUTH_KEY)));
      }
    }
    if (template != null && template.getSpec() != null) {
      podUses(template.getSpec(), out);
    }
    return out;
  }

  private static void podUses(PodSpec pod, List<Use> out) {
    for (Volume v : nonNull(pod.getVolumes())) {
      if (v.getSecret() != null && !Boolean.TRUE.equals(v.getSecret().getOptional())) {
        out.add(new Use(null, v.getSecret().getSecretName(), keys(v.getSecret().getItems())));
      }
      if (v.getProjected() != null) {
        for (VolumeProjection p : nonNull(v.getProjected().getSources())) {
          if (p.getSecret() != null && !Boolean.TRUE.equals(p.getSecret().getOptional())) {
            out.add(new Use(null, p.getSecret().getName(), keys(p.getSecret().getItems())));
          }
        }
      }
    }
    List<Container> containers = new ArrayList<>(nonNull(pod.getInitContainers()));
    containers.addAll(nonNull(pod.getContainers()));
    for (Container c : containers) {
      for (EnvVar e : nonNull(c.getEnv())) {
        var ref = e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef();
        if (ref != null && !Boolean.TRUE.equals(ref.getOptional())) {
          out.add(new Use(null, ref.getName(), Set.of(ref.getKey())));
        }
      }
      for (EnvFromSource e : nonNull(c.getEnvFrom())) {
        if (e.getSecretRef() != null && !Boolean.TRUE.equals(e.getSecretRef().getOptional())) {
          out.add(new Use(null, e.getSecretRef().getName(), Set.of()));
        }
      }
    }
    for (LocalObjectReference r : nonNull(pod.getImagePullSecrets())) {
      out.add(new Use(null, r.getName(), Set.of()));
    }
  }

  private static Set<String> keys(List<KeyToPath> items) {
    Set<String> k = new LinkedHashSet<>();
    nonNull(items).forEach(i -> k.add(i.getKey()));
    return k;
  }

  private static <T> List<T> nonNull(List<T> c) {
    return c == null ? List.of() : c;
  }
}
