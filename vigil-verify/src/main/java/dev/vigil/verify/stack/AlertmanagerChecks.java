package dev.vigil.verify.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.http.prometheus.PrometheusClient;
import dev.vigil.http.prometheus.PrometheusClient.PrometheusException;
import dev.vigil.http.prometheus.PrometheusClient.Sample;
import dev.vigil.render.Yaml;
import dev.vigil.verify.Check;
import dev.vigil.verify.Verdict;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Alertmanager as the checklists ask: each replica runs the rendered configuration, the replicas
 * see each other, the always-firing Watchdog alert is there and routed to the receiver the rendered
 * routing names, and notifications are not failing.
 */
public final class AlertmanagerChecks {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One replica and where it answers. */
  public record Instance(String name, String url) {}

  private AlertmanagerChecks() {}

  public static List<Check> run(
      List<Instance> instances, Expectations ex, ServiceHttp http, PrometheusClient prom) {
    List<Check> out = new ArrayList<>();
    int replicas = Math.max(1, ex.replicas("alertmanager"));
    String rendered = ex.alertmanagerConfig().orElse("");
    Set<String> wanted = receivers(rendered);
    for (Instance i : instances) {
      JsonNode status;
      try {
        ServiceHttp.Response r = http.get(i.url() + "/api/v2/status", Map.of());
        if (!r.ok()) {
          out.add(
              new Check(
                  i.name(), "config loaded", Verdict.FAIL, "", "", "/api/v2/status: " + r.brief()));
          continue;
        }
        status = JSON.readTree(r.body());
      } catch (IOException e) {
        out.add(
            new Check(
                i.name(),
                "config loaded",
                Verdict.UNKNOWN,
                "",
                "",
                "cannot reach " + i.url() + ": " + e.getMessage()));
        continue;
      }
      out.add(config(i, http, status, wanted));
      out.add(cluster(i, status, replicas));
    }
    if (!instances.isEmpty()) {
      out.add(watchdog(instances.get(0), http, rendered));
    }
    if (prom != null) {
      out.addAll(notifications(prom));
    }
    return out;
  }

  static Set<String> receivers(String yml) {
    Set<String> names = new TreeSet<>();
    if (yml == null || yml.isBlank()) {
      return names;
    }
    try {
      Yaml.mapper()
          .readTree(yml)
          .path("receivers")
          .forEach(r -> names.add(r.path("name").asText()));
    } catch (IOException e) {
      throw new IllegalArgumentException("alertmanager.yml does not parse: " + e.getMessage());
    }
    return names;
  }

  private static Check config(Instance i, ServiceHttp http, JsonNode status, Set<String> wanted) {
    Set<String> loaded = receivers(status.path("config").path("original").asText());
    Double reload = null;
    try {
      ServiceHttp.Response m = http.get(i.url() + "/metrics", Map.of());
      if (m.ok()) {
        for (String line : m.body().split("\n")) {
          if (line.startsWith("alertmanager_config_last_reload_successful ")) {
            reload = Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
          }
        }
      }
    } catch (IOException | NumberFormatException e) {
      // The receivers still tell whether the rendered configuration is the one running.
    }
    Set<String> missing = new TreeSet<>(wanted);
    missing.removeAll(loaded);
    if (reload != null && reload < 1) {
      return new Check(
          i.name(),
          "config loaded",
          Verdict.FAIL,
          "last reload failed",
          "reload successful",
          "Alertmanager rejected its configuration file; it runs the previous one (see its log)");
    }
    if (!missing.isEmpty()) {
      return new Check(
          i.name(),
          "config loaded",
          Verdict.FAIL,
          "receivers " + String.join(", ", loaded),
          "the rendered receivers",
          "the running configuration lacks "
              + String.join(", ", missing)
              + ": the rendered one is not loaded (ConfigMap not mounted or not reloaded)");
    }
    return new Check(
        i.name(),
        "config loaded",
        Verdict.PASS,
        loaded.size() + " receivers",
        "the rendered receivers",
        "receivers " + String.join(", ", loaded));
  }

