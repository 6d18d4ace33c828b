package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Excerpts;
import dev.vigil.spec.bind.Validated;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

@Doc(
    "OpenTelemetry Collector (contrib distribution): receives OTLP from applications and forwards"
        + " traces to Tempo, logs to Loki and metrics to Prometheus, each when that component is part"
        + " of the stack.")
public record OtelCollectorSpec(
    @Doc("Deploy it.") @Default("false") boolean enabled,
    @Doc("Container resources; the memory limiter refuses data at 80 % of the memory limit.")
        Resources resources,
    @Doc("Replicas (default 1 in homelab, 2 in production).") Integer replicas,
    @Doc(
            "Namespaces whose workloads send telemetry: they may reach the OTLP ports (4317 gRPC, 4318"
                + " HTTP), and each gets an Instrumentation resource when instrumentation is on. The"
                + " stack's own namespace may always send.")
        List<String> namespaces,
    @Doc(
            "Auto-instrumentation of Java and Python workloads by the OpenTelemetry Operator (which"
                + " must be installed in the cluster; Vigil renders only its Instrumentation resources).")
        Instrumentation instrumentation)
    implements Validated {

  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  @Doc(
      "One Instrumentation resource per namespace in components.otelCollector.namespaces; workloads"
          + " opt in with the annotation instrumentation.opentelemetry.io/inject-java or inject-python"
          + " set to \"true\".")
  public record Instrumentation(
      @Doc("Render the Instrumentation resources.") @Default("false") boolean enabled,
      @Doc("Share of traces kept, 0 to 1 (parent-based: a trace keeps its caller's decision).")
          @Default("1.0")
          double samplingRatio)
      implements Validated {
    @Override
    public void validate(Checks checks) {
      if (samplingRatio < 0 || samplingRatio > 1 || Double.isNaN(samplingRatio)) {
        checks.error("samplingRatio", "expected a ratio from 0 to 1, got " + samplingRatio);
      }
    }
  }

  @Override
  public void validate(Checks checks) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < namespaces.size(); i++) {
      String ns = namespaces.get(i);
      if (!NAMESPACE.matcher(ns).matches()) {
        checks.error(
            "namespaces[" + i + "]",
            "expected a namespace name (DNS label), got " + Excerpts.quoted(ns));
      } else if (!seen.add(ns)) {
        checks.error("namespaces[" + i + "]", "duplicate namespace " + Excerpts.quoted(ns));
      }
    }
    if (instrumentation.enabled() && namespaces.isEmpty()) {
      checks.error(
          "instrumentation.enabled",
          "instrumentation needs the namespaces to instrument: set components.otelCollector.namespaces");
    }
    if (replicas != null && (replicas < 1 || replicas > 10)) {
      checks.error("replicas", "expected 1 to 10 replicas, got " + replicas);
    }
    Resources.Amounts req = resources.requests();
    Resources.Amounts lim = resources.limits();
    if (req.cpu() != null && lim.cpu() != null && req.cpu().compareTo(lim.cpu()) > 0) {
      checks.error(
          "resources.requests.cpu", "request " + req.cpu() + " is above the limit " + lim.cpu());
    }
    if (req.memory() != null && lim.memory() != null && req.memory().compareTo(lim.memory()) > 0) {
      checks.error(
          "resources.requests.memory",
          "request " + req.memory() + " is above the limit " + lim.memory());
    }
  }
}
