package dev.vigil.spec.time;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Validated;
import java.util.List;

@Doc("Time synchronisation: chrony for the cluster, the agent's time probe, and their thresholds.")
public record TimeSpec(
    @Doc("Render chrony and run the time probe.") @Default("true") boolean enabled,
    @Doc(
            "Upstream NTP servers as host or host:port; empty means the public default set"
                + " (time.cloudflare.com and 0-3.pool.ntp.org).")
        List<String> upstream,
    @Doc(
            "control-plane: the control-plane nodes sync upstream and every other node syncs to"
                + " them; flat: every node syncs upstream directly.")
        @Default("control-plane")
        TimeHierarchy hierarchy,
    @Doc("Alert and verification thresholds.") TimeThresholds thresholds,
    @Doc("The agent's periodic time probe.") TimeProbeSpec probe) {

  /** Used when {@code upstream} is empty: an anycast service plus the pool's four zones. */
  public static final List<String> DEFAULT_UPSTREAM =
      List.of(
          "time.cloudflare.com",
          "0.pool.ntp.org",
          "1.pool.ntp.org",
          "2.pool.ntp.org",
          "3.pool.ntp.org");

  public TimeSpec {
    upstream = upstream == null ? List.of() : List.copyOf(upstream);
    hierarchy = hierarchy == null ? TimeHierarchy.CONTROL_PLANE : hierarchy;
    thresholds = thresholds == null ? TimeThresholds.defaults() : thresholds;
    probe = probe == null ? TimeProbeSpec.defaults() : probe;
  }

  /** The upstream servers chrony and the probe use: the configured ones, or the default set. */
  public List<String> effectiveUpstream() {
    return upstream.isEmpty() ? DEFAULT_UPSTREAM : upstream;
  }

  /** How nodes choose their NTP sources. */
  public enum TimeHierarchy {
    CONTROL_PLANE,
    FLAT
  }

  @Doc("Thresholds shared by the alert rules and `vigil verify time`.")
  public record TimeThresholds(
      @Doc("Absolute clock offset that raises a warning.") @Default("100ms")
          java.time.Duration offsetWarning,
      @Doc("Absolute clock offset that is critical.") @Default("1s")
          java.time.Duration offsetCritical,
      @Doc("Highest acceptable stratum; 16 always means unsynchronised.") @Default("10")
          int maxStratum,
      @Doc("Fewest NTP sources that must answer for a node to count as well fed.") @Default("1")
          int minReachableSources,
      @Doc("Skew at which Kerberos logins are about to fail (Kerberos refuses at 5m).")
          @Default("4m")
          java.time.Duration kerberosLimit,
      @Doc("Largest acceptable offset between two nodes of the cluster.") @Default("250ms")
          java.time.Duration peerSkew,
      @Doc("Largest acceptable difference between a log event's own time and its receive time.")
          @Default("10s")
          java.time.Duration logSkew)
      implements Validated {

    public static TimeThresholds defaults() {
      return new TimeThresholds(
          java.time.Duration.ofMillis(100),
          java.time.Duration.ofSeconds(1),
          10,
          1,
          java.time.Duration.ofMinutes(4),
          java.time.Duration.ofMillis(250),
          java.time.Duration.ofSeconds(10));
    }

    @Override
    public void validate(Checks c) {
      if (offsetWarning.isNegative() || offsetWarning.isZero()) {
        c.error("offsetWarning", "must be positive");
      }
      if (offsetCritical.compareTo(offsetWarning) <= 0) {
        c.error("offsetCritical", "must be larger than offsetWarning (" + offsetWarning + ")");
      }
      if (maxStratum < 1 || maxStratum > 15) {
        c.error("maxStratum", "must be between 1 and 15 (16 means unsynchronised)");
      }
      if (minReachableSources < 0) {
        c.error("minReachableSources", "must not be negative");
      }
      if (kerberosLimit.compareTo(offsetCritical) <= 0) {
        c.error("kerberosLimit", "must be larger than offsetCritical (" + offsetCritical + ")");
      }
      if (kerberosLimit.compareTo(java.time.Duration.ofMinutes(5)) >= 0) {
        c.error("kerberosLimit", "must warn before Kerberos' own 5m limit");
      }
      if (peerSkew.isNegative() || peerSkew.isZero()) {
        c.error("peerSkew", "must be positive");
      }
      if (logSkew.isNegative() || logSkew.isZero()) {
        c.error("logSkew", "must be positive");
      }
    }
  }

  @Doc("How often and how hard the agent measures time.")
  public record TimeProbeSpec(
      @Doc("Run the probe in `vigil agent`.") @Default("true") boolean enabled,
      @Doc("Time between two measurement rounds.") @Default("60s") java.time.Duration interval,
      @Doc("NTP requests per server and round; the minimum-delay reply is kept.") @Default("4")
          int samplesPerServer,
      @Doc("How long to wait for each NTP reply.") @Default("2s") java.time.Duration timeout,
      @Doc("Also measure the other nodes of the cluster (peer mesh).") @Default("true")
          boolean peers,
      @Doc("UDP port queried on peer nodes (their chrony, or their agent's responder).")
          @Default("123")
          int peerPort,
      @Doc("Answer NTP queries from peers in the agent itself (for nodes without a chrony server).")
          @Default("false")
          boolean responder,
      @Doc("UDP port of the agent's NTP responder.") @Default("11123") int responderPort,
      @Doc("Read the local chrony through `chronyc -c tracking` and `chronyc -c sources`.")
          @Default("true")
          boolean chrony)
      implements Validated {

    public static TimeProbeSpec defaults() {
      return new TimeProbeSpec(
          true,
          java.time.Duration.ofSeconds(60),
          4,
          java.time.Duration.ofSeconds(2),
          true,
          123,
          false,
          11123,
          true);
    }

    @Override
    public void validate(Checks c) {
      if (interval.compareTo(java.time.Duration.ofSeconds(16)) < 0) {
        c.error("interval", "must be at least 16s: public servers rate-limit faster clients");
      }
      if (samplesPerServer < 1 || samplesPerServer > 8) {
        c.error("samplesPerServer", "must be between 1 and 8");
      }
      if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(interval) >= 0) {
        c.error("timeout", "must be positive and shorter than interval");
      }
      if (peerPort < 1 || peerPort > 65535) {
        c.error("peerPort", "must be a UDP port (1-65535)");
      }
      if (responderPort < 1 || responderPort > 65535) {
        c.error("responderPort", "must be a UDP port (1-65535)");
      }
    }
  }
}
