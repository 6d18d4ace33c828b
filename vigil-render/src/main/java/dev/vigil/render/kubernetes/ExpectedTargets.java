package dev.vigil.render.kubernetes;

import dev.vigil.render.RenderContext;
import dev.vigil.render.chrony.ChronyRenderer;
import dev.vigil.render.ipmi.IpmiExporterRenderer;
import dev.vigil.render.nodeagent.NodeAgentRenderer;
import dev.vigil.render.nodeexporter.NodeExporterRenderer;
import dev.vigil.spec.model.Node;
import dev.vigil.spec.model.ScrapeTarget;
import dev.vigil.spec.model.Station;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What only the spec knows: which per-node targets must exist. A target that vanishes from
 * discovery (its pod evicted or deleted, its node gone) leaves no series behind, so NodeDown
 * ({@code up == 0}) cannot fire for it and an {@code absent()} only fires when every node is gone.
 * This rule file lists, per job, the nodes the spec expects it on, and alerts for each one whose
 * target is missing; and, for each cluster the spec federates, when its /federate endpoint cannot
 * be scraped. Rendered from the station; the file shipped beside this class (and its promtool
 * tests) is the rendering of the homelab example, which exercises every part of it.
 */
public final class ExpectedTargets {
  public static final String FILE = "expected-targets.rules.yaml";
  static final String RECORD = "job_node:expected_target:info";
  static final String RUNBOOK = "https://github.com/vigil-dev/vigil/blob/main/docs/alerts.md#";

  /** One per-node job: the alert for a missing target, its severity, and the nodes expected. */
  public record Expected(
      String alert, String job, String what, String severity, String team, List<String> nodes) {}

  /** A cluster federated into this one: the job that scrapes its /federate, and its name. */
  public record Federation(String job, String cluster) {}

  private ExpectedTargets() {}

  /** The per-node jobs the station runs, with their nodes in spec order. */
  public static List<Expected> expected(Station station, Set<String> enabled) {
    List<Node> nodes = station.nodes() == null ? List.of() : station.nodes();
    List<String> all = nodes.stream().map(Node::name).toList();
    List<Expected> out = new ArrayList<>();
    if (enabled.contains(NodeExporterRenderer.NAME) && !all.isEmpty()) {
      out.add(
          new Expected(
              "NodeExporterMissing",
              NodeExporterRenderer.NAME,
              "node-exporter",
              "critical",
              "platform",
              all));
    }
    if (enabled.contains(NodeAgentRenderer.NAME)) {
      List<String> agents = List.copyOf(NodeAgentRenderer.nodes(station).keySet());
      if (!agents.isEmpty()) {
        out.add(
            new Expected(
                "NodeAgentMissing",
                NodeAgentRenderer.SCRAPE_JOB,
                "the node agent",
                "warning",
                "platform",
                agents));
      }
    }
    if (enabled.contains(ChronyRenderer.NAME) && !all.isEmpty()) {
      out.add(
          new Expected(
              "ChronyExporterMissing",
              ChronyRenderer.SCRAPE_JOB,
              "the chrony exporter",
              "warning",
              "platform",
              all));
    }
    if (enabled.contains(IpmiExporterRenderer.NAME)) {
      List<String> ipmi = nodes.stream().filter(Node::ipmi).map(Node::name).toList();
      if (!ipmi.isEmpty()) {
        out.add(
            new Expected(
                "IpmiExporterMissing",
                IpmiExporterRenderer.NAME,
                "the IPMI exporter",
                "warning",
                "platform",
                ipmi));
      }
    }
    return out;
  }

  /** The federation jobs of the spec's extra scrape targets. */
  public static List<Federation> federations(Station station) {
    List<Federation> out = new ArrayList<>();
    for (ScrapeTarget t : station.components().prometheus().extraScrapeTargets()) {
      if (!t.federate().isEmpty() && t.cluster() != null) {
        out.add(new Federation(t.name(), t.cluster()));
      }
    }
    return out;
  }

