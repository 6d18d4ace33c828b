package dev.vigil.verify.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.render.grafana.ProvisionedDatasource;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.verify.Check;
import dev.vigil.verify.Verdict;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Grafana as the checklists ask: healthy (its database answers), every provisioned datasource
 * passes Grafana's own health check (Grafana queries it from inside the cluster, so this proves the
 * path the dashboards use), every provisioned dashboard is there.
 *
 * <p>Rights: the health checks need {@code datasources:query} and the search {@code
 * dashboards:read}, which the homelab's anonymous Viewer has; listing datasources needs an admin,
 * so without one their presence is judged by the health answers.
 */
public final class GrafanaChecks {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TARGET = "grafana";

  private GrafanaChecks() {}

  public static List<Check> run(
      String url, Expectations ex, ServiceHttp http, Map<String, String> auth) {
    List<Check> out = new ArrayList<>();
    try {
      ServiceHttp.Response h = http.get(url + "/api/health", Map.of());
      JsonNode body = parse(h.body());
      String db = body == null ? "" : body.path("database").asText();
      String version = body == null ? "" : body.path("version").asText();
      boolean ok = h.status() == 200 && "ok".equals(db);
      out.add(
          new Check(
              TARGET,
              "healthy",
              ok ? Verdict.PASS : Verdict.FAIL,
              "database " + (db.isEmpty() ? "?" : db),
              "database ok",
              ok ? (version.isEmpty() ? "" : "Grafana " + version) : h.brief()));
      if (!ok) {
        return out;
      }
    } catch (IOException e) {
      out.add(
          new Check(
              TARGET,
              "healthy",
              Verdict.UNKNOWN,
              "",
              "",
              "cannot reach " + url + ": " + e.getMessage()));
      return out;
    }
    out.addAll(datasources(url, ex, http, auth));
    out.add(dashboards(url, ex, http, auth));
    return out;
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  static List<Check> datasources(
      String url, Expectations ex, ServiceHttp http, Map<String, String> auth) {
    List<Check> out = new ArrayList<>();
    Set<String> listed = null;
    try {
      ServiceHttp.Response r = http.get(url + "/api/datasources", auth);
      if (r.ok()) {
        listed = new TreeSet<>();
        for (JsonNode d : parse(r.body())) {
          listed.add(d.path("uid").asText());
        }
      }
    } catch (IOException | NullPointerException e) {
      // Presence is judged from each datasource's health answer instead.
    }
    for (ProvisionedDatasource d : ex.datasources()) {
      String uid = d.ref().uid();
      String check = "datasource " + d.displayName() + " (" + uid + ")";
      if (listed != null && !listed.contains(uid)) {
        out.add(
            new Check(
                TARGET,
                check,
                Verdict.FAIL,
                "not provisioned",
                "present",
                "Grafana has no datasource with uid "
                    + uid
                    + " (is the datasources ConfigMap mounted?)"));
        continue;
      }
      try {
        ServiceHttp.Response r = http.get(url + "/api/datasources/uid/" + uid + "/health", auth);
        JsonNode body = parse(r.body());
        String message = body == null ? r.brief() : body.path("message").asText();
        if (r.status() == 200 && body != null && "OK".equals(body.path("status").asText())) {
          out.add(new Check(TARGET, check, Verdict.PASS, "OK", "OK", message));
        } else if (r.status() == 401 || r.status() == 403) {
          out.add(
              new Check(
                  TARGET,
                  check,
                  Verdict.UNKNOWN,
                  "HTTP " + r.status(),
                  "OK",
                  "not allowed to query datasources: set VIGIL_GRAFANA_TOKEN to a service account token (Viewer or more)"));
        } else if (r.status() == 404
            || (r.status() == 500 && message.contains("Unable to load datasource"))) {
          out.add(new Check(TARGET, check, Verdict.FAIL, "not provisioned", "OK", message));
        } else {
          String status = body == null ? "" : body.path("status").asText();
          out.add(
              new Check(
                  TARGET,
                  check,
                  Verdict.FAIL,
                  status.isEmpty() ? "HTTP " + r.status() : status,
                  "OK",
                  message));
        }
      } catch (IOException e) {
        out.add(new Check(TARGET, check, Verdict.UNKNOWN, "", "", e.getMessage()));
      }
    }
    return out;
  }

  static Check dashboards(String url, Expectations ex, ServiceHttp http, Map<String, String> auth) {
    List<Dashboard> wanted = ex.dashboards();
    try {
      ServiceHttp.Response r = http.get(url + "/api/search?type=dash-db&limit=5000", auth);
      if (r.status() == 401 || r.status() == 403) {
        return new Check(
            TARGET,
            "dashboards",
            Verdict.UNKNOWN,
            "HTTP " + r.status(),
            wanted.size() + " present",
            "Grafana wants a login: set VIGIL_GRAFANA_TOKEN (a service account token)");
      }
      JsonNode hits = parse(r.body());
      if (!r.ok() || hits == null || !hits.isArray()) {
        return new Check(
            TARGET, "dashboards", Verdict.FAIL, r.brief(), wanted.size() + " present", "");
      }
      Set<String> found = new TreeSet<>();
      hits.forEach(h -> found.add(h.path("uid").asText()));
      List<String> missing = new ArrayList<>();
      for (Dashboard d : wanted) {
        if (!found.contains(d.uid())) {
          missing.add(d.uid() + " (" + d.title() + ")");
        }
      }
      int present = wanted.size() - missing.size();
      return new Check(
          TARGET,
          "dashboards",
          missing.isEmpty() ? Verdict.PASS : Verdict.FAIL,
          present + " of " + wanted.size() + " present",
          wanted.size() + " present",
          missing.isEmpty() ? "" : "missing: " + String.join(", ", missing),
          (double) present);
    } catch (IOException e) {
      return new Check(TARGET, "dashboards", Verdict.UNKNOWN, "", "", e.getMessage());
    }
  }
}
