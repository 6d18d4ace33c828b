package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Excerpts;
import dev.vigil.spec.bind.Required;
import dev.vigil.spec.bind.Validated;
import dev.vigil.spec.types.IpAddress;
import dev.vigil.spec.types.SecretRef;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

@Doc(
    "Identity: FreeIPA (Kerberos KDC, LDAP directory, DNS, web UI), deployed in the cluster or an"
        + " existing server that the stack connects to and watches.")
public record IdentitySpec(@Doc("FreeIPA.") FreeIpa freeipa) {

  private static final Pattern DOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+");
  private static final Pattern HOST =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern CIDR = Pattern.compile("^([0-9a-fA-F:.]+)/(\\d{1,3})$");

  @Doc(
      "FreeIPA: one server in the infrastructure namespace (a StatefulSet with its volume), or"
          + " an existing one (deploy: false) that Grafana logs in against and the blackbox exporter probes.")
  public record FreeIpa(
      @Doc(
              "Deploy FreeIPA in the cluster; false for an existing server, of which only the"
                  + " connection is rendered (probes, alerts, Grafana's LDAP login).")
          @Default("true")
          boolean deploy,
      @Doc("Kerberos realm, e.g. VMSTATION.LOCAL (upper case).") @Required String realm,
      @Doc("Primary DNS domain of the FreeIPA deployment; the realm in lower case when unset.")
          String domain,
      @Doc(
              "Host name of an existing server (deploy: false), as its certificates name it. A deployed"
                  + " server is freeipa-0.freeipa.<infraNamespace>.svc.<cluster domain>.")
          String host,
      @Doc(
              "FreeIPA's CA certificate (PEM, the server's /etc/ipa/ca.crt) in a Kubernetes Secret: the"
                  + " probes and Grafana's LDAP login verify the server with it.")
          SecretRef ca,
      @Doc(
              "Password of FreeIPA's admin and Directory Manager for the first installation (deploy"
                  + " only; a Kubernetes Secret). Change them in FreeIPA afterwards; the Secret is only"
                  + " read while /data is empty.")
          SecretRef adminPassword,
      @Doc("Run FreeIPA's DNS server (BIND) for its domain.") @Default("true") boolean dns,
      @Doc(
              "Where FreeIPA's DNS server forwards names outside its zones; none: it forwards nothing.")
          List<IpAddress> dnsForwarders,
      @Doc(
              "Networks (CIDR) whose hosts may reach FreeIPA from outside the cluster: Kerberos, LDAP(S),"
                  + " the web UI and DNS. Nothing outside the cluster reaches it when empty.")
          List<String> trustedNetworks,
      @Doc("How hosts outside the cluster reach it.") Service service,
      @Doc("Volume for /data: configuration, directory, CA, logs (default 10Gi).") Storage storage,
      @Doc("Container resources.") Resources resources,
      @Doc("Run on this node (its address is then the one clients use with a NodePort Service).")
          String node)
      implements Validated {

    /** The DNS domain in effect. */
    public String effectiveDomain() {
      return domain != null ? domain : realm.toLowerCase(Locale.ROOT);
    }

    /** The name clients use for the server: the pod's for a deployed one, else the spec's host. */
    public String serverHost(Cluster cluster) {
      return deploy
          ? "freeipa-0.freeipa." + cluster.infraNamespace() + ".svc." + cluster.domain()
          : host;
    }

    /** The directory's base DN: dc=vmstation,dc=local for vmstation.local. */
    public String baseDn() {
      return "dc=" + String.join(",dc=", effectiveDomain().split("\\."));
    }

    @Override
    public void validate(Checks c) {
      if (!DOMAIN.matcher(realm.toLowerCase(Locale.ROOT)).matches()) {
        c.error("realm", "expected a realm such as VMSTATION.LOCAL, got " + Excerpts.quoted(realm));
      } else if (!realm.equals(realm.toUpperCase(Locale.ROOT))) {
        c.error(
            "realm",
            "Kerberos realms are written in upper case: " + realm.toUpperCase(Locale.ROOT));
      }
      if (domain != null && !DOMAIN.matcher(domain).matches()) {
        c.error(
            "domain",
            "expected a DNS domain in lower case such as vmstation.local, got "
                + Excerpts.quoted(domain));
      }
      if (deploy) {
        if (adminPassword == null) {
          c.error(
              "adminPassword",
              "a deployed FreeIPA needs the password its installation sets for admin and"
                  + " the Directory Manager: secret: {name, key}");
        } else if (adminPassword.secret() == null) {
          c.error(
              "adminPassword",
              "FreeIPA runs in the cluster and reads it from a Kubernetes Secret: expected"
                  + " secret: {name, key}, got "
                  + adminPassword.describe());
        }
        if (host != null) {
          c.error(
              "host",
              "a deployed server's host name is its pod's (freeipa-0.freeipa.<namespace>.svc...);"
                  + " host is for an existing server (deploy: false)");
        }
      } else {
        if (host == null) {
          c.error("host", "an existing FreeIPA (deploy: false) needs its host name");
        } else if (!HOST.matcher(host).matches()) {
          c.error("host", "expected a host name, got " + Excerpts.quoted(host));
        }
        for (String f :
            List.of(
                "adminPassword",
                "dnsForwarders",
                "trustedNetworks",
                "service",
                "storage",
                "node")) {
          boolean set =
              switch (f) {
                case "adminPassword" -> adminPassword != null;
                case "dnsForwarders" -> !dnsForwarders.isEmpty();
                case "trustedNetworks" -> !trustedNetworks.isEmpty();
                case "service" -> service.type() != null || service.loadBalancerIP() != null;
                case "storage" -> storage.size() != null || storage.className() != null;
                default -> node != null;
              };
          if (set) {
            c.error(f, "applies to a deployed FreeIPA only (deploy: true)");
          }
        }
      }
      InClusterSecrets.check(c, "ca", ca, "Grafana (with the blackbox exporter's probes)");
      for (int i = 0; i < trustedNetworks.size(); i++) {
        String problem = cidrProblem(trustedNetworks.get(i));
        if (problem != null) {
          c.error("trustedNetworks[" + i + "]", problem);
        }
      }
      if (!dns && !dnsForwarders.isEmpty()) {
        c.error(
            "dnsForwarders",
            "forwarders apply to FreeIPA's DNS server, which dns: false turns off");
      }
      int web = service.webNodePort();
      if (web < 30000 || web > 32767) {
        c.error("service.webNodePort", "expected a NodePort in 30000-32767, got " + web);
      }
      ResourceChecks.check(c, "resources", resources);
    }

    static String cidrProblem(String text) {
      var m = CIDR.matcher(text);
      if (!m.matches()) {
        return "expected a network in CIDR notation such as 192.168.4.0/24, got "
            + Excerpts.quoted(text);
      }
      IpAddress address;
      try {
        address = IpAddress.parse(m.group(1));
      } catch (IllegalArgumentException e) {
        return "expected a network in CIDR notation such as 192.168.4.0/24, got "
            + Excerpts.quoted(text);
      }
      int bits = Integer.parseInt(m.group(2));
      int max = address.isV4() ? 32 : 128;
      if (bits > max) {
        return "expected a prefix length of at most " + max + ", got " + Excerpts.quoted(text);
      }
      return null;
    }
  }

  @Doc("The Service in front of FreeIPA for hosts outside the cluster.")
  public record Service(
      @Doc(
              "node-port (homelab default: the web UI on webNodePort, LDAPS on 30636, Kerberos on 30088"
                  + " and kpasswd on 30464, TCP and UDP) or load-balancer (production default: every"
                  + " service on its own port, DNS included).")
          ServiceType type,
      @Doc("NodePort of the web UI (HTTPS).") @Default("30443") int webNodePort,
      @Doc(
              "Fixed address for a LoadBalancer Service; FreeIPA's own DNS record for the server then"
                  + " points there instead of at the pod.")
          IpAddress loadBalancerIP) {}

  public enum ServiceType {
    NODE_PORT,
    LOAD_BALANCER
  }
}
