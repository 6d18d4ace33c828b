package dev.vigil.spec.syslog;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Validated;
import dev.vigil.spec.types.Quantity;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

@Doc("Syslog gateway run by `vigil agent`: listeners, parsing, journal, archive and Loki output.")
public record SyslogSpec(
    @Doc("Run the syslog gateway.") @Default("true") boolean enabled,
    @Doc("Network listeners (UDP, TCP, TLS).") Listen listen,
    @Doc("Per-connection and per-message limits.") Limits limits,
    @Doc("How messages are parsed and timestamped.") Parsing parsing,
    @Doc("Disk journal between receiving and pushing to Loki.") Journal journal,
    @Doc("Local compliance archive: one gzip file per day and host.") Archive archive,
    @Doc("Loki push output.") Loki loki,
    @Doc(
            "How devices outside the cluster reach the rendered gateway (ignored by `vigil agent` on a"
                + " host).")
        GatewayService service)
    implements Validated {

  /**
   * The severity names of RFC 5424 (section 6.2.1), most severe first: a message's severity number
   * is its index. The gateway names severities with them too.
   */
  public static final List<String> SEVERITIES =
      List.of("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug");

  /** Defaults as the binder would produce them from an empty mapping. */
  public static SyslogSpec defaults() {
    return new SyslogSpec(
        true,
        Listen.defaults(),
        Limits.defaults(),
        Parsing.defaults(),
        Journal.defaults(),
        Archive.defaults(),
        Loki.defaults(),
        null);
  }

  public SyslogSpec {
    listen = listen == null ? Listen.defaults() : listen;
    limits = limits == null ? Limits.defaults() : limits;
    parsing = parsing == null ? Parsing.defaults() : parsing;
    journal = journal == null ? Journal.defaults() : journal;
    archive = archive == null ? Archive.defaults() : archive;
    loki = loki == null ? Loki.defaults() : loki;
  }

  /** A gateway spec without rendering settings, as `vigil agent` on a host uses it. */
  public SyslogSpec(
      boolean enabled,
      Listen listen,
      Limits limits,
      Parsing parsing,
      Journal journal,
      Archive archive,
      Loki loki) {
    this(enabled, listen, limits, parsing, journal, archive, loki, null);
  }

  /** The Kubernetes Service in front of the rendered gateway. */
  @Doc("The Service devices send syslog to.")
  public record GatewayService(
      @Doc(
              "NodePort (homelab default: UDP/TCP 30514 on the nodes), LoadBalancer (production"
                  + " default: an address of the load balancer's pool) or ClusterIP (in-cluster senders only).")
          ServiceType type,
      @Doc(
              "Local keeps each sender's address (sourceTimezones, per-sender metrics and the archive's"
                  + " host directories rely on it) but accepts only on nodes running the gateway; Cluster"
                  + " accepts on every node and replaces the sender's address with a node's.")
          @Default("local")
          TrafficPolicy externalTrafficPolicy,
      @Doc(
              "Run the gateway on this node, so devices know which address to send to (with the Local"
                  + " policy, a NodePort answers only where the gateway runs).")
          String node,
      @Doc(
              "Fixed address for a LoadBalancer Service (when the load balancer supports asking for one).")
          String loadBalancerIP) {}

  public enum ServiceType {
    NODE_PORT,
    LOAD_BALANCER,
    CLUSTER_IP
  }

  public enum TrafficPolicy {
    LOCAL,
    CLUSTER
  }

  @Override
  public void validate(Checks c) {
    listen.validate(prefixed(c, "listen"));
    limits.validate(prefixed(c, "limits"));
    parsing.validate(prefixed(c, "parsing"));
    journal.validate(prefixed(c, "journal"));
    archive.validate(prefixed(c, "archive"));
    loki.validate(prefixed(c, "loki"));
  }

  private static Checks prefixed(Checks c, String prefix) {
    return (field, message) -> c.error(field.isEmpty() ? prefix : prefix + "." + field, message);
  }

  static void checkPort(Checks c, String field, int port) {
    if (port < 0 || port > 65535) {
      c.error(field, "expected a port between 0 and 65535, got " + port);
    }
  }

  static void checkQuantity(Checks c, String field, String value) {
    try {
      if (Quantity.parse(value).bytes() <= 0) {
        c.error(field, "expected a positive size, got '" + value + "'");
      }
    } catch (IllegalArgumentException e) {
      c.error(field, e.getMessage());
    }
  }

  static void checkPositive(Checks c, String field, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      c.error(field, "expected a positive duration, got " + d);
    }
  }

  /** A size between {@code min} and {@code max} bytes (compared exactly: no long overflow). */
  static void checkSize(Checks c, String field, String value, long min, long max) {
    Quantity q;
    try {
      q = Quantity.parse(value);
    } catch (IllegalArgumentException e) {
      c.error(field, e.getMessage());
      return;
    }
    if (q.value().compareTo(java.math.BigDecimal.valueOf(min)) < 0
        || q.value().compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
      c.error(
          field,
          "expected a size from " + size(min) + " to " + size(max) + ", got '" + value + "'");
    }
  }

  /** A duration between {@code min} and {@code max}. */
  static void checkDuration(Checks c, String field, Duration d, Duration min, Duration max) {
    if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      c.error(
          field,
          "expected a duration from "
              + text(min)
              + " to "
              + text(max)
              + ", got "
              + (d == null ? "nothing" : text(d)));
    }
  }

  private static String size(long bytes) {
    String[] units = {"Ti", "Gi", "Mi", "Ki"};
    long[] factors = {1L << 40, 1L << 30, 1L << 20, 1L << 10};
    for (int i = 0; i < units.length; i++) {
      if (bytes >= factors[i] && bytes % factors[i] == 0) {
        return (bytes / factors[i]) + units[i];
      }
    }
    return Long.toString(bytes);
  }

  /** A duration as the spec writes it (1h, 30s, 500ms, 7d). */
  public static String text(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000 == 0 && ms > 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  static final long KI = 1L << 10;
  static final long MI = 1L << 20;
  static final long GI = 1L << 30;
  static final long TI = 1L << 40;

  @Doc("Where the gateway listens. Port 0 picks a free port (tests).")
  public record Listen(
      @Doc("Address to bind (0.0.0.0 for all IPv4 interfaces, :: for all).") @Default("0.0.0.0")
          String address,
      @Doc("Accept syslog over UDP (RFC 5426).") @Default("true") boolean udp,
      @Doc("UDP port.") @Default("5514") int udpPort,
      @Doc("Accept syslog over plain TCP (RFC 6587 framing, detected per connection).")
          @Default("true")
          boolean tcp,
      @Doc("TCP port.") @Default("5514") int tcpPort,
      @Doc("Syslog over TLS (RFC 5425); enabled when certFile and keyFile are set.") Tls tls,
      @Doc("UDP receive buffer requested from the kernel.") @Default("4Mi") String udpReceiveBuffer)
      implements Validated {

    public static Listen defaults() {
      return new Listen("0.0.0.0", true, 5514, true, 5514, Tls.defaults(), "4Mi");
    }

    public Listen {
      tls = tls == null ? Tls.defaults() : tls;
    }

    @Override
    public void validate(Checks c) {
      if (address == null || address.isBlank()) {
        c.error("address", "expected an IP address to bind");
      }
      checkPort(c, "udpPort", udpPort);
      checkPort(c, "tcpPort", tcpPort);
      // The kernel takes an int; it caps the value at net.core.rmem_max anyway.
      checkSize(c, "udpReceiveBuffer", udpReceiveBuffer, 4 * KI, GI);
      tls.validate(prefixed(c, "tls"));
    }
  }

  @Doc("TLS listener settings (RFC 5425).")
  public record Tls(
      @Doc("TLS port.") @Default("6514") int port,
      @Doc("PEM certificate chain of the gateway.") String certFile,
      @Doc("PEM private key (PKCS#8) of the gateway.") String keyFile,
      @Doc("PEM CA bundle used to verify client certificates.") String clientCaFile,
      @Doc("Client certificate policy: none, optional or require.") @Default("none")
          ClientAuth clientAuth)
      implements Validated {

    public static Tls defaults() {
      return new Tls(6514, null, null, null, ClientAuth.NONE);
    }

    public Tls {
      clientAuth = clientAuth == null ? ClientAuth.NONE : clientAuth;
    }

    public boolean enabled() {
      return certFile != null && keyFile != null;
    }

    @Override
    public void validate(Checks c) {
      checkPort(c, "port", port);
      if ((certFile == null) != (keyFile == null)) {
        c.error(certFile == null ? "certFile" : "keyFile", "certFile and keyFile go together");
      }
      if (clientAuth != ClientAuth.NONE && clientCaFile == null) {
        c.error(
            "clientCaFile",
            "clientAuth " + clientAuth.name().toLowerCase() + " needs clientCaFile");
      }
    }
  }

  @Doc("Client certificate policy of the TLS listener.")
  public enum ClientAuth {
    NONE,
    OPTIONAL,
    REQUIRE
  }

  @Doc("Limits that keep one sender from exhausting the gateway.")
  public record Limits(
      @Doc("Longest message kept whole; longer ones are truncated and flagged, never dropped.")
          @Default("64Ki")
          String maxMessageSize,
      @Doc(
              "Most concurrent TCP/TLS connections. At the limit the connection idle longest is"
                  + " closed to admit a new one; a new one is refused (and counted) only when every"
                  + " connection is busy.")
          @Default("1000")
          int maxConnections,
      @Doc("A TCP/TLS connection idle this long is closed.") @Default("10m") Duration idleTimeout,
      @Doc(
              "Most concurrent TCP/TLS connections from one sender address; further ones are refused and counted.")
          @Default("64")
          int maxConnectionsPerSource,
      @Doc(
              "A TCP/TLS connection that has not completed its TLS handshake and first message"
                  + " within this time is closed (slow or idle clients holding a place).")
          @Default("30s")
          Duration firstMessageTimeout)
      implements Validated {

    /** The longest message the gateway accepts: one message may be buffered per connection. */
    public static final long MAX_MESSAGE_SIZE = MI;

    /** RFC 5424 section 6.1: a receiver must accept messages of 480 octets. */
    public static final long MIN_MESSAGE_SIZE = 480;

    public static Limits defaults() {
      return new Limits("64Ki", 1000, Duration.ofMinutes(10), 64, Duration.ofSeconds(30));
    }

    public Limits(String maxMessageSize, int maxConnections, Duration idleTimeout) {
      this(
          maxMessageSize,
          maxConnections,
          idleTimeout,
          Math.min(64, maxConnections),
          Duration.ofSeconds(30));
    }

    public Limits {
      firstMessageTimeout =
          firstMessageTimeout == null ? Duration.ofSeconds(30) : firstMessageTimeout;
    }

    public int maxMessageBytes() {
      return (int) Math.min(MAX_MESSAGE_SIZE, Quantity.parse(maxMessageSize).bytes());
    }

    @Override
    public void validate(Checks c) {
      checkSize(c, "maxMessageSize", maxMessageSize, MIN_MESSAGE_SIZE, MAX_MESSAGE_SIZE);
      if (maxConnections < 1 || maxConnections > 100_000) {
        c.error("maxConnections", "expected 1 to 100000, got " + maxConnections);
      }
      if (maxConnectionsPerSource < 1 || maxConnectionsPerSource > Math.max(1, maxConnections)) {
        c.error(
            "maxConnectionsPerSource",
            "expected 1 to maxConnections ("
                + maxConnections
                + "), got "
                + maxConnectionsPerSource);
      }
      checkDuration(c, "idleTimeout", idleTimeout, Duration.ofSeconds(1), Duration.ofDays(1));
      checkDuration(
          c,
          "firstMessageTimeout",
          firstMessageTimeout,
          Duration.ofSeconds(1),
          idleTimeout != null && idleTimeout.compareTo(Duration.ofSeconds(1)) >= 0
              ? idleTimeout
              : Duration.ofDays(1));
    }
  }

  @Doc("Parsing and timestamp rules.")
  public record Parsing(
      @Doc("Zone for timestamps without one (RFC 3164) when no source rule matches.")
          @Default("UTC")
          String defaultTimezone,
      @Doc("Zone per source: key is a sender IP or a hostname as sent, value an IANA zone.")
          Map<String, String> sourceTimezones,
      @Doc("Event times older than this fall back to receive time (Loki would reject them).")
          @Default("7d")
          Duration maxPast,
      @Doc("Event times further ahead than this fall back to receive time.") @Default("10m")
          Duration maxFuture)
      implements Validated {

    public static Parsing defaults() {
      return new Parsing("UTC", Map.of(), Duration.ofDays(7), Duration.ofMinutes(10));
    }

    public Parsing {
      sourceTimezones = sourceTimezones == null ? Map.of() : Map.copyOf(sourceTimezones);
    }

    @Override
    public void validate(Checks c) {
      checkZone(c, "defaultTimezone", defaultTimezone);
      sourceTimezones.forEach((k, v) -> checkZone(c, "sourceTimezones." + k, v));
      checkDuration(c, "maxPast", maxPast, Duration.ofMinutes(1), Duration.ofDays(3650));
      checkDuration(c, "maxFuture", maxFuture, Duration.ofSeconds(1), Duration.ofDays(7));
    }

    private static void checkZone(Checks c, String field, String zone) {
      try {
        ZoneId.of(zone);
      } catch (DateTimeException | NullPointerException e) {
        c.error(
            field, "expected an IANA time zone such as Europe/Berlin or UTC, got '" + zone + "'");
      }
    }
  }

  @Doc("Disk journal: every accepted message is written here before it is pushed.")
  public record Journal(
      @Doc("Directory of the journal segments (relative to the agent's data directory).")
          @Default("journal")
          String dir,
      @Doc("Disk budget of the journal.") @Default("1Gi") String maxSize,
      @Doc("Size of one segment file.") @Default("16Mi") String segmentSize,
      @Doc(
              "When to fsync: always (each batch before acknowledging it), interval (every"
                  + " fsyncInterval), never (leave it to the OS).")
          @Default("interval")
          Fsync fsync,
      @Doc("Period of fsync under the interval policy.") @Default("1s") Duration fsyncInterval,
      @Doc(
              "What to do when the budget is full: block (stop reading TCP, UDP drops) or drop-oldest.")
          @Default("block")
          WhenFull whenFull)
      implements Validated {

    public static Journal defaults() {
      return new Journal(
          "journal", "1Gi", "16Mi", Fsync.INTERVAL, Duration.ofSeconds(1), WhenFull.BLOCK);
    }

    public Journal {
      fsync = fsync == null ? Fsync.INTERVAL : fsync;
      whenFull = whenFull == null ? WhenFull.BLOCK : whenFull;
    }

    public long maxBytes() {
      return Quantity.parse(maxSize).bytes();
    }

    public long segmentBytes() {
      return Quantity.parse(segmentSize).bytes();
    }

    @Override
    public void validate(Checks c) {
      checkSize(c, "maxSize", maxSize, 128 * KI, 1024 * TI);
      checkSize(c, "segmentSize", segmentSize, 64 * KI, GI);
      checkDuration(c, "fsyncInterval", fsyncInterval, Duration.ofMillis(10), Duration.ofHours(1));
      try {
        if (Quantity.parse(segmentSize).bytes() * 2 > Quantity.parse(maxSize).bytes()) {
          c.error(
              "segmentSize",
              "expected at most half of maxSize " + maxSize + ", got " + segmentSize);
        }
      } catch (IllegalArgumentException e) {
        // reported above
      }
    }
  }

  @Doc("Journal fsync policy.")
  public enum Fsync {
    ALWAYS,
    INTERVAL,
    NEVER
  }

  @Doc("Behaviour when the journal budget is full.")
  public enum WhenFull {
    BLOCK,
    DROP_OLDEST
  }

  @Doc("Local archive of raw messages for compliance.")
  public record Archive(
      @Doc("Write the archive.") @Default("true") boolean enabled,
      @Doc("Directory of the archive (relative to the agent's data directory).") @Default("archive")
          String dir,
      @Doc("Delete archive files older than this.") @Default("90d") Duration retention,
      @Doc("Delete the oldest archive files beyond this total size.") @Default("10Gi")
          String maxSize)
      implements Validated {

    public static Archive defaults() {
      return new Archive(true, "archive", Duration.ofDays(90), "10Gi");
    }

    public long maxBytes() {
      return Quantity.parse(maxSize).bytes();
    }

    @Override
    public void validate(Checks c) {
      checkDuration(c, "retention", retention, Duration.ofDays(1), Duration.ofDays(36_500));
      checkSize(c, "maxSize", maxSize, MI, 1024 * TI);
    }
  }

  @Doc("Loki push output (protobuf + snappy).")
  public record Loki(
      @Doc("Base URL of Loki; the push path is appended.")
          @Default("http://loki.monitoring.svc:3100")
          String url,
      @Doc("X-Scope-OrgID tenant header; empty for none.") String tenant,
      @Doc("Labels added to every stream (keep them few and low-cardinality).")
          Map<String, String> labels,
      @Doc("Push a batch when it reaches this many bytes of log lines.") @Default("1Mi")
          String batchSize,
      @Doc("Push a batch when its oldest entry is this old.") @Default("1s") Duration batchWait,
      @Doc("First retry delay; doubled on each attempt, with jitter.") @Default("500ms")
          Duration minBackoff,
      @Doc("Longest retry delay.") @Default("30s") Duration maxBackoff,
      @Doc("HTTP timeout of one push.") @Default("10s") Duration timeout,
      @Doc(
              "Messages of this severity or a more severe one (emerg, alert, crit, err, warning,"
                  + " notice, info, debug) are pushed within urgentBatchWait instead of batchWait:"
                  + " what an operator is paged for reaches Loki at once, chatter still travels in"
                  + " large batches. `none` for no exception.")
          @Default("err")
          String urgentSeverity,
      @Doc("Push the waiting batch when it holds an urgent message this old.") @Default("100ms")
          Duration urgentBatchWait)
      implements Validated {

    public static Loki defaults() {
      return new Loki(
          "http://loki.monitoring.svc:3100",
          null,
          Map.of(),
          "1Mi",
          Duration.ofSeconds(1),
          Duration.ofMillis(500),
          Duration.ofSeconds(30),
          Duration.ofSeconds(10));
    }

    /** The push settings with the default urgent exception (err and worse within 100 ms). */
    public Loki(
        String url,
        String tenant,
        Map<String, String> labels,
        String batchSize,
        Duration batchWait,
        Duration minBackoff,
        Duration maxBackoff,
        Duration timeout) {
      this(
          url,
          tenant,
          labels,
          batchSize,
          batchWait,
          minBackoff,
          maxBackoff,
          timeout,
          "err",
          Duration.ofMillis(100));
    }

    public Loki {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The least severe severity number pushed early (0 = emerg … 7 = debug), or -1 for none. */
    public int urgentSeverityLevel() {
      return "none".equals(urgentSeverity) ? -1 : SEVERITIES.indexOf(urgentSeverity);
    }

    public long batchBytes() {
      return Quantity.parse(batchSize).bytes();
    }

    @Override
    public void validate(Checks c) {
      if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
        c.error("url", "expected an http:// or https:// URL, got '" + url + "'");
      }
      checkSize(c, "batchSize", batchSize, KI, 64 * MI);
      checkDuration(c, "batchWait", batchWait, Duration.ofMillis(1), Duration.ofMinutes(10));
      checkDuration(c, "minBackoff", minBackoff, Duration.ofMillis(10), Duration.ofHours(1));
      checkDuration(c, "maxBackoff", maxBackoff, Duration.ofMillis(10), Duration.ofHours(1));
      if (minBackoff != null && maxBackoff != null && minBackoff.compareTo(maxBackoff) > 0) {
        c.error(
            "minBackoff",
            "expected at most maxBackoff " + text(maxBackoff) + ", got " + text(minBackoff));
      }
      checkDuration(c, "timeout", timeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
      if (urgentSeverity != null
          && !"none".equals(urgentSeverity)
          && !SEVERITIES.contains(urgentSeverity)) {
        c.error(
            "urgentSeverity",
            "expected none or one of "
                + String.join(", ", SEVERITIES)
                + ", got '"
                + urgentSeverity
                + "'");
      }
      checkDuration(
          c, "urgentBatchWait", urgentBatchWait, Duration.ofMillis(1), Duration.ofMinutes(10));
      if (urgentBatchWait != null
          && batchWait != null
          && urgentBatchWait.compareTo(batchWait) > 0) {
        c.error(
            "urgentBatchWait",
            "expected at most batchWait " + text(batchWait) + ", got " + text(urgentBatchWait));
      }
      for (String k : labels.keySet()) {
        if (!k.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
          c.error("labels." + k, "expected a Loki label name ([a-zA-Z_][a-zA-Z0-9_]*)");
        }
        if (List.of("host", "app", "severity", "facility", "listener").contains(k)) {
          c.error("labels." + k, "label '" + k + "' is set by the gateway per message");
        }
      }
    }
  }
}
