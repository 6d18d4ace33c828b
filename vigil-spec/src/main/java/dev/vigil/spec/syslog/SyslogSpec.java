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
    @Doc("Loki push output.") Loki loki)
    implements Validated {

  /** Defaults as the binder would produce them from an empty mapping. */
  public static SyslogSpec defaults() {
    return new SyslogSpec(
        true,
        Listen.defaults(),
        Limits.defaults(),
        Parsing.defaults(),
        Journal.defaults(),
        Archive.defaults(),
        Loki.defaults());
  }

  public SyslogSpec {
    listen = listen == null ? Listen.defaults() : listen;
    limits = limits == null ? Limits.defaults() : limits;
    parsing = parsing == null ? Parsing.defaults() : parsing;
    journal = journal == null ? Journal.defaults() : journal;
    archive = archive == null ? Archive.defaults() : archive;
    loki = loki == null ? Loki.defaults() : loki;
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
      @Doc("UDP receive buffer requested from the kernel.") @Default("4Mi")
          String udpReceiveBuffer)
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
      checkQuantity(c, "udpReceiveBuffer", udpReceiveBuffer);
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
        c.error("clientCaFile", "clientAuth " + clientAuth.name().toLowerCase() + " needs clientCaFile");
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
      @Doc("Most concurrent TCP/TLS connections; further ones are closed at once and counted.")
          @Default("1000")
          int maxConnections,
      @Doc("A TCP/TLS connection idle this long is closed.") @Default("10m") Duration idleTimeout)
      implements Validated {

    public static Limits defaults() {
      return new Limits("64Ki", 1000, Duration.ofMinutes(10));
    }

    public int maxMessageBytes() {
      return (int) Math.min(Integer.MAX_VALUE - 16, Quantity.parse(maxMessageSize).bytes());
    }

    @Override
    public void validate(Checks c) {
      checkQuantity(c, "maxMessageSize", maxMessageSize);
      if (maxConnections < 1) {
        c.error("maxConnections", "expected at least 1, got " + maxConnections);
      }
      checkPositive(c, "idleTimeout", idleTimeout);
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
      checkPositive(c, "maxPast", maxPast);
      checkPositive(c, "maxFuture", maxFuture);
    }

    private static void checkZone(Checks c, String field, String zone) {
      try {
        ZoneId.of(zone);
      } catch (DateTimeException | NullPointerException e) {
        c.error(field, "expected an IANA time zone such as Europe/Berlin or UTC, got '" + zone + "'");
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
      @Doc("What to do when the budget is full: block (stop reading TCP, UDP drops) or drop-oldest.")
          @Default("block")
          WhenFull whenFull)
      implements Validated {

    public static Journal defaults() {
      return new Journal("journal", "1Gi", "16Mi", Fsync.INTERVAL, Duration.ofSeconds(1), WhenFull.BLOCK);
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
      checkQuantity(c, "maxSize", maxSize);
      checkQuantity(c, "segmentSize", segmentSize);
      checkPositive(c, "fsyncInterval", fsyncInterval);
      try {
        if (Quantity.parse(segmentSize).bytes() * 2 > Quantity.parse(maxSize).bytes()) {
          c.error("segmentSize", "expected at most half of maxSize " + maxSize + ", got " + segmentSize);
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
      @Doc("Directory of the archive (relative to the agent's data directory).")
          @Default("archive")
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
      checkPositive(c, "retention", retention);
      checkQuantity(c, "maxSize", maxSize);
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
      @Doc("HTTP timeout of one push.") @Default("10s") Duration timeout)
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

    public Loki {
      labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public long batchBytes() {
      return Quantity.parse(batchSize).bytes();
    }

    @Override
    public void validate(Checks c) {
      if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
        c.error("url", "expected an http:// or https:// URL, got '" + url + "'");
      }
      checkQuantity(c, "batchSize", batchSize);
      checkPositive(c, "batchWait", batchWait);
      checkPositive(c, "minBackoff", minBackoff);
      checkPositive(c, "maxBackoff", maxBackoff);
      checkPositive(c, "timeout", timeout);
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