  /** The rule file for a render, or null when there is nothing to expect. */
  public static String render(RenderContext ctx) {
    return render(expected(ctx.station(), ctx.enabledComponents()), federations(ctx.station()));
  }

  public static String render(List<Expected> expected, List<Federation> federations) {
    if (expected.isEmpty() && federations.isEmpty()) {
      return null;
    }
    StringBuilder y = new StringBuilder();
    y.append(
            "# Rendered by vigil from the station spec: the per-node targets the stack expects, by\n")
        .append(
            "# job, and the federated clusters. A target that vanishes from discovery (its pod\n")
        .append(
            "# evicted or deleted, its node gone) leaves no series, so up == 0 cannot see it; the spec\n")
        .append("# can. Runbooks: docs/alerts.md.\n")
        .append("groups:\n")
        .append("  # One group: each alert reads the recording of the same evaluation.\n")
        .append("  - name: expected-targets\n")
        .append("    rules:\n");
    for (Expected e : expected) {
      y.append("      - record: ").append(RECORD).append('\n');
      y.append("        expr: |\n");
      for (int i = 0; i < e.nodes().size(); i++) {
        y.append("          ")
            .append(i == 0 ? "" : "or ")
            .append("label_replace(vector(1), \"node\", \"")
            .append(e.nodes().get(i))
            .append("\", \"\", \"\")\n");
      }
      y.append("        labels:\n");
      y.append("          job: ").append(e.job()).append("\n\n");
    }
    for (Expected e : expected) {
      y.append("      # Expected on ").append(String.join(", ", e.nodes())).append(".\n");
      y.append("      - alert: ").append(e.alert()).append('\n');
      y.append("        expr: |\n");
      y.append("          ")
          .append(RECORD)
          .append("{job=\"")
          .append(e.job())
          .append("\", cluster=\"\"}\n");
      y.append("          unless on (job, node)\n");
      y.append("          up{job=\"").append(e.job()).append("\", cluster=\"\"}\n");
      // Long enough for a rolling update or a rescheduled pod to be discovered again.
      y.append("        for: 10m\n");
      y.append("        labels:\n");
      y.append("          severity: ").append(e.severity()).append('\n');
      y.append("          team: ").append(e.team()).append('\n');
      y.append("        annotations:\n");
      y.append("          summary: ")
          .append(capital(e.what()))
          .append(" of {{ $labels.node }} is missing.\n");
      y.append("          description: 'Prometheus has had no ")
          .append(e.job())
          .append(
              " target for node {{ $labels.node }} for 10 minutes, although the spec expects one there: the pod is gone or the node left the cluster.'\n");
      y.append("          runbook_url: ")
          .append(RUNBOOK)
          .append(e.alert().toLowerCase())
          .append("\n\n");
    }
    for (Federation f : federations) {
      // The federation job's own up series carries the remote cluster's name as a target
      // label; a metric relabelling would leave it without one. Either way it is this
      // Prometheus' view of the path to that cluster.
      y.append("      # The /federate endpoint of cluster ")
          .append(f.cluster())
          .append(" cannot be scraped: its series stop here.\n");
      y.append("      - alert: FederationSourceDown\n");
      y.append("        expr: max by (job, instance) (up{job=\"")
          .append(f.job())
          .append("\", cluster=~\"")
          .append(f.cluster())
          .append("|\"}) == 0\n");
      y.append("        for: 10m\n");
      y.append("        labels:\n");
      y.append("          severity: warning\n");
      y.append("          team: monitoring\n");
      y.append("        annotations:\n");
      y.append("          summary: Federation from cluster ")
          .append(f.cluster())
          .append(" is failing.\n");
      y.append(
              "          description: 'Prometheus has failed to scrape the /federate endpoint of cluster ")
          .append(f.cluster())
          .append(
              " ({{ $labels.instance }}, job {{ $labels.job }}) for 10 minutes; its series are missing here.'\n");
      y.append("          runbook_url: ").append(RUNBOOK).append("federationsourcedown\n\n");
    }
    return y.toString().stripTrailing() + "\n";
  }

  private static String capital(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
