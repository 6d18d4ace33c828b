package dev.vigil.spec.power;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Validated;
import java.time.Duration;
import java.util.List;

@Doc("Events seen by the controller that wake a sleeping node.")
public record WakeTriggers(
    @Doc(
            "Ports of the node's services (e.g. 22, 445, a NodePort such as 30096): a connection"
                + " attempt wakes the node.")
        List<Integer> ports,
    @Doc(
            "While the node sleeps the controller listens on these ports itself, so a client's"
                + " attempt is seen even without a local listener.")
        @Default("false")
        boolean holdPorts,
    @Doc("IP address the held ports are bound to.") @Default("0.0.0.0") String holdAddress,
    @Doc("Regular expressions; a syslog message matching one wakes the node.")
        List<String> syslogPatterns,
    @Doc(
            "Paths whose access or change wakes the node (inotifywait when installed, otherwise"
                + " polling of modification times).")
        List<String> paths,
    @Doc("PromQL expression; a non-empty result wakes the node.") String promql,
    @Doc("How often ports, paths and PromQL are polled.") @Default("5s") Duration interval)
    implements Validated {

  @Override
  public void validate(Checks c) {
    IpLiteral.check(c, "holdAddress", holdAddress);
    if (ports != null) {
      for (int i = 0; i < ports.size(); i++) {
        Integer p = ports.get(i);
        if (p == null || p < 1 || p > 65535) {
          c.error("ports[" + i + "]", "expected a port 1-65535, got " + p);
        }
      }
    }
    if (syslogPatterns != null) {
      for (int i = 0; i < syslogPatterns.size(); i++) {
        try {
          java.util.regex.Pattern.compile(syslogPatterns.get(i));
        } catch (java.util.regex.PatternSyntaxException e) {
          c.error("syslogPatterns[" + i + "]", "invalid regular expression: " + e.getDescription());
        }
      }
    }
  }
}
