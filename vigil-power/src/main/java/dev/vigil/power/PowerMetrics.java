package dev.vigil.power;

import dev.vigil.power.check.ActivityVerdict;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Locale;

/**
 * The power manager's metrics, registered here and only updated by the roles; names are what the
 * power alert rules and dashboard read.
 */
final class PowerMetrics {
  /**
   * Upper bounds of the wake latency buckets in seconds: resume from suspend takes a few seconds, a
   * cold boot one to two minutes, and the default verify timeout is 120 s.
   */
  static final double[] WAKE_LATENCY_BUCKETS = {1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300};

  final Gauge nodeState;
  final Gauge sleepable;
  final Gauge idleSeconds;
  final Gauge checkVerdict;
  final Counter wakes;
  final Counter suppressed;
  final Histogram wakeLatency;
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
            .name("vigil_power_wakes_total")
            .help("Finished wakes by result (woke, failed, dry_run)")
            .labelNames("node", "result")
            .register(registry);
    suppressed =
        Counter.builder()
            .name("vigil_power_wakes_suppressed_total")
            .help("Wake requests dropped because a wake was in flight or in backoff")
            .labelNames("node", "why")
            .register(registry);
    wakeLatency =
        Histogram.builder()
            .name("vigil_power_wake_latency_seconds")
            .help("Time from the first magic packet to the node answering, per successful wake")
            .labelNames("node")
            .classicOnly()
            .classicUpperBounds(WAKE_LATENCY_BUCKETS)
            .register(registry);
    sleeps =
        Counter.builder()
            .name("vigil_power_sleeps_total")
            .help("Sleep decisions carried out (dry_run=true: only logged)")
            .labelNames("node", "dry_run")
            .register(registry);
  }

  /** Lets a later power manager (after a reload) register the same names again. */
  void unregister() {
    for (Collector c :
        List.<Collector>of(
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
          .labelValues(node, check, each.name().toLowerCase(Locale.ROOT))
          .set(each == v.state() ? 1 : 0);
    }
  }
}
