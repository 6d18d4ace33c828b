package dev.vigil.verify;

import dev.vigil.base.NamedThreads;
import dev.vigil.spec.time.TimeSpec.TimeThresholds;
import dev.vigil.time.NtpMeasurement;
import dev.vigil.time.NtpServer;
import dev.vigil.time.SntpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures several NTP servers at once (the nodes of a station, or servers named on the command
 * line) and judges each against the thresholds, plus one check across them: enough reachable,
 * agreeing sources.
 */
public final class NtpSurvey {
  private NtpSurvey() {}

  /**
   * Checks of every target, by display name. When no server answers at all, nothing could be
   * checked: every verdict is {@link Verdict#UNKNOWN} rather than a failure of each.
   */
  public static List<Check> measure(
      Map<String, NtpServer> targets, TimeThresholds t, int samples, Duration timeout) {
    if (targets.isEmpty()) {
      return List.of();
    }
    SntpClient client =
        SntpClient.builder()
            .samples(samples)
            .timeout(timeout)
            .spacing(Duration.ofMillis(250))
            .build();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(8, targets.size()), NamedThreads.daemon("vigil-verify-time"));
    Map<String, Future<NtpMeasurement>> futures = new LinkedHashMap<>();
    targets.forEach((name, server) -> futures.put(name, pool.submit(() -> client.measure(server))));
    Map<String, NtpMeasurement> results = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Future<NtpMeasurement>> e : futures.entrySet()) {
        try {
          results.put(e.getKey(), e.getValue().get());
        } catch (ExecutionException ex) {
          throw new IllegalStateException("measuring " + e.getKey() + " failed", ex.getCause());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.shutdownNow();
    }
    boolean anyAnswered = results.values().stream().anyMatch(NtpMeasurement::reachable);
    List<Check> out = new ArrayList<>();
    results.forEach(
        (name, m) -> {
          String label = name.equals(m.server().toString()) ? name : name + " (" + m.server() + ")";
          for (Check c : NtpChecks.of(label, m, t)) {
            out.add(
                anyAnswered
                    ? c
                    : new Check(
                        c.target(),
                        c.check(),
                        Verdict.UNKNOWN,
                        c.measured(),
                        c.limit(),
                        c.detail()));
          }
        });
    if (anyAnswered) {
      out.add(NtpChecks.sources(new ArrayList<>(results.values()), t));
    }
    return out;
  }
}
