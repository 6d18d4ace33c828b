package dev.vigil.render.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.Yaml;
import dev.vigil.render.contract.Contracts;
import dev.vigil.render.contract.ImageContract;
import dev.vigil.render.grafana.dashboard.Dashboard;
import dev.vigil.testing.Tools;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the integration tests take from a rendered stack, and the checks they share. */
public final class Rendered {
  private static final Pattern TYPE_LINE = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$");
  private static final Pattern HELP_FLAG = Pattern.compile("-(-)?([a-zA-Z][\\w.-]*)");
  private static final Pattern NAME =
      Pattern.compile("(?<![\\w:\"])([a-zA-Z_][a-zA-Z0-9_]*)\\s*\\{");

  private Rendered() {}

  /** The one container of a component's Deployment named {@code deployment}. */
  public static Container container(RenderedStack stack, String component, String deployment) {
    return stack.components().get(component).objects().stream()
        .filter(o -> o instanceof Deployment && o.getMetadata().getName().equals(deployment))
        .map(o -> ((Deployment) o).getSpec().getTemplate().getSpec().getContainers().get(0))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Deployment " + deployment + " in " + component));
  }

  /** The rendered args, with the listen address moved to 127.0.0.1:port. */
  public static List<String> argsOnLoopback(Container c, String listenFlag, int port) {
    List<String> args = new ArrayList<>();
    boolean moved = false;
    for (String a : c.getArgs()) {
      if (a.startsWith(listenFlag + "=")) {
        args.add(listenFlag + "=127.0.0.1:" + port);
        moved = true;
      } else {
        args.add(a);
      }
    }
    assertThat(moved).as("rendered args " + c.getArgs() + " set " + listenFlag).isTrue();
    return args;
  }

  /** Every Prometheus query of a rendered dashboard. */
  public static List<String> dashboardQueries(RenderedStack stack, String uid) throws Exception {
    Dashboard d =
        stack.contributions().allDashboards().stream()
            .filter(x -> x.uid().equals(uid))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no dashboard " + uid));
    List<String> out = new ArrayList<>();
    collect(Yaml.mapper().readTree(d.toJson()).path("panels"), out);
    assertThat(out).as("queries of " + uid).isNotEmpty();
    return out;
  }

  private static void collect(JsonNode panels, List<String> out) {
    for (JsonNode p : panels) {
      collect(p.path("panels"), out);
      for (JsonNode t : p.path("targets")) {
        if (t.has("expr")) {
          out.add(t.get("expr").asText());
        }
      }
    }
  }

  /**
   * The metric names a component's rules and dashboards read that its contract lists must be
   * exposed by the real exporter with the contract's type; returns how many were checked.
   */
  public static int checkContractTypes(
      String contractName, String exposition, RenderedStack stack, String component)
      throws Exception {
    ImageContract contract = Contracts.load().byName(contractName).orElseThrow();
    Map<String, String> scraped = new TreeMap<>();
    Matcher m = TYPE_LINE.matcher(exposition);
    while (m.find()) {
      scraped.put(m.group(1), m.group(2));
    }
    StringBuilder queries = new StringBuilder();
    stack
        .contributions()
        .ruleFiles()
        .getOrDefault(component, Map.of())
        .values()
        .forEach(queries::append);
    for (Dashboard d : stack.contributions().dashboards().getOrDefault(component, List.of())) {
      queries.append(d.toJson());
    }
    Set<String> read = new TreeSet<>();
    Matcher n = NAME.matcher(queries.toString().replace("\\\"", "\""));
    while (n.find()) {
      read.add(n.group(1));
    }
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (String name : read) {
      var metric = contract.metric(name);
      if (metric.isEmpty()) {
        continue;
      }
      checked++;
      String type = scraped.get(name);
      if (type == null) {
        problems.add(name + " is read by Vigil but not exposed by the real exporter");
      } else if (!type.equals(metric.get().type())) {
        problems.add(
            name + ": the real exporter says " + type + ", the contract " + metric.get().type());
      }
    }
    assertThat(problems).isEmpty();
    assertThat(checked).as("metrics of " + contractName + " read by Vigil").isPositive();
    return checked;
  }

  /**
   * Every flag the rendered container passes is in the real binary's --help (Go's flag or kingpin).
   */
  public static void checkFlagsAccepted(Container c, java.nio.file.Path bin) {
    Tools.Run help = Tools.run(null, 30, bin.toString(), "--help");
    Set<String> known = new TreeSet<>();
    Matcher m = HELP_FLAG.matcher(help.output());
    while (m.find()) {
      known.add(m.group(2));
    }
    for (String a : c.getArgs()) {
      String bare = a.replaceFirst("^-+", "").replaceFirst("=.*$", "");
      assertThat(known).as(bin + " --help accepts " + a).contains(bare);
    }
  }
}
