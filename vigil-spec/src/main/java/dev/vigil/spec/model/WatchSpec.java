package dev.vigil.spec.model;

import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Excerpts;
import dev.vigil.spec.bind.Required;
import dev.vigil.spec.bind.Validated;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

@Doc("The application namespaces the stack watches: their pods' metrics and logs.")
public record WatchSpec(
    @Doc(
            "Application namespaces. Pods there with the prometheus.io/scrape: \"true\" annotation are"
                + " scraped (prometheus.io/port, prometheus.io/path, prometheus.io/scheme as usual); their"
                + " metrics and logs carry the namespace's labels. Without any, annotated Services are scraped"
                + " in every namespace and pods in none.")
        List<Namespace> namespaces)
    implements Validated {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** Labels the scrape jobs and the log agent set themselves. */
  private static final Set<String> RESERVED =
      Set.of(
          "job",
          "instance",
          "namespace",
          "pod",
          "node",
          "container",
          "app",
          "service",
          "cluster",
          "unit",
          "level");

  @Doc("An application namespace.")
  public record Namespace(
      @Doc("Namespace name.") @Required String name,
      @Doc("Labels its pods' series and log streams carry, e.g. team: erp, environment: poc.")
          Map<String, String> labels) {}

  @Override
  public void validate(Checks c) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < namespaces.size(); i++) {
      Namespace n = namespaces.get(i);
      String at = "namespaces[" + i + "]";
      if (!DNS_LABEL.matcher(n.name()).matches()) {
        c.error(
            at + ".name",
            "expected a Kubernetes namespace name (lower-case letters, digits, '-', at most 63), got "
                + Excerpts.quoted(n.name()));
      } else if (!seen.add(n.name())) {
        c.error(at + ".name", "duplicate namespace " + Excerpts.quoted(n.name()));
      }
      for (String label : n.labels().keySet()) {
        if (!LABEL.matcher(label).matches() || label.startsWith("__")) {
          c.error(
              at + ".labels." + label,
              "expected a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)");
        } else if (RESERVED.contains(label)) {
          c.error(
              at + ".labels." + label,
              "set by the scrape jobs and the log agent themselves; choose another name");
        }
      }
    }
  }
}
