package dev.vigil.cli;

import dev.vigil.render.ComponentOutput;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.check.StackChecks;
import dev.vigil.spec.model.Station;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Render the station's stack as a Kustomize layout (kubectl apply --server-side -k OUT).",
      "Formats (-o): table (default), json — the summary of what was rendered."
    })
public final class RenderCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SpecOptions specOptions;

  @Mixin FormatOption format;

  @Mixin OutOption outOption;

  /** The output directory: --out, else out/. An earlier render there is replaced. */
  private Path out;

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    out = outOption.orElse(Path.of("out"));
    String summaryFormat = format.resolve(spec, "table", List.of("table", "json"), legacy -> out = Path.of(legacy));
    Optional<Station> station = specOptions.load(err);
    if (station.isEmpty()) {
      return ExitCodes.INPUT;
    }
    RenderedStack stack = new StackRenderer().render(station.get());
    StackChecks.Result checks = StackChecks.run(stack);
    if (!checks.ok()) {
      checks.failures().forEach(f -> err.println("check failed: " + f));
      err.println(checks.failures().size() + " checks failed; nothing was written.");
      return ExitCodes.FINDINGS;
    }
    try {
      stack.write(out);
    } catch (IOException e) {
      err.println("vigil: " + e.getMessage());
      return ExitCodes.INPUT;
    }
    summary(o, station.get(), stack, checks, summaryFormat);
    return ExitCodes.OK;
  }

  /** Rule files named after a capability, and the component that provides it. */
  private static final Map<String, String> CAPABILITY_OWNERS =
      Map.of("syslog", "syslog-gateway", "time", "chrony");

  /** One component's line of the summary. */
  record Row(String component, int objects, int alerts, int recording, int dashboards) {}

  private void summary(PrintWriter o, Station station, RenderedStack stack, StackChecks.Result checks, String format) {
    Map<String, int[]> rules = new java.util.TreeMap<>();
    Map<String, Integer> dashboardsBy = new java.util.TreeMap<>();
    for (Map.Entry<String, ComponentOutput> e : stack.components().entrySet()) {
      for (HasMetadata obj : e.getValue().objects()) {
        if (!(obj instanceof ConfigMap cm) || cm.getData() == null) {
          continue;
        }
        for (Map.Entry<String, String> f : cm.getData().entrySet()) {
          if (f.getKey().endsWith(".rules.yaml")) {
            // Rule files are named after the component whose metrics they watch.
            String owner = f.getKey().substring(0, f.getKey().length() - ".rules.yaml".length());
            owner = CAPABILITY_OWNERS.getOrDefault(owner, owner);
            owner = stack.components().containsKey(owner) ? owner : e.getKey();
            StackChecks.RuleCounts counts = StackChecks.countRules(f.getValue());
            int[] c = rules.computeIfAbsent(owner, k -> new int[2]);
            c[0] += counts.alerts();
            c[1] += counts.recording();
          } else if (f.getKey().endsWith(".json") && cm.getMetadata().getName().startsWith("grafana-dashboard-")) {
            dashboardsBy.merge(e.getKey(), 1, Integer::sum);
          }
        }
      }
    }
    List<Row> rows = new java.util.ArrayList<>();
    for (Map.Entry<String, ComponentOutput> e : stack.components().entrySet()) {
      int[] r = rules.getOrDefault(e.getKey(), new int[2]);
      rows.add(new Row(e.getKey(), e.getValue().objects().size(), r[0], r[1], dashboardsBy.getOrDefault(e.getKey(), 0)));
    }
    Row total = new Row("total", rows.stream().mapToInt(Row::objects).sum(), rows.stream().mapToInt(Row::alerts).sum(),
        rows.stream().mapToInt(Row::recording).sum(), rows.stream().mapToInt(Row::dashboards).sum());
    String profile = station.profile().name().toLowerCase(java.util.Locale.ROOT);
    if (format.equals("json")) {
      Map<String, Object> doc = new java.util.LinkedHashMap<>();
      doc.put("spec", specOptions.describe());
      doc.put("cluster", station.cluster().name());
      doc.put("profile", profile);
      doc.put("out", out.toString());
      doc.put("components", rows);
      doc.put("total", total);
      doc.put("checks", Map.of("passed", checks.passed(), "failed", checks.failures().size()));
      o.println(dev.vigil.render.Yaml.json(doc));
      o.flush();
      return;
    }
    o.printf("Rendered %s (cluster %s, profile %s) into %s/%n", specOptions.describe(), station.cluster().name(),
        profile, out);
    String fmt = "  %-20s %8s %7s %10s %11s%n";
    o.printf(fmt, "COMPONENT", "OBJECTS", "ALERTS", "RECORDING", "DASHBOARDS");
    for (Row r : rows) {
      o.printf(fmt, r.component(), r.objects(), r.alerts(), r.recording(), r.dashboards());
    }
    o.printf(fmt, total.component(), total.objects(), total.alerts(), total.recording(), total.dashboards());
    o.printf("Checks: %d passed, %d failed.%n", checks.passed(), checks.failures().size());
    o.printf("Deploy with: kubectl apply --server-side -k %s/%n", out);
  }
}
