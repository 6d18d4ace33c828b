package dev.vigil.render;

import java.util.Map;
import java.util.TreeMap;

/**
 * The one place that pins every image Vigil renders. docs/components.md shows this table; a spec
 * may override an image per component, never to an unpinned tag (the loader rejects that).
 */
public final class Images {
  public static final String PROMETHEUS = "quay.io/prometheus/prometheus:v3.5.0";
  public static final String CONFIG_RELOADER =
      "quay.io/prometheus-operator/prometheus-config-reloader:v0.84.0";
  public static final String ALERTMANAGER = "quay.io/prometheus/alertmanager:v0.28.1";
  public static final String GRAFANA = "docker.io/grafana/grafana:12.1.1";
  public static final String LOKI = "docker.io/grafana/loki:3.5.3";
  public static final String ALLOY = "docker.io/grafana/alloy:v1.10.0";
  public static final String NODE_EXPORTER = "quay.io/prometheus/node-exporter:v1.9.1";
  public static final String KUBE_STATE_METRICS =
      "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.16.0";
  public static final String IPMI_EXPORTER =
      "quay.io/prometheuscommunity/ipmi-exporter:v1.10.1";
  /**
   * chronyd on Alpine: versioned tags, multi-arch; run with its own config, not the image's. A
   * three-part tag, since the tag is also the version label and "4.8" would read as a number.
   */
  public static final String CHRONY = "docker.io/dockurr/chrony:4.6.1";
  public static final String CHRONY_EXPORTER = "quay.io/superq/chrony-exporter:v0.14.0";
  /** The agent image built by vigil-agent's Jib configuration (ghcr.io/vigil-dev/vigil-agent). */
  public static final String VIGIL_AGENT = "ghcr.io/vigil-dev/vigil-agent:0.1.0";

  private Images() {}

  /** Component → default image, sorted, for docs and `vigil render` summaries. */
  public static Map<String, String> all() {
    Map<String, String> m = new TreeMap<>();
    m.put("alertmanager", ALERTMANAGER);
    m.put("alloy", ALLOY);
    m.put("chrony", CHRONY);
    m.put("chrony-exporter", CHRONY_EXPORTER);
    m.put("config-reloader", CONFIG_RELOADER);
    m.put("grafana", GRAFANA);
    m.put("ipmi-exporter", IPMI_EXPORTER);
    m.put("kube-state-metrics", KUBE_STATE_METRICS);
    m.put("loki", LOKI);
    m.put("node-exporter", NODE_EXPORTER);
    m.put("prometheus", PROMETHEUS);
    m.put("vigil-agent", VIGIL_AGENT);
    return m;
  }

  /** The tag (or digest) part of an image reference. */
  public static String version(String image) {
    int at = image.indexOf('@');
    if (at >= 0) {
      return image.substring(at + 1);
    }
    int colon = image.lastIndexOf(':');
    int slash = image.lastIndexOf('/');
    return colon > slash ? image.substring(colon + 1) : "latest";
  }
}
