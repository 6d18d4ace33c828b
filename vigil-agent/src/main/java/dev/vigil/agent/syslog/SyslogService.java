package dev.vigil.agent.syslog;

import dev.vigil.agent.AgentContext;
import dev.vigil.agent.AgentService;
import dev.vigil.base.NamedThreads;
import dev.vigil.spec.syslog.SyslogSpec;
import dev.vigil.spec.syslog.SyslogSpec.WhenFull;
import dev.vigil.spec.types.Quantity;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The syslog gateway as an agent service: listeners → parser → journal (+ archive) → Loki pusher.
 * Closing stops the listeners first, then drains the journal to Loki for a few seconds; whatever is
 * left is replayed on the next start.
 */
public final class SyslogService implements AgentService {
  private static final Logger LOG = Logger.getLogger(SyslogService.class.getName());

  private final SyslogSpec spec;
  private final Overrides overrides;
  private final Clock clock;
  private SyslogParser parser;
  private EntryMapper mapper;
  private Journal journal;
  private SyslogArchive archive;
  private LokiPusher pusher;

  /** Messages of this severity number or a lower (more severe) one are pushed early; -1: none. */
  private int urgentSeverity = -1;

  private SyslogListeners listeners;
  private SyslogMetrics metrics;
  private ScheduledExecutorService scheduler;
  private ScheduledExecutorService compressor;
  private volatile boolean started;
  private Consumer<String> messageHook;
  private boolean closed;

  /** Run-time overrides of the spec (tests and the CLI): ports (-1 keeps the spec's), Loki URL. */
  public record Overrides(int udpPort, int tcpPort, int tlsPort, String lokiUrl, Duration drain) {
    public static Overrides none() {
      return new Overrides(-1, -1, -1, null, Duration.ofSeconds(5));
    }
  }

  public SyslogService(SyslogSpec spec) {
    this(spec, Overrides.none(), Clock.systemUTC());
  }

  public SyslogService(SyslogSpec spec, Overrides overrides, Clock clock) {
    this.spec = spec;
    this.overrides = overrides;
    this.clock = clock;
  }

  /**
   * Also hands every received message, decoded as UTF-8 exactly as framed (header included), to
   * {@code hook} — the power manager's wake triggers. The hook runs on the receiving thread after
   * the message is parsed; an exception in it is logged and never affects delivery.
   */
  public SyslogService onMessage(Consumer<String> hook) {
    this.messageHook = hook;
    return this;
  }

  @Override
  public String name() {
    return "syslog";
  }

