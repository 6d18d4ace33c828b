package dev.vigil.power;

import dev.vigil.power.check.ActivityVerdict;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;

/** The power manager's metrics; names are what the power alert rules and dashboard read. */
final class PowerMetrics {
  final Gauge nodeState;
  final Gauge sleepable;
  final Gauge idleSeconds;
  final Gauge checkVerdict;
  final Counter wakes;
  final Counter suppressed;
  final Gauge wakeLatency;
  final Counter sleeps;

  private final PrometheusRegistry registry;

  PowerMetrics(PrometheusRegistry registry) {
    this.registry = registry;
    nodeState =
        Gauge.builder()
            .name("vigil_power_node_state")
            .help("1 for the node's current power state (awake, idle, sleeping, waking, unknown)")
            .labelNames("node", "state")
            .register(registry);
    sleepable =
        Gauge.builder()
            .name("vigil_power_node_sleepable")
            .help("1 when the node may be put to sleep")
            .labelNames("node")
            .register(registry);
    idleSeconds =
        Gauge.builder()
            .name("vigil_power_node_idle_seconds")
            .help("How long every activity check has been idle (monotonic clock)")
            .labelNames("node")
            .register(registry);
    checkVerdict =
        Gauge.builder()
            .name("vigil_power_check_verdict")
            .help("1 for the latest verdict (active, idle, error) of each activity check")
            .labelNames("node", "check", "verdict")
            .register(registry);
    wakes =
        Counter.builder()
            .name("vigil_power_wakes")
            .help("Finished wakes by result (woke, failed, dry_run)")
            .labelNames("node", "result")
            .register(registry);
    suppressed =
        Counter.builder()
            .name("vigil_power_wakes_suppressed")
            .help("Wake requests dropped because a wake was in flight or in backoff")
            .labelNames("node", "why")
            .register(registry);
    wakeLatency =
        Gauge.builder()
            .name("vigil_power_wake_latency_seconds")
            .help(
                "Time from the first magic packet to the node answering, for the last successful"
                    + " wake")
            .labelNames("node")
            .register(registry);
    sleeps =
        Counter.builder()
            .name("vigil_power_sleeps")
            .help("Sleep decisions carried out (dry_run=true: only logged)")
            .labelNames("node", "dry_run")
            .register(registry);
  }

  /** Lets a later power manager (after a reload) register the same names again. */
  void unregister() {
    for (io.prometheus.metrics.model.registry.Collector c :
        List.of(
            nodeState,
            sleepable,
            idleSeconds,
            checkVerdict,
            wakes,
            suppressed,
            wakeLatency,
            sleeps)) {
      registry.unregister(c);
    }
  }

  void state(String node, NodeState s) {
    for (NodeState each : NodeState.values()) {
      nodeState.labelValues(node, each.label()).set(each == s ? 1 : 0);
    }
  }

  void verdict(String node, String check, ActivityVerdict v) {
    for (ActivityVerdict.State each : ActivityVerdict.State.values()) {
      checkVerdict
          .labelValues(node, check, each.name().toLowerCase(java.util.Locale.ROOT))
          .set(each == v.state() ? 1 : 0);
    }
  }
}
