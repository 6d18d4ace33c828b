package dev.vigil.cli;

import dev.vigil.render.ComponentOutput;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
import dev.vigil.render.check.StackChecks;
import dev.vigil.spec.model.Station;
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

  /** One component's line of the summary. */
  record Row(String component, int objects, int alerts, int recording, int dashboards) {}

  private void summary(PrintWriter o, Station station, RenderedStack stack, StackChecks.Result checks, String format) {
    // Who made what travels with the render: no rule file or dashboard is attributed by its name.
    List<Row> rows = new java.util.ArrayList<>();
    for (Map.Entry<String, ComponentOutput> e : stack.components().entrySet()) {
      String c = e.getKey();
      int alerts = 0;
      int recording = 0;
      for (String file : stack.contributions().ruleFiles().getOrDefault(c, Map.of()).values()) {
        StackChecks.RuleCounts counts = StackChecks.countRules(file);
        alerts += counts.alerts();
        recording += counts.recording();
      }
      int dashboards = stack.contributions().dashboards().getOrDefault(c, List.of()).size();
      rows.add(new Row(c, e.getValue().objects().size(), alerts, recording, dashboards));
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
      doc.put("images", stack.images());
      Map<String, List<String>> notes = new java.util.TreeMap<>();
      stack.components().forEach((c, out) -> {
        if (!out.notes().isEmpty()) {
          notes.put(c, out.notes());
        }
      });
      doc.put("notes", notes);
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
    o.printf("Images (%d):%n", stack.images().size());
    stack.images().forEach(i -> o.printf("  %s%n", i));
    o.printf("Checks: %d passed, %d failed.%n", checks.passed(), checks.failures().size());
    for (Map.Entry<String, ComponentOutput> e : stack.components().entrySet()) {
      e.getValue().notes().forEach(n -> o.printf("Note (%s): %s%n", e.getKey(), n));
    }
    o.printf("Deploy with: kubectl apply --server-side -k %s/%n", out);
  }
}
