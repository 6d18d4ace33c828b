package dev.vigil.cli;

import dev.vigil.spec.time.TimeSpec.TimeThresholds;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Threshold flags. Unset flags fall back to the spec (with {@code -f}) and then to the spec's
 * defaults: flag > file > default.
 */
public final class TimeThresholdOptions {
  @Option(
      names = "--offset-warning",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Offset that warns (default: spec, else 100ms).")
  Duration offsetWarning;

  @Option(
      names = "--offset-critical",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Offset that fails (default: spec, else 1s).")
  Duration offsetCritical;

  @Option(
      names = "--max-stratum",
      paramLabel = "N",
      description = "Highest acceptable stratum (default: spec, else 10).")
  Integer maxStratum;

  @Option(
      names = "--min-reachable",
      paramLabel = "N",
      description = "Fewest trustworthy sources per node (default: spec, else 1).")
  Integer minReachable;

  @Option(
      names = "--peer-skew",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Largest node-to-node offset (default: spec, else 250ms).")
  Duration peerSkew;

  @Option(
      names = "--log-skew",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Largest event-vs-receive log time difference (default: spec, else 10s).")
  Duration logSkew;

  /** The effective thresholds over a base (the spec's, or the defaults). */
  TimeThresholds resolve(TimeThresholds base) {
    return new TimeThresholds(
        offsetWarning != null ? offsetWarning : base.offsetWarning(),
        offsetCritical != null ? offsetCritical : base.offsetCritical(),
        maxStratum != null ? maxStratum : base.maxStratum(),
        minReachable != null ? minReachable : base.minReachableSources(),
        base.kerberosLimit(),
        peerSkew != null ? peerSkew : base.peerSkew(),
        logSkew != null ? logSkew : base.logSkew());
  }
}
