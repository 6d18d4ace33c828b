package dev.vigil.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.lint.Finding;
import dev.vigil.lint.Report;
import dev.vigil.lint.Severity;
import dev.vigil.lint.output.HumanFormat;
import dev.vigil.render.ComponentOutput;
import dev.vigil.render.RenderedStack;
import dev.vigil.render.StackRenderer;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

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
    String summaryFormat =
        format.resolve(spec, "table", List.of("table", "json"), legacy -> out = Path.of(legacy));
    Optional<Station> station = specOptions.load(err);
    if (station.isEmpty()) {
      return ExitCodes.INPUT;
    }
    RenderedStack stack = new StackRenderer().render(station.get());
    Report lint = StackLint.run(station.get(), stack);
    long failing = lint.findings().stream().filter(lint::failing).count();
    if (failing > 0 || !lint.errors().isEmpty()) {
      // Vigil's own output fails its own rules: a defect of this version, or of the spec's choices.
      HumanFormat.write(lint, err, false);
      err.println(
          "vigil render: the rendered stack fails "
              + failing
              + " lint findings at warning or above;"
              + " nothing was written. Exempt an object only where the spec cannot express the fix.");
      err.flush();
      return ExitCodes.FINDINGS;
    }
    try {
      stack.write(out);
    } catch (IOException e) {
      err.println("vigil: " + e.getMessage());
      return ExitCodes.INPUT;
    }
    summary(o, station.get(), stack, lint, summaryFormat);
    return ExitCodes.OK;
  }

  /** One component's line of the summary. */
  record Row(String component, int objects, int alerts, int recording, int dashboards) {}

  private void summary(
      PrintWriter o, Station station, RenderedStack stack, Report lint, String format) {
    // Who made what travels with the render: no rule file or dashboard is attributed by its name.
    List<Row> rows = new java.util.ArrayList<>();
    for (Map.Entry<String, ComponentOutput> e : stack.components().entrySet()) {
      String c = e.getKey();
      int alerts = 0;
      int recording = 0;
      for (String file : stack.contributions().ruleFiles().getOrDefault(c, Map.of()).values()) {
        for (JsonNode group : parseYaml(file).path("groups")) {
          for (JsonNode rule : group.path("rules")) {
            alerts += rule.has("alert") ? 1 : 0;
            recording += rule.has("record") ? 1 : 0;
          }
        }
      }
      int dashboards = stack.contributions().dashboards().getOrDefault(c, List.of()).size();
      rows.add(new Row(c, e.getValue().objects().size(), alerts, recording, dashboards));
    }
    Row total =
        new Row(
            "total",
            rows.stream().mapToInt(Row::objects).sum(),
            rows.stream().mapToInt(Row::alerts).sum(),
            rows.stream().mapToInt(Row::recording).sum(),
            rows.stream().mapToInt(Row::dashboards).sum());
    String profile = station.profile().name().toLowerCase(java.util.Locale.ROOT);
    if (format.equals("json")) {
      Map<String, Object> doc = new java.util.LinkedHashMap<>();
      doc.put("spec", specOptions.describe());
      doc.put("cluster", station.cluster().name());
      doc.put("profile", profile);
      doc.put("out", out.toString());
      doc.put("components", rows);
      doc.put("total", total);
      Map<String, Object> lintDoc = new java.util.LinkedHashMap<>();
      lintDoc.put("objects", lint.objects());
      lintDoc.put("configs", lint.configs());
      lintDoc.put("rules", lint.rules().size());
      lintDoc.put("info", lint.findings().stream().map(RenderCommand::describe).toList());
      lintDoc.put("exempted", lint.suppressed());
      doc.put("lint", lintDoc);
      doc.put("images", stack.images());
      Map<String, List<String>> notes = new java.util.TreeMap<>();
      stack
          .components()
          .forEach(
              (c, out) -> {
                if (!out.notes().isEmpty()) {
                  notes.put(c, out.notes());
                }
              });
      doc.put("notes", notes);
      o.println(dev.vigil.render.Yaml.json(doc));
      o.flush();
      return;
    }
    o.printf(
        "Rendered %s (cluster %s, profile %s) into %s/%n",
        specOptions.describe(), station.cluster().name(), profile, out);
    String fmt = "  %-20s %8s %7s %10s %11s%n";
    o.printf(fmt, "COMPONENT", "OBJECTS", "ALERTS", "RECORDING", "DASHBOARDS");
    for (Row r : rows) {
      o.printf(fmt, r.component(), r.objects(), r.alerts(), r.recording(), r.dashboards());
    }
    o.printf(
        fmt,
        total.component(),
        total.objects(),
        total.alerts(),
        total.recording(),
        total.dashboards());
    o.printf("Images (%d):%n", stack.images().size());
    stack.images().forEach(i -> o.printf("  %s%n", i));
    o.printf(
        "Lint: %d objects and %d configurations, %d rules: %d errors, %d warnings, %d info; %d exempted with a reason.%n",
        lint.objects(),
        lint.configs(),
        lint.rules().size(),
        lint.count(Severity.ERROR),
        lint.count(Severity.WARNING),
        lint.count(Severity.INFO),
        lint.suppressed());
    lint.findings().forEach(f -> o.printf("  %s%n", describe(f)));
    for (Map.Entry<String, ComponentOutput> e : stack.components().entrySet()) {
      e.getValue().notes().forEach(n -> o.printf("Note (%s): %s%n", e.getKey(), n));
    }
    o.printf(
        "Deploy with: vigil apply%s (or kubectl apply --server-side -k %s/)%n",
        specOptions.given() ? " -f " + specOptions.describe() : "", out);
  }

  private static String describe(Finding f) {
    return f.severity().label()
        + " "
        + f.ruleId()
        + " "
        + f.source()
        + ":"
        + f.line()
        + ": "
        + f.message();
  }

  private static JsonNode parseYaml(String yaml) {
    try {
      return dev.vigil.render.Yaml.mapper().readTree(yaml);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
