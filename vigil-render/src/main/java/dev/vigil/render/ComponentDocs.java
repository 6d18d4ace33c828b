package dev.vigil.render;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The table of components in docs/components.md, generated from the declarations so it cannot drift
 * from them (the docs test compares; {@code scripts/update-golden} rewrites it).
 */
public final class ComponentDocs {
  public static final String BEGIN =
      "<!-- BEGIN GENERATED COMPONENTS (from the component declarations) -->";
  public static final String END = "<!-- END GENERATED COMPONENTS -->";

  private ComponentDocs() {}

  /** The generated block, markers included. */
  public static String markdown(ComponentRegistry registry) {
    StringBuilder sb = new StringBuilder(BEGIN).append('\n');
    sb.append(
        "| component | images | tags | state | scrape jobs | rule files | dashboards | needs |\n");
    sb.append("|---|---|---|---|---|---|---|---|\n");
    for (Component c : registry.components()) {
      sb.append("| ")
          .append(c.name())
          .append(" | ")
          .append(
              list(c.images().stream().map(i -> i.name() + ": `" + i.reference() + "`").toList()))
          .append(" | ")
          .append(list(c.tags().stream().map(Tag::label).toList()))
          .append(" | ")
          .append(c.stateful() ? "stateful" : "—")
          .append(" | ")
          .append(list(List.copyOf(c.scrapeJobs())))
          .append(" | ")
          .append(list(List.copyOf(c.ruleFiles())))
          .append(" | ")
          .append(list(List.copyOf(c.dashboards())))
          .append(" | ")
          .append(list(List.copyOf(c.dependsOn())))
          .append(" |\n");
    }
    sb.append('\n');
    sb.append("| contract | version | read from | checked against a real binary |\n");
    sb.append("|---|---|---|---|\n");
    var contracts = dev.vigil.render.contract.Contracts.load();
    new java.util.TreeMap<>(contracts.all())
        .forEach(
            (name, c) -> {
              String sources =
                  c.sources().stream()
                      .map(src -> src.repo() + " @ " + src.ref())
                      .distinct()
                      .collect(Collectors.joining("<br>"));
              String binaries =
                  c.verifiedWith().stream()
                      .filter(
                          v ->
                              !v.program().startsWith("upstream source")
                                  && !v.program().startsWith("none"))
                      .map(
                          v ->
                              v.program()
                                  + " "
                                  + v.version()
                                  + " ("
                                  + String.join(
                                      ", ",
                                      v.checked().stream().map(ComponentDocs::firstWords).toList())
                                  + ")")
                      .collect(Collectors.joining("<br>"));
              sb.append("| ")
                  .append(name)
                  .append(" | ")
                  .append(c.tag())
                  .append(" | ")
                  .append(sources)
                  .append(" | ")
                  .append(binaries.isEmpty() ? "— (upstream source only)" : binaries)
                  .append(" |\n");
            });
    return sb.append(END).append('\n').toString();
  }

  /** The kind of check, not its whole description: the words before the first colon. */
  private static String firstWords(String checked) {
    int colon = checked.indexOf(':');
    String head = colon > 0 ? checked.substring(0, colon) : checked;
    return head.length() > 40 ? head.substring(0, 40) + "…" : head;
  }

  private static String list(List<String> items) {
    return items.isEmpty() ? "—" : items.stream().collect(Collectors.joining("<br>"));
  }
}
