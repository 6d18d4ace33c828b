package dev.vigil.spec.power;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Required;
import dev.vigil.spec.bind.Validated;
import java.time.Duration;
import java.util.List;

@Doc("One activity check; only the parameters of its kind are read.")
public record ActivityCheckSpec(
    @Doc("Check kind.") @Required CheckKind kind,
    @Doc("Name shown in status and metrics; defaults to the kind.") String name,
    @Doc("tcp-connections: local ports whose established connections count as activity.")
        List<Integer> ports,
    @Doc("load: load average above which the node is active; bandwidth: bytes per second.")
        @Default("0")
        double threshold,
    @Doc("bandwidth: interfaces to watch (empty = all but lo).") List<String> interfaces,
    @Doc(
            "kubernetes-pods: namespaces or namespace/pod-name-prefix entries that do not keep the"
                + " node awake (DaemonSet pods never do).")
        List<String> allow,
    @Doc("promql: expression; a non-empty result means active.") String query,
    @Doc("command: program and arguments; exit code 0 means active.") List<String> command,
    @Doc("users: user names that do not count (e.g. a kiosk account).") List<String> ignoreUsers,
    @Doc("Time limit for one run of the check.") @Default("10s") Duration timeout)
    implements Validated {

  @Override
  public void validate(Checks c) {
    if (kind == null) {
      return;
    }
    switch (kind) {
      case TCP_CONNECTIONS -> {
        if (ports == null || ports.isEmpty()) {
          c.error("ports", "tcp-connections needs at least one port");
        } else {
          for (int i = 0; i < ports.size(); i++) {
            Integer p = ports.get(i);
            if (p == null || p < 1 || p > 65535) {
              c.error("ports[" + i + "]", "expected a port 1-65535, got " + p);
            }
          }
        }
      }
      case PROMQL -> {
        if (query == null || query.isBlank()) {
          c.error("query", "promql needs a query");
        }
      }
      case COMMAND -> {
        if (command == null || command.isEmpty()) {
          c.error("command", "command needs a program");
        }
      }
      case LOAD, BANDWIDTH -> {
        if (threshold <= 0) {
          c.error("threshold", kind.name().toLowerCase() + " needs a threshold above 0");
        }
      }
      default -> {}
    }
  }
}
