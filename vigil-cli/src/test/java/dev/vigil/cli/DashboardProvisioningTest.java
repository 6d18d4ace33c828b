package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.Yaml;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every panel of every rendered dashboard queries a datasource the same station provisions. */
class DashboardProvisioningTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(strings = {"default", "homelab", "production"})
  void panelsQueryProvisionedDatasources(String station) throws Exception {
    RenderedStack stack = Stations.render(station);
    Set<String> provisioned = new HashSet<>();
    int dashboards = 0;
    int panels = 0;
    for (HasMetadata o : stack.objects()) {
      if (!(o instanceof ConfigMap cm)) {
        continue;
      }
      if (cm.getMetadata().getName().equals("grafana-datasources")) {
        for (JsonNode ds :
            Yaml.mapper().readTree(cm.getData().get("datasources.yaml")).path("datasources")) {
          provisioned.add(ds.path("uid").asText());
        }
      }
    }
    assertThat(provisioned).contains("prometheus", "loki", "alertmanager");
    for (HasMetadata o : stack.objects()) {
      if (!(o instanceof ConfigMap cm)
          || !cm.getMetadata().getName().startsWith("grafana-dashboard-")) {
        continue;
      }
      for (Map.Entry<String, String> file : cm.getData().entrySet()) {
        if (!file.getKey().endsWith(".json")) {
          continue;
        }
        dashboards++;
        JsonNode dashboard = JSON.readTree(file.getValue());
        for (JsonNode panel : panelsOf(dashboard)) {
          if (panel.path("type").asText().equals("row")
              || panel.path("type").asText().equals("text")) {
            continue;
          }
          panels++;
          String where = file.getKey() + " panel '" + panel.path("title").asText() + "'";
          JsonNode targets = panel.path("targets");
          assertThat(targets.size()).as(where + " has no query").isPositive();
          for (JsonNode t : targets) {
            String uid =
                t.path("datasource")
                    .path("uid")
                    .asText(panel.path("datasource").path("uid").asText());
            assertThat(provisioned).as(where + " queries datasource '" + uid + "'").contains(uid);
            assertThat(t.path("expr").asText()).as(where + " has an empty query").isNotBlank();
          }
        }
      }
    }
    assertThat(dashboards).isGreaterThanOrEqualTo(5);
    assertThat(panels).isGreaterThan(30);
  }

  static Iterable<JsonNode> panelsOf(JsonNode dashboard) {
    java.util.List<JsonNode> all = new java.util.ArrayList<>();
    for (JsonNode p : dashboard.path("panels")) {
      all.add(p);
      p.path("panels").forEach(all::add);
    }
    return all;
  }
}
