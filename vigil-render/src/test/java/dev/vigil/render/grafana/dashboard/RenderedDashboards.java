package dev.vigil.render.grafana.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.spec.SpecLoader;
import dev.vigil.spec.model.Station;
import dev.vigil.testing.Repo;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboards as a station actually provisions them: the catalog plus those that components
 * build from their own spec (time sync, syslog, power), read back from the rendered ConfigMaps.
 */
final class RenderedDashboards {
  private RenderedDashboards() {}

  /** "station/file" → dashboard JSON, for the embedded default and the shipped examples. */
  static Map<String, JsonNode> all() {
    Map<String, JsonNode> out = new TreeMap<>();
    collect("default", SpecLoader.loadDefault().orThrow(), out);
    for (String example : List.of("homelab", "production")) {
      Station s =
          SpecLoader.load(Repo.resolve("examples/" + example + "/vigil.yaml"), List.of()).orThrow();
      collect(example, s, out);
    }
    return out;
  }

  private static void collect(String station, Station spec, Map<String, JsonNode> out) {
    RenderedStack stack = new StackRenderer().render(spec);
    for (HasMetadata o : stack.objects()) {
      if (o instanceof ConfigMap cm
          && cm.getMetadata().getName().startsWith("grafana-dashboard-")) {
        for (Map.Entry<String, String> f : cm.getData().entrySet()) {
          if (f.getKey().endsWith(".json")) {
            out.put(station + "/" + f.getKey(), Json.parse(f.getValue()));
          }
        }
      }
    }
  }
}
