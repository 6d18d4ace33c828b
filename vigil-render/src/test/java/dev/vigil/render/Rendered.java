package dev.vigil.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** One component's rendered objects, for renderer unit tests: find by kind and name. */
public record Rendered(ComponentOutput out) {
  /** Renders {@code renderer}'s objects for {@code station}, as the stack renderer would. */
  public static Rendered of(ComponentRenderer renderer, Station station) {
    RenderContext ctx = TestStations.context(station);
    ComponentOutput out = new ComponentOutput(renderer.name());
    renderer.render(ctx, out);
    return new Rendered(out);
  }

  public <T extends HasMetadata> T one(Class<T> type, String name) {
    return out.objects().stream()
        .filter(type::isInstance)
        .filter(o -> o.getMetadata().getName().equals(name))
        .map(type::cast)
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no " + type.getSimpleName() + " " + name + " in " + names()));
  }

  public <T extends HasMetadata> List<T> all(Class<T> type) {
    return out.objects().stream().filter(type::isInstance).map(type::cast).toList();
  }

  public boolean has(Class<? extends HasMetadata> type, String name) {
    return out.objects().stream()
        .anyMatch(o -> type.isInstance(o) && o.getMetadata().getName().equals(name));
  }

  /** A ConfigMap's data entry, parsed as YAML (or JSON). */
  public JsonNode yaml(String configMap, String key) {
    try {
      return Yaml.mapper().readTree(one(ConfigMap.class, configMap).getData().get(key));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String text(String configMap, String key) {
    return one(ConfigMap.class, configMap).getData().get(key);
  }

  public static Container container(List<Container> containers, String name) {
    return containers.stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  private List<String> names() {
    return out.objects().stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
  }
}
