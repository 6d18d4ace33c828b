package dev.vigil.cli;

import dev.vigil.render.Component;
import dev.vigil.render.ComponentDocs;
import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.Tag;
import dev.vigil.render.Yaml;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigil components}: what Vigil can render, with its images, tags and dependencies. */
@Command(
    name = "components",
    mixinStandardHelpOptions = true,
    description = {
      "List the components Vigil renders: the pinned images each runs, the tags that select it,"
          + " whether it keeps state, and the components it talks to.",
      "Formats (-o): table (default), json, markdown (the table of docs/components.md)."
    })
public final class ComponentsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin FormatOption format;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String chosen = format.resolve(spec, "table", List.of("table", "json", "markdown"), null);
    ComponentRegistry registry = ComponentRegistry.load();
    switch (chosen) {
      case "markdown" -> out.print(ComponentDocs.markdown(registry));
      case "json" -> {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Component c : registry.components()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("name", c.name());
          Map<String, String> images = new LinkedHashMap<>();
          c.images().forEach(i -> images.put(i.name(), i.reference()));
          m.put("images", images);
          m.put("tags", c.tags().stream().map(Tag::label).toList());
          m.put("stateful", c.stateful());
          m.put("scrapeJobs", c.scrapeJobs());
          m.put("ruleFiles", c.ruleFiles());
          m.put("dashboards", c.dashboards());
          m.put("dependsOn", c.dependsOn());
          all.add(m);
        }
        out.println(Yaml.json(all));
      }
      default -> {
        String fmt = "%-20s %-26s %-9s %s%n";
        out.printf(fmt, "COMPONENT", "TAGS", "STATE", "IMAGES");
        for (Component c : registry.components()) {
          out.printf(
              fmt,
              c.name(),
              String.join(",", c.tags().stream().map(Tag::label).toList()),
              c.stateful() ? "stateful" : "-",
              c.images().isEmpty()
                  ? "(none in the cluster)"
                  : String.join(" ", c.images().stream().map(i -> i.reference()).toList()));
        }
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
