package dev.vigil.spec.power;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Validated;
import java.util.Map;

@Doc("Power management: autosleep of idle nodes and Wake-on-LAN.")
public record PowerSpec(
    @Doc("Run the power manager.") @Default("false") boolean enabled,
    @Doc("Log every decision (sleep, wake, drain) and do nothing.") @Default("false")
        boolean dryRun,
    @Doc("Name of the always-on node whose agent watches wake triggers and sends wake packets.")
        String controller,
    @Doc("Per-node power settings, keyed by node name (a node not listed is never put to sleep).")
        Map<String, PowerNodeSpec> nodes,
    @Doc("How wake packets are sent and how a wake is verified.") WakeSendSpec wake,
    @Doc("The power manager's HTTP API (status and wake requests).") PowerApiSpec api,
    @Doc("Prometheus HTTP API used by PromQL checks and triggers.")
        @Default("http://127.0.0.1:9090")
        String prometheusUrl,
    @Doc(
            "Kubeconfig for cordon/drain, pod checks and NodeReady verification; empty = in-cluster"
                + " or $KUBECONFIG.")
        String kubeconfig)
    implements Validated {

  @Override
  public void validate(Checks c) {
    if (!enabled) {
      return;
    }
    if (nodes != null && controller != null && nodes.containsKey(controller)) {
      PowerNodeSpec n = nodes.get(controller);
      if (n != null && n.sleepable()) {
        c.error("nodes." + controller + ".sleepable", "the controller node must stay awake");
      }
    }
    if (prometheusUrl != null
        && !prometheusUrl.startsWith("http://")
        && !prometheusUrl.startsWith("https://")) {
      c.error("prometheusUrl", "expected an http:// or https:// URL, got '" + prometheusUrl + "'");
    }
  }
}
