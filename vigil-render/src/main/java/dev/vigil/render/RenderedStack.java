package dev.vigil.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The whole rendered stack as a Kustomize layout: {@code <component>/<kind>-<name>.yaml} with a
 * {@code kustomization.yaml} per component and one at the root. Paths and contents are
 * deterministic: the same station always gives byte-identical files.
 */
public final class RenderedStack {
  private final Map<String, ComponentOutput> components;
  private final Contributions contributions;

  RenderedStack(List<ComponentOutput> outputs, Contributions contributions) {
    Map<String, ComponentOutput> m = new TreeMap<>();
    for (ComponentOutput o : outputs) {
      m.put(o.component(), o);
    }
    this.components = Collections.unmodifiableMap(m);
    this.contributions = contributions;
  }

  public Map<String, ComponentOutput> components() {
    return components;
  }

  /** The scrape jobs, rule files, dashboards and datasources each component brought. */
  public Contributions contributions() {
    return contributions;
  }

  public List<HasMetadata> objects() {
    List<HasMetadata> all = new ArrayList<>();
    components.values().forEach(c -> all.addAll(c.objects()));
    return all;
  }

  /** Every image a rendered container runs, sorted: what a registry mirror must hold. */
  public java.util.SortedSet<String> images() {
    java.util.SortedSet<String> out = new java.util.TreeSet<>();
    for (HasMetadata o : objects()) {
      io.fabric8.kubernetes.api.model.PodSpec pod =
          o instanceof io.fabric8.kubernetes.api.model.apps.Deployment d
              ? d.getSpec().getTemplate().getSpec()
              : o instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet s
                  ? s.getSpec().getTemplate().getSpec()
                  : o instanceof io.fabric8.kubernetes.api.model.apps.DaemonSet d
                      ? d.getSpec().getTemplate().getSpec()
                      : null;
      if (pod != null) {
        pod.getContainers().forEach(c -> out.add(c.getImage()));
        pod.getInitContainers().forEach(c -> out.add(c.getImage()));
      }
    }
    return out;
  }

  /** Relative path → file content, sorted by path. */
  public Map<String, String> files() {
    Map<String, String> files = new TreeMap<>();
    List<String> componentDirs = new ArrayList<>();
    for (ComponentOutput c : components.values()) {
      if (c.objects().isEmpty()) {
        continue;
      }
      componentDirs.add(c.component());
      List<String> resources = new ArrayList<>();
      // The same kind and name in several namespaces (an Instrumentation per instrumented
      // namespace): those files carry the namespace too.
      Map<String, Integer> names = new java.util.HashMap<>();
      c.objects().forEach(o -> names.merge(fileName(o), 1, Integer::sum));
      for (HasMetadata o : c.objects()) {
        String file = fileName(o);
        if (names.get(file) > 1 && o.getMetadata().getNamespace() != null) {
          file =
              file.substring(0, file.length() - ".yaml".length())
                  + "-"
                  + o.getMetadata().getNamespace()
                  + ".yaml";
        }
        String path = c.component() + "/" + file;
        if (files.containsKey(path)) {
          throw new IllegalStateException("two objects render to " + path);
        }
        files.put(path, Yaml.write(o));
        resources.add(file);
      }
      Collections.sort(resources);
      files.put(c.component() + "/kustomization.yaml", kustomization(resources));
    }
    files.put("kustomization.yaml", kustomization(componentDirs));
    return files;
  }

  static String fileName(HasMetadata o) {
    return o.getKind().toLowerCase(Locale.ROOT) + "-" + o.getMetadata().getName() + ".yaml";
  }

  private static String kustomization(List<String> resources) {
    Map<String, Object> k = new LinkedHashMap<>();
    k.put("apiVersion", "kustomize.config.k8s.io/v1beta1");
    k.put("kind", "Kustomization");
    k.put("resources", resources);
    return "# Rendered by vigil; edit vigil.yaml and render again instead of editing this file.\n"
        + Yaml.write(k);
  }

  /**
   * Writes the files under {@code dir}, replacing what an earlier render left there (only files
   * vigil wrote: the directory must be empty or hold a previous render).
   */
  public void write(Path dir) throws IOException {
    Map<String, String> files = files();
    if (Files.isDirectory(dir)) {
      Path marker = dir.resolve("kustomization.yaml");
      try (Stream<Path> s = Files.list(dir)) {
        boolean empty = s.findAny().isEmpty();
        if (!empty
            && !(Files.isRegularFile(marker)
                && Files.readString(marker).contains("Rendered by vigil"))) {
          throw new IOException(
              dir
                  + " is not empty and does not hold an earlier vigil render; refusing to overwrite it");
        }
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          if (!p.equals(dir)) {
            Files.delete(p);
          }
        }
      }
    }
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path target = dir.resolve(e.getKey());
      Files.createDirectories(target.getParent());
      Files.writeString(target, e.getValue(), StandardCharsets.UTF_8);
    }
  }
}
