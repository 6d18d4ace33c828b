package dev.vigil.spec.model;

import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Excerpts;
import dev.vigil.spec.bind.Required;
import dev.vigil.spec.bind.Validated;
import dev.vigil.spec.types.SecretRef;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

@Doc(
    "Blackbox exporter: probes endpoints from inside the cluster (TCP, TLS, HTTP(S), LDAP) and"
        + " reports whether they answer and when their certificates expire.")
public record BlackboxExporterSpec(
    @Doc("Deploy it; by default, when there is something to probe.") Boolean enabled,
    @Doc("Container resources.") Resources resources,
    @Doc("Endpoints to probe, by name.") List<Probe> probes)
    implements Validated {

  private static final Pattern HOST_PORT =
      Pattern.compile("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.\\-]+):(\\d{1,5})$");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** Labels the probe job sets itself, and Prometheus' own. */
  private static final Set<String> RESERVED_LABELS =
      Set.of("job", "instance", "probe", "module", "cluster", "namespace", "pod", "node");

  /** What a probe checks, and how the target is written. */
  public enum Module {
    /** A TCP connection is accepted (host:port). */
    TCP,
    /** A TLS handshake succeeds with a trusted certificate for the host (host:port). */
    TLS,
    /** An HTTP GET answers 2xx after redirects (http:// URL). */
    HTTP,
    /**
     * An HTTPS GET answers 2xx after redirects, over TLS with a trusted certificate (https:// URL).
     */
    HTTPS,
    /** An LDAP server answers an LDAP request (host:port, plain LDAP). */
    LDAP,
    /** An LDAP server answers an LDAP request over TLS with a trusted certificate (host:port). */
    LDAPS
  }

  @Doc("One group of probe targets, all checked the same way.")
  public record Probe(
      @Doc("Name (lower case, digits, '-'): the `probe` label of its series.") @Required
          String name,
      @Doc(
              "What is checked: tcp (connection accepted), tls (handshake and certificate), http,"
                  + " https (GET answers 2xx), ldap, ldaps (an LDAP server answers).")
          @Required
          Module module,
      @Doc("Targets: host:port for tcp, tls, ldap and ldaps; a URL for http and https.")
          List<String> targets,
      @Doc(
              "CA certificate (PEM) in a Kubernetes Secret that TLS certificates must chain to; the"
                  + " system's trusted roots when unset.")
          SecretRef ca,
      @Doc("Extra labels on the probe's series (for example service: freeipa).")
          Map<String, String> labels) {

    /** Whether the module talks TLS, so a CA and certificate expiry apply. */
    public boolean tls() {
      return module == Module.TLS || module == Module.HTTPS || module == Module.LDAPS;
    }
  }

  @Override
  public void validate(Checks c) {
    ResourceChecks.check(c, "resources", resources);
    UniqueNames names = new UniqueNames("probe", 40);
    for (int i = 0; i < probes.size(); i++) {
      Probe p = probes.get(i);
      String at = "probes[" + i + "]";
      names.check(c, at + ".name", p.name());
      if (p.targets().isEmpty()) {
        c.error(at + ".targets", "expected at least one target");
      }
      for (int j = 0; j < p.targets().size(); j++) {
        String problem = targetProblem(p.module(), p.targets().get(j));
        if (problem != null) {
          c.error(at + ".targets[" + j + "]", problem);
        }
      }
      if (p.ca() != null && !p.tls()) {
        c.error(
            at + ".ca",
            "a CA applies to tls, https and ldaps probes only; this one is "
                + p.module().name().toLowerCase());
      }
      InClusterSecrets.check(c, at + ".ca", p.ca(), "The blackbox exporter");
      for (String label : p.labels().keySet()) {
        if (!LABEL.matcher(label).matches() || label.startsWith("__")) {
          c.error(
              at + ".labels." + label,
              "expected a Prometheus label name, got " + Excerpts.quoted(label));
        } else if (RESERVED_LABELS.contains(label)) {
          c.error(at + ".labels." + label, "'" + label + "' is set by the probe job itself");
        }
      }
    }
  }

  /** What is wrong with a target for a module, or null. */
  static String targetProblem(Module module, String target) {
    if (module == Module.HTTP || module == Module.HTTPS) {
      String scheme = module == Module.HTTP ? "http" : "https";
      try {
        URI u = new URI(target);
        if (!scheme.equals(u.getScheme()) || u.getHost() == null) {
          return "expected a " + scheme + ":// URL, got " + Excerpts.quoted(target);
        }
      } catch (URISyntaxException e) {
        return "expected a " + scheme + ":// URL, got " + Excerpts.quoted(target);
      }
      return null;
    }
    var m = HOST_PORT.matcher(target);
    if (!m.matches()) {
      return "expected host:port, got " + Excerpts.quoted(target);
    }
    int port = Integer.parseInt(m.group(2));
    if (port < 1 || port > 65535) {
      return "expected a port in 1-65535, got " + Excerpts.quoted(target);
    }
    return null;
  }
}