  private static Check cluster(Instance i, JsonNode status, int replicas) {
    JsonNode cluster = status.path("cluster");
    String state = cluster.path("status").asText();
    int peers = cluster.path("peers").size();
    if (replicas == 1) {
      boolean fine = state.equals("disabled") || state.equals("ready");
      return new Check(
          i.name(),
          "cluster peers",
          fine ? Verdict.PASS : Verdict.WARN,
          state + ", " + peers + " peers",
          "1 replica",
          fine ? "one replica: nothing to agree with" : "a single replica should not be " + state,
          (double) peers);
    }
    boolean agree = "ready".equals(state) && peers == replicas;
    return new Check(
        i.name(),
        "cluster peers",
        agree ? Verdict.PASS : Verdict.FAIL,
        state + ", " + peers + " peers",
        replicas + " peers, ready",
        agree
            ? ""
            : "the replicas do not see each other: alerts may be notified twice or"
                + " silences not shared (cluster port "
                + 9094
                + " between the pods, headless Service)",
        (double) peers);
  }

  private static Check watchdog(Instance i, ServiceHttp http, String rendered) {
    String check = "Watchdog reaches its receiver";
    JsonNode alerts;
    try {
      ServiceHttp.Response r =
          http.get(i.url() + "/api/v2/alerts?filter=alertname%3D%22Watchdog%22", Map.of());
      if (!r.ok()) {
        return new Check(i.name(), check, Verdict.FAIL, "", "", "/api/v2/alerts: " + r.brief());
      }
      alerts = JSON.readTree(r.body());
    } catch (IOException e) {
      return new Check(i.name(), check, Verdict.UNKNOWN, "", "", e.getMessage());
    }
    if (alerts.isEmpty()) {
      return new Check(
          i.name(),
          check,
          Verdict.FAIL,
          "absent",
          "active",
          "Alertmanager has no Watchdog alert:"
              + " Prometheus' alerts do not reach it (alerting.alertmanagers, NetworkPolicy) or the rule does not fire");
    }
    JsonNode a = alerts.get(0);
    Map<String, String> labels = new TreeMap<>();
    a.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    List<String> expected = rendered.isBlank() ? List.of() : Routing.receivers(rendered, labels);
    Set<String> got = new TreeSet<>();
    a.path("receivers").forEach(r -> got.add(r.path("name").asText()));
    String state = a.path("status").path("state").asText();
    if (!"active".equals(state)) {
      return new Check(
          i.name(),
          check,
          Verdict.FAIL,
          state,
          "active",
          "Watchdog is "
              + state
              + ": a silence or inhibition hides it, so a dead pipeline would not be noticed");
    }
    if (!expected.isEmpty() && !got.containsAll(expected)) {
      return new Check(
          i.name(),
          check,
          Verdict.FAIL,
          "routed to " + String.join(", ", got),
          "routed to " + String.join(", ", expected),
          "the running routing is not the rendered one");
    }
    return new Check(
        i.name(),
        check,
        Verdict.PASS,
        "active, routed to " + String.join(", ", got),
        "routed to " + String.join(", ", expected),
        "since " + a.path("startsAt").asText());
  }

  private static List<Check> notifications(PrometheusClient prom) {
    List<Check> out = new ArrayList<>();
    try {
      List<Sample> failed =
          prom.vector(
              "sum by (integration) (increase(alertmanager_notifications_failed_total[15m]))");
      List<Sample> sent =
          prom.vector("sum by (integration) (increase(alertmanager_notifications_total[15m]))");
      if (failed.isEmpty() && sent.isEmpty()) {
        out.add(
            new Check(
                "alertmanager",
                "notifications",
                Verdict.UNKNOWN,
                "no data",
                "",
                "no alertmanager_notifications_* series in Prometheus (is the alertmanager job scraped?)"));
        return out;
      }
      boolean any = false;
      for (Sample f : failed) {
        if (f.value() >= 0.5) {
          any = true;
          double total =
              sent.stream()
                  .filter(s -> s.label("integration").equals(f.label("integration")))
                  .mapToDouble(Sample::value)
                  .sum();
          out.add(
              new Check(
                  "alertmanager",
                  "notifications via " + f.label("integration"),
                  Verdict.FAIL,
                  String.format(Locale.ROOT, "%.0f of %.0f failed (15m)", f.value(), total),
                  "0 failed",
                  "the receiver's endpoint refuses or cannot be reached (see Alertmanager's log)",
                  f.value()));
        }
      }
      if (!any) {
        double total = sent.stream().mapToDouble(Sample::value).sum();
        out.add(
            new Check(
                "alertmanager",
                "notifications",
                Verdict.PASS,
                String.format(Locale.ROOT, "%.0f sent, 0 failed (15m)", total),
                "0 failed",
                "",
                0.0));
      }
    } catch (PrometheusException e) {
      out.add(new Check("alertmanager", "notifications", Verdict.UNKNOWN, "", "", e.getMessage()));
    }
    return out;
  }
}