  @Override
  public void start(AgentContext ctx) throws Exception {
    SyslogSpec.Parsing p = spec.parsing();
    Map<String, ZoneId> zones = new HashMap<>();
    p.sourceTimezones().forEach((k, v) -> zones.put(k, ZoneId.of(v)));
    ZoneId defaultZone = ZoneId.of(p.defaultTimezone());
    parser =
        new SyslogParser(
            (sender, host) -> {
              ZoneId z = zones.get(sender);
              if (z == null && host != null) {
                z = zones.get(host);
              }
              return z == null ? defaultZone : z;
            });
    mapper = new EntryMapper(spec.loki().labels(), p.maxPast(), p.maxFuture());
    SyslogSpec.Journal j = spec.journal();
    journal =
        Journal.open(
            ctx.dataDir().resolve(j.dir()),
            j.segmentBytes(),
            j.maxBytes(),
            j.fsync(),
            j.whenFull());
    if (spec.archive().enabled()) {
      archive =
          new SyslogArchive(
              ctx.dataDir().resolve(spec.archive().dir()),
              spec.archive().retention(),
              spec.archive().maxBytes());
    }
    metrics = new SyslogMetrics(ctx.registry(), journal);
    SyslogSpec.Loki l = spec.loki();
    String lokiUrl = overrides.lokiUrl() != null ? overrides.lokiUrl() : l.url();
    pusher =
        new LokiPusher(
                journal,
                lokiUrl,
                l.tenant(),
                l.batchBytes(),
                l.batchWait(),
                l.minBackoff(),
                l.maxBackoff(),
                l.timeout(),
                new DeadLetterFile(
                    ctx.dataDir().resolve("dead-letter").resolve("dead-letter.jsonl")),
                metrics)
            .urgentBatchWait(l.urgentSeverityLevel() < 0 ? null : l.urgentBatchWait())
            .start();
    urgentSeverity = l.urgentSeverityLevel();
    SyslogSpec.Listen listen = spec.listen();
    SyslogSpec.Tls tls = listen.tls();
    SyslogListeners.Settings settings =
        new SyslogListeners.Settings(
            listen.address(),
            listen.udp() ? pick(overrides.udpPort(), listen.udpPort()) : -1,
            listen.tcp() ? pick(overrides.tcpPort(), listen.tcpPort()) : -1,
            tls.enabled() ? pick(overrides.tlsPort(), tls.port()) : -1,
            tls.certFile() == null ? null : new File(tls.certFile()),
            tls.keyFile() == null ? null : new File(tls.keyFile()),
            tls.clientCaFile() == null ? null : new File(tls.clientCaFile()),
            io.netty.handler.ssl.ClientAuth.valueOf(tls.clientAuth().name()),
            spec.limits().maxMessageBytes(),
            spec.limits().maxConnections(),
            spec.limits().idleTimeout(),
            (int) Math.min(Integer.MAX_VALUE, Quantity.parse(listen.udpReceiveBuffer()).bytes()),
            spec.limits().maxConnectionsPerSource(),
            spec.limits().firstMessageTimeout());
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            NamedThreads.daemon("vigil-syslog-housekeeping"));
    // Bounds how long an appended record can sit in the journal's buffer when reads are sparse.
    scheduler.scheduleWithFixedDelay(
        () -> quietly("journal flush", journal::flush), 50, 50, TimeUnit.MILLISECONDS);
    if (j.fsync() == SyslogSpec.Fsync.INTERVAL) {
      long ms = j.fsyncInterval().toMillis();
      scheduler.scheduleWithFixedDelay(
          () -> quietly("journal fsync", journal::sync), ms, ms, TimeUnit.MILLISECONDS);
    }
    if (archive != null) {
      scheduler.scheduleWithFixedDelay(
          () -> quietly("archive flush", archive::flush), 1, 1, TimeUnit.SECONDS);
      // Compressing a finished day can take minutes: its own thread, so journal flushes never wait.
      compressor =
          Executors.newSingleThreadScheduledExecutor(
              NamedThreads.daemon("vigil-syslog-archive-gzip", Thread.MIN_PRIORITY));
      compressor.scheduleWithFixedDelay(
          () -> quietly("archive compression", () -> archive.compressClosedDays(clock.instant())),
          0,
          1,
          TimeUnit.MINUTES);
      scheduler.scheduleWithFixedDelay(
          () -> quietly("archive retention", () -> archive.enforceRetention(clock.instant())),
          0,
          1,
          TimeUnit.HOURS);
    }
    listeners = SyslogListeners.start(settings, new Sink(), metrics, clock);
    started = true;
    LOG.info(
        "syslog gateway: udp "
            + listeners.udpPort()
            + ", tcp "
            + listeners.tcpPort()
            + ", tls "
            + listeners.tlsPort()
            + " on "
            + listen.address()
            + "; journal "
            + ctx.dataDir().resolve(j.dir())
            + " ("
            + journal.pendingBytes()
            + " bytes to replay); Loki "
            + pusher.pushUri());
  }

  private static int pick(int override, int spec) {
    return override >= 0 ? override : spec;
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void quietly(String what, IoAction a) {
    try {
      a.run();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, what + ": " + e.getMessage());
    }
  }

  private static final String[] FORMATS =
      java.util.Arrays.stream(SyslogMessage.Format.values())
          .map(f -> f.name().toLowerCase(java.util.Locale.ROOT))
          .toArray(String[]::new);

  /** What one listener thread reuses from batch to batch. */
  private static final class Scratch {
    final RecordEncoder records = new RecordEncoder(64 * 1024);
    String[] hosts = new String[256];
  }

  private final class Sink implements SyslogListeners.Sink {
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    @Override
    public boolean accept(java.util.List<RawMessage> batch, boolean datagram) {
      Scratch sc = scratch.get();
      RecordEncoder records = sc.records;
      records.reset();
      int n = batch.size();
      if (n == 0) {
        return journal.hasRoom();
      }
      String listener = batch.get(0).listener();
      if (sc.hosts.length < n) {
        sc.hosts = new String[Math.max(n, 2 * sc.hosts.length)];
      }
      String[] hosts = sc.hosts;
      boolean checkRoom = datagram && spec.journal().whenFull() == WhenFull.BLOCK;
      // Counts are gathered per batch and added once: a read of one connection shares listener
      // and sender.
      String lastSender = null;
      String lastSource = null;
      int received = 0;
      int[] formats = new int[FORMATS.length];
      String lastHost = null;
      double lastSkew = 0;
      int kept = 0;
      boolean urgent = false;
      try {
        for (int i = 0; i < n; i++) {
          RawMessage raw = batch.get(i);
          if (!raw.senderAddress().equals(lastSender)) {
            flushReceived(listener, lastSource, received);
            received = 0;
            lastSender = raw.senderAddress();
            lastSource = metrics.source(lastSender);
          }
          received++;
          if (checkRoom && !journal.hasRoom()) {
            metrics.dropped.labelValues(raw.listener(), "journal_full").inc();
            continue;
          }
          SyslogMessage msg = parser.parse(raw);
          formats[msg.format().ordinal()]++;
          urgent |= msg.severity() >= 0 && msg.severity() <= urgentSeverity;
          if (msg.parseError() != null) {
            metrics.parseErrors.labelValues(raw.listener(), lastSource).inc();
          }
          if (raw.truncated()) {
            metrics.truncated.labelValues(raw.listener()).inc();
          }
          if (msg.eventTime() != null) {
            // The gauge holds the latest message's skew per host: set once per run of a host.
            if (lastHost != null && !lastHost.equals(msg.hostname())) {
              metrics.skew(metrics.source(lastHost)).set(lastSkew);
            }
            lastHost = msg.hostname();
            lastSkew = skewSeconds(msg.eventTime(), raw.receivedAt());
          }
          if (messageHook != null) {
            try {
              messageHook.accept(new String(raw.bytes(), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
              LOG.log(Level.WARNING, "message hook failed: " + e.getMessage());
            }
          }
          int at = records.beginRecord();
          try {
            mapper.encodeInto(raw, msg, records);
            records.endRecord(at);
          } catch (RuntimeException e) {
            // Never lose the message for a bug in the mapping: the archive still gets it.
            records.truncate(at);
            metrics.dropped.labelValues(raw.listener(), "encode_error").inc();
            LOG.log(Level.SEVERE, "journal record encoding failed: " + e);
          }
          if (kept != i) {
            // Datagrams dropped for a full journal leave holes: the archive gets the kept ones.
            batch.set(kept, raw);
          }
          hosts[kept++] = msg.hostname();
        }
      } finally {
        flushReceived(listener, lastSource, received);
        for (int f = 0; f < formats.length; f++) {
          if (formats[f] > 0) {
            metrics.point(metrics.parsed, "parsed", listener, FORMATS[f]).inc(formats[f]);
          }
        }
        if (lastHost != null) {
          metrics.skew(metrics.source(lastHost)).set(lastSkew);
        }
      }
      if (records.position() > 0) {
        try {
          journal.appendFramed(records.array(), 0, records.position());
          if (urgent && pusher != null) {
            pusher.urgent();
          }
        } catch (IOException e) {
          metrics.dropped.labelValues(listener, "journal_io").inc(kept);
          LOG.log(Level.SEVERE, "journal append failed: " + e.getMessage());
        }
      }
      if (archive != null && kept > 0) {
        try {
          archive.write(batch, hosts, kept);
        } catch (IOException e) {
          LOG.log(Level.WARNING, "archive write failed: " + e.getMessage());
        }
      }
      java.util.Arrays.fill(hosts, 0, kept, null);
      quietly("journal fsync", journal::syncIfAlways);
      return journal.hasRoom();
    }

    private void flushReceived(String listener, String source, int count) {
      if (count > 0) {
        metrics.point(metrics.received, "received", listener, source).inc(count);
      }
    }

    @Override
    public boolean hasRoom() {
      return journal.hasRoom();
    }

    @Override
    public void dropped(RawMessage raw, String reason) {
      metrics.received.labelValues(raw.listener(), metrics.source(raw.senderAddress())).inc();
      metrics.dropped.labelValues(raw.listener(), reason).inc();
    }
  }

  private static double skewSeconds(Instant event, Instant received) {
    return (received.getEpochSecond() - event.getEpochSecond())
        + (received.getNano() - event.getNano()) / 1e9;
  }

  public int udpPort() {
    return listeners.udpPort();
  }

  public int tcpPort() {
    return listeners.tcpPort();
  }

  public int tlsPort() {
    return listeners.tlsPort();
  }

  public Journal journal() {
    return journal;
  }

  @Override
  public Health health() {
    if (!started) {
      return new Health(false, false, "not started");
    }
    boolean room = journal.hasRoom();
    long lastPush = pusher.lastSuccessMillis();
    String detail =
        "journal "
            + journal.pendingBytes()
            + "/"
            + journal.budgetBytes()
            + " bytes pending, last push "
            + (lastPush == 0 ? "never" : Instant.ofEpochMilli(lastPush).toString());
    // Not ready when the journal is full: a load balancer should send elsewhere.
    return new Health(true, room, detail);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (listeners != null) {
      listeners.close();
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (compressor != null) {
      compressor.shutdownNow();
    }
    if (pusher != null) {
      pusher.close(overrides.drain());
    }
    if (journal != null) {
      quietly("journal close", journal::close);
    }
    if (archive != null) {
      quietly("archive close", archive::close);
    }
    started = false;
  }
}
