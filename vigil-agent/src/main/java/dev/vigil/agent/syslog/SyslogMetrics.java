package dev.vigil.agent.syslog;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The gateway's Prometheus metrics. Per-source series are capped ({@link #MAX_SOURCES}); later
 * sources count as {@code source="other"} so a port scan cannot explode the series count.
 */
public final class SyslogMetrics implements LokiPusher.Listener {
  static final int MAX_SOURCES = 500;

  final Counter received;
  final Counter parsed;
  final Counter parseErrors;
  final Counter truncated;
  final Counter dropped;
  final Counter connectionsRejected;
  final Counter connectionsClosed;
  final Gauge connections;
  final Counter pushedEntries;
  final Counter pushedBytes;
  final Counter pushFailures;
  final Counter pushRetries;
  final Counter deadLettered;
  final Gauge lastPush;
  final Gauge skew;
  private final Set<String> sources = ConcurrentHashMap.newKeySet();

  /** Data points of the per-message counters, looked up once per label pair. */
  private final Map<String, CounterDataPoint> points = new ConcurrentHashMap<>();

  private final Map<String, GaugeDataPoint> skewPoints = new ConcurrentHashMap<>();

  /** The skew gauge of one source (already capped by {@link #source}), cached. */
  GaugeDataPoint skew(String source) {
    GaugeDataPoint p = skewPoints.get(source);
    if (p == null) {
      p = skew.labelValues(source);
      if (skewPoints.size() < 2 * MAX_SOURCES) {
        skewPoints.put(source, p);
      }
    }
    return p;
  }

  /** {@code counter{labels}}, cached: the label lookup is a cost on every message. */
  CounterDataPoint point(Counter counter, String name, String a, String b) {
    String key = name + '\0' + a + '\0' + b;
    CounterDataPoint p = points.get(key);
    if (p == null) {
      p = counter.labelValues(a, b);
      // Bounded like the series themselves: sources are capped, listeners and formats are few.
      if (points.size() < 4 * MAX_SOURCES) {
        points.put(key, p);
      }
    }
    return p;
  }

