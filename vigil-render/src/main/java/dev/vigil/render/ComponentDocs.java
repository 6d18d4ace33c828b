package dev.vigil.render;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The table of components in docs/components.md, generated from the declarations so it cannot
 * drift from them (the docs test compares; {@code scripts/update-golden} rewrites it).
 */
public final class ComponentDocs {
  public static final String BEGIN = "<!-- BEGIN GENERATED COMPONENTS (from the component declarations) -->";
  public static final String END = "<!-- END GENERATED COMPONENTS -->";

  private ComponentDocs() {}

  /** The generated block, markers included. */
  public static String markdown(ComponentRegistry registry) {
    StringBuilder sb = new StringBuilder(BEGIN).append('\n');
    sb.append("| component | images | tags | state | scrape jobs | rule files | dashboards | needs |\n");
    sb.append("|---|---|---|---|---|---|---|---|\n");
    for (Component c : registry.components()) {
      sb.append("| ").append(c.name())
          .append(" | ").append(list(c.images().stream().map(i -> i.name() + ": `" + i.reference() + "`").toList()))
          .append(" | ").append(list(c.tags().stream().map(Tag::label).toList()))
          .append(" | ").append(c.stateful() ? "stateful" : "—")
          .append(" | ").append(list(List.copyOf(c.scrapeJobs())))
          .append(" | ").append(list(List.copyOf(c.ruleFiles())))
          .append(" | ").append(list(List.copyOf(c.dashboards())))
          .append(" | ").append(list(List.copyOf(c.dependsOn())))
          .append(" |\n");
    }
    return sb.append(END).append('\n').toString();
  }

  private static String list(List<String> items) {
    return items.isEmpty() ? "—" : items.stream().collect(Collectors.joining("<br>"));
  }
}
