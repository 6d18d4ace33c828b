package dev.vigil.power;

import dev.vigil.http.prometheus.PrometheusClient;
import dev.vigil.power.check.ActivityCheck;
import dev.vigil.power.check.ActivityVerdict;
import dev.vigil.power.check.BandwidthCheck;
import dev.vigil.power.check.CommandCheck;
import dev.vigil.power.check.InhibitorsCheck;
import dev.vigil.power.check.KubernetesPodsCheck;
import dev.vigil.power.check.LoadCheck;
import dev.vigil.power.check.PromQlCheck;
import dev.vigil.power.check.SmbCheck;
import dev.vigil.power.check.TcpConnectionsCheck;
import dev.vigil.power.check.UsersCheck;
import dev.vigil.spec.power.ActivityCheckSpec;
import dev.vigil.spec.power.IdlePolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Builds activity checks from the spec. */
public final class Checks {
  private Checks() {}

  public static List<ActivityCheck> fromSpec(
      String node,
      IdlePolicy policy,
      String prometheusUrl,
      KubernetesClient kubernetes,
      Path procNet,
      MonotonicClock clock) {
    List<ActivityCheck> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<ActivityCheckSpec> specs = policy.checks() == null ? List.of() : policy.checks();
    for (ActivityCheckSpec s : specs) {
      String name =
          s.name() != null ? s.name() : s.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
      String unique = name;
      for (int i = 2; !names.add(unique); i++) {
        unique = name + "-" + i;
      }
      out.add(build(unique, s, node, prometheusUrl, kubernetes, procNet, clock));
    }
    return out;
  }

  static ActivityCheck build(
      String name,
      ActivityCheckSpec s,
      String node,
      String prometheusUrl,
      KubernetesClient kubernetes,
      Path procNet,
      MonotonicClock clock) {
    Duration timeout = s.timeout() == null ? Duration.ofSeconds(10) : s.timeout();
    List<String> none = List.of();
    return switch (s.kind()) {
      case TCP_CONNECTIONS -> new TcpConnectionsCheck(name, s.ports(), procNet);
      case SMB -> new SmbCheck(name, List.of("smbstatus", "-b"), timeout);
      case USERS ->
          new UsersCheck(
              name,
              s.ignoreUsers() == null ? none : s.ignoreUsers(),
              timeout,
              List.of("who"),
              List.of("loginctl", "list-sessions", "--no-legend"));
      case LOAD -> new LoadCheck(name, s.threshold(), Path.of("/proc/loadavg"));
      case BANDWIDTH ->
          new BandwidthCheck(
              name,
              s.threshold(),
              s.interfaces() == null ? none : s.interfaces(),
              procNet.resolve("dev"),
              clock);
      case KUBERNETES_PODS ->
          kubernetes == null
              ? unavailable(
                  name, "no Kubernetes client (set power.kubeconfig or run in the cluster)")
              : new KubernetesPodsCheck(
                  name, kubernetes, node, s.allow() == null ? none : s.allow());
      case PROMQL -> promql(name, prometheusUrl, s.query(), timeout);
      case COMMAND -> new CommandCheck(name, s.command(), timeout);
      case INHIBITORS ->
          new InhibitorsCheck(
              name, List.of("systemd-inhibit", "--list", "--no-legend", "--no-pager"), timeout);
    };
  }

  private static ActivityCheck promql(String name, String url, String query, Duration timeout) {
    try {
      return new PromQlCheck(name, new PrometheusClient(url, timeout), query);
    } catch (IllegalArgumentException e) {
      return unavailable(name, "power.prometheusUrl: " + e.getMessage());
    }
  }

  /** A check that cannot run reports an error every time, which keeps the node awake by default. */
  static ActivityCheck unavailable(String name, String why) {
    return new ActivityCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public ActivityVerdict check() {
        return ActivityVerdict.error(why);
      }
    };
  }
}