  public SyslogMetrics(PrometheusRegistry registry, Journal journal) {
    LongSupplier journalBytes = journal::pendingBytes;
    LongSupplier journalLag = journal::pendingBytes;
    LongSupplier journalBudget = journal::budgetBytes;
    received =
        Counter.builder()
            .name("vigil_syslog_received_total")
            .help("Syslog messages received, per listener and sender address.")
            .labelNames("listener", "source")
            .register(registry);
    parsed =
        Counter.builder()
            .name("vigil_syslog_parsed_total")
            .help("Messages parsed, per listener and recognised format.")
            .labelNames("listener", "format")
            .register(registry);
    parseErrors =
        Counter.builder()
            .name("vigil_syslog_parse_errors_total")
            .help("Messages kept whole with a parse-error marker, per listener and source.")
            .labelNames("listener", "source")
            .register(registry);
    truncated =
        Counter.builder()
            .name("vigil_syslog_truncated_total")
            .help("Messages cut at the maximum message size (kept, flagged).")
            .labelNames("listener")
            .register(registry);
    dropped =
        Counter.builder()
            .name("vigil_syslog_dropped_total")
            .help(
                "Messages not journaled, per reason (journal_full, queue_full for UDP, journal_io, encode_error; the last are still archived).")
            .labelNames("listener", "reason")
            .register(registry);
    connectionsRejected =
        Counter.builder()
            .name("vigil_syslog_connections_rejected_total")
            .help(
                "TCP/TLS connections refused at once, per reason (global_limit: every connection busy; per_source_limit).")
            .labelNames("listener", "reason")
            .register(registry);
    connectionsClosed =
        Counter.builder()
            .name("vigil_syslog_connections_closed_total")
            .help(
                "TCP/TLS connections the gateway closed, per reason (first_message_timeout, idle_timeout, evicted_idle: quietest one closed to admit a new one at the limit; on a read error: tls_error, peer_error, no_memory: no direct memory for a read buffer, the data in flight is lost; error).")
            .labelNames("listener", "reason")
            .register(registry);
    connections =
        Gauge.builder()
            .name("vigil_syslog_connections")
            .help("Open TCP/TLS connections.")
            .labelNames("listener")
            .register(registry);
    pushedEntries =
        Counter.builder()
            .name("vigil_syslog_loki_pushed_entries_total")
            .help("Entries Loki accepted.")
            .register(registry);
    pushedBytes =
        Counter.builder()
            .name("vigil_syslog_loki_pushed_bytes_total")
            .help("Compressed request bytes Loki accepted.")
            .register(registry);
    pushFailures =
        Counter.builder()
            .name("vigil_syslog_loki_push_failures_total")
            .help("Failed push attempts, per reason (http_429, http_500, connection, ...).")
            .labelNames("reason")
            .register(registry);
    pushRetries =
        Counter.builder()
            .name("vigil_syslog_loki_retries_total")
            .help("Push attempts retried after a retryable failure.")
            .register(registry);
    deadLettered =
        Counter.builder()
            .name("vigil_syslog_loki_dead_lettered_entries_total")
            .help("Entries Loki refused with a non-retryable 4xx, written to the dead-letter file.")
            .register(registry);
    lastPush =
        Gauge.builder()
            .name("vigil_syslog_loki_last_success_timestamp_seconds")
            .help("Unix time of the last push Loki accepted.")
            .register(registry);
    skew =
        Gauge.builder()
            .name("vigil_syslog_event_skew_seconds")
            .help("Receive time minus event time of the latest message, per source host.")
            .labelNames("source")
            .register(registry);
    GaugeWithCallback.builder()
        .name("vigil_syslog_journal_bytes")
        .help("Bytes in the journal not yet delivered to Loki.")
        .callback(cb -> cb.call(journalBytes.getAsLong()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("vigil_syslog_journal_lag_bytes")
        .help("Journal bytes written but not yet committed by the pusher.")
        .callback(cb -> cb.call(journalLag.getAsLong()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("vigil_syslog_journal_budget_bytes")
        .help("Disk budget of the journal.")
        .callback(cb -> cb.call(journalBudget.getAsLong()))
        .register(registry);
    CounterWithCallback.builder()
        .name("vigil_syslog_journal_dropped_oldest_entries_total")
        .help("Entries deleted unsent under the drop-oldest policy (never read by the pusher).")
        .callback(cb -> cb.call(journal.droppedRecords()))
        .register(registry);
    CounterWithCallback.builder()
        .name("vigil_syslog_journal_corrupt_records_total")
        .help(
            "Damaged journal regions (one or more adjacent records failing their checksum) skipped by the reader.")
        .callback(cb -> cb.call(journal.corruptRecords()))
        .register(registry);
    CounterWithCallback.builder()
        .name("vigil_syslog_journal_skipped_bytes_total")
        .help(
            "Journal bytes skipped: damaged records (corrupt) or an incomplete last write cut on open (incomplete_tail).")
        .labelNames("reason")
        .callback(
            cb -> {
              cb.call(journal.corruptSkippedBytes(), "corrupt");
              cb.call(journal.tailCutBytes(), "incomplete_tail");
            })
        .register(registry);
  }

  String source(String s) {
    if (sources.contains(s)) {
      return s;
    }
    if (sources.size() < MAX_SOURCES) {
      sources.add(s);
      return s;
    }
    return "other";
  }

  @Override
  public void pushed(int entries, long bytes) {
    pushedEntries.inc(entries);
    pushedBytes.inc(bytes);
    lastPush.set(System.currentTimeMillis() / 1000.0);
  }

  @Override
  public void failed(String reason) {
    pushFailures.labelValues(reason).inc();
  }

  @Override
  public void retried() {
    pushRetries.inc();
  }

  @Override
  public void deadLettered(int entries) {
    deadLettered.inc(entries);
  }
}
