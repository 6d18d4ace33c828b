package dev.vigil.render.grafana;

import dev.vigil.render.grafana.dashboard.Datasource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A datasource a component offers Grafana, as Grafana's provisioning file describes it: the fixed
 * uid dashboards refer to, a display name, the in-cluster URL, and the plugin's settings.
 */
public record ProvisionedDatasource(
    Datasource ref,
    String displayName,
    String url,
    boolean isDefault,
    Map<String, Object> jsonData,
    Map<String, String> secureJsonData) {
  public ProvisionedDatasource(
      Datasource ref,
      String displayName,
      String url,
      boolean isDefault,
      Map<String, Object> jsonData) {
    this(ref, displayName, url, isDefault, jsonData, Map.of());
  }

  public ProvisionedDatasource {
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(url, "url");
    jsonData =
        jsonData == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(jsonData));
    secureJsonData =
        secureJsonData == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(secureJsonData));
  }

  /** The entry of datasources.yaml. */
  Map<String, Object> provisioning() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", displayName);
    m.put("type", ref.type());
    m.put("uid", ref.uid());
    m.put("access", "proxy");
    m.put("url", url);
    if (isDefault) {
      m.put("isDefault", true);
    }
    m.put("editable", false);
    if (!jsonData.isEmpty()) {
      m.put("jsonData", jsonData);
    }
    if (!secureJsonData.isEmpty()) {
      m.put("secureJsonData", secureJsonData);
    }
    return m;
  }
}
