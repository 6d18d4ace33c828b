package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Excerpts;
import dev.vigil.spec.bind.Required;
import dev.vigil.spec.bind.Validated;
import dev.vigil.spec.types.SecretRef;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

@Doc(
    "SNMP exporter: interface and system metrics of network devices (switches, routers, firewalls,"
        + " UPSes) polled over SNMP from inside the cluster.")
public record SnmpExporterSpec(
    @Doc("Deploy it; by default, when there are devices to poll.") Boolean enabled,
    @Doc("Container resources.") Resources resources,
    @Doc("SNMP credentials, by name; each device uses one.") List<Auth> auths,
    @Doc("Devices to poll.") List<Device> devices)
    implements Validated {

  /**
   * The modules of the snmp.yml the pinned image ships (snmp_exporter v0.30.1): a device may only
   * ask for these. The image's contract records the same list, and a test holds the two equal.
   */
  public static final Set<String> MODULES =
      Set.of(
          "apcups",
          "arista_sw",
          "cisco_device",
          "cisco_fc_fe",
          "cisco_imc",
          "cisco_wlc",
          "cyberpower",
          "dell",
          "dell_network",
          "dlink",
          "eap",
          "eltex_mes",
          "fieldserver",
          "hpe",
          "hrDevice",
          "hrSWInstalled",
          "hrSWRun",
          "hrSWRunPerf",
          "hrStorage",
          "hrSystem",
          "if_mib",
          "infrapower_pdu",
          "ip_mib",
          "juniper",
          "juniper_optics",
          "keepalived",
          "kemp_loadmaster",
          "liebert_pdu",
          "mikrotik",
          "nec_ix",
          "paloalto_fw",
          "powercom",
          "printer_mib",
          "raritan",
          "raritan_assetmanagement",
          "raritan_pdu2",
          "readynas",
          "servertech_sentry3",
          "servertech_sentry4",
          "sophos_xg",
          "synology",
          "system",
          "tplink-ddm",
          "ubiquiti_airfiber",
          "ubiquiti_airmax",
          "ubiquiti_airos",
          "ubiquiti_unifi",
          "ucd_la_table",
          "ucd_memory",
          "ucd_system_stats",
          "ups_mib",
          "yamaha_rt");

  public static final List<String> SECURITY_LEVELS =
      List.of("noAuthNoPriv", "authNoPriv", "authPriv");
  public static final List<String> AUTH_PROTOCOLS =
      List.of("MD5", "SHA", "SHA224", "SHA256", "SHA384", "SHA512");
  public static final List<String> PRIV_PROTOCOLS =
      List.of("DES", "AES", "AES192", "AES192C", "AES256", "AES256C");

  private static final Pattern ADDRESS =
      Pattern.compile("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.\\-]+)(:(\\d{1,5}))?$");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /** Labels the device job sets itself, and Prometheus' own. */
  private static final Set<String> RESERVED_LABELS =
      Set.of("job", "instance", "device", "cluster", "namespace", "pod", "node");

  /** The SNMP version an auth speaks. */
  public enum Version {
    /** SNMPv1: a community string. */
    V1,
    /** SNMPv2c: a community string (the usual choice of switches and routers). */
    V2C,
    /** SNMPv3: a user, with authentication and privacy by the security level. */
    V3
  }

  @Doc("SNMP credentials a device is polled with.")
  public record Auth(
      @Doc(
              "Name (lower case, digits, '-'): what a device's auth refers to. The image's own"
                  + " public_v1 and public_v2 cannot be redefined (a second definition stops the"
                  + " exporter), and no name of this form collides with them.")
          @Required
          String name,
      @Doc("SNMP version: v1, v2c or v3.") @Default("v2c") Version version,
      @Doc("Community string (v1, v2c) in a Kubernetes Secret.") SecretRef community,
      @Doc("User name (v3).") String username,
      @Doc("Security level (v3): noAuthNoPriv, authNoPriv or authPriv.") @Default("authPriv")
          String securityLevel,
      @Doc("Authentication protocol (v3): MD5, SHA, SHA224, SHA256, SHA384 or SHA512.")
          @Default("SHA")
          String authProtocol,
      @Doc("Authentication password (v3 authNoPriv, authPriv) in a Kubernetes Secret.")
          SecretRef authPassword,
      @Doc("Privacy protocol (v3 authPriv): DES, AES, AES192, AES192C, AES256 or AES256C.")
          @Default("AES")
          String privProtocol,
      @Doc("Privacy password (v3 authPriv) in a Kubernetes Secret.") SecretRef privPassword,
      @Doc("SNMPv3 context name, where the device needs one.") String contextName) {

    /** Whether the auth sends a community string (v1, v2c). */
    public boolean usesCommunity() {
      return version != Version.V3;
    }

    /** Whether the v3 security level authenticates. */
    public boolean authenticates() {
      return version == Version.V3 && !"noAuthNoPriv".equals(securityLevel);
    }

    /** Whether the v3 security level encrypts. */
    public boolean encrypts() {
      return version == Version.V3 && "authPriv".equals(securityLevel);
    }
  }

  @Doc("A device polled over SNMP.")
  public record Device(
      @Doc("Name (lower case, digits, '-'): the `device` label of its series.") @Required
          String name,
      @Doc("host or host:port of its SNMP agent (UDP, port 161 when not given).") @Required
          String address,
      @Doc("Name of the auth to poll it with.") @Required String auth,
      @Doc(
              "Modules of the exporter's snmp.yml to walk: if_mib (interfaces) and system (uptime,"
                  + " name) by default; vendor modules such as cisco_device, mikrotik or ups_mib"
                  + " add to them.")
          @Default("[if_mib, system]")
          List<String> modules,
      @Doc("Extra labels on the device's series (for example site: rack1).")
          Map<String, String> labels) {

    /** The UDP port of its SNMP agent. */
    public int port() {
      var m = ADDRESS.matcher(address);
      return m.matches() && m.group(3) != null ? Integer.parseInt(m.group(3)) : 161;
    }
  }

  @Override
  public void validate(Checks c) {
    ResourceChecks.check(c, "resources", resources);
    UniqueNames authNames = new UniqueNames("auth", 40);
    for (int i = 0; i < auths.size(); i++) {
      Auth a = auths.get(i);
      String at = "auths[" + i + "]";
      authNames.check(c, at + ".name", a.name());
      checkAuth(c, at, a);
    }
    UniqueNames deviceNames = new UniqueNames("device", 40);
    for (int i = 0; i < devices.size(); i++) {
      Device d = devices.get(i);
      String at = "devices[" + i + "]";
      deviceNames.check(c, at + ".name", d.name());
      var m = ADDRESS.matcher(d.address());
      if (!m.matches()) {
        c.error(at + ".address", "expected host or host:port, got " + Excerpts.quoted(d.address()));
      } else if (m.group(3) != null
          && (Integer.parseInt(m.group(3)) < 1 || Integer.parseInt(m.group(3)) > 65535)) {
        c.error(at + ".address", "expected a port in 1-65535, got " + Excerpts.quoted(d.address()));
      }
      if (auths.stream().noneMatch(a -> a.name().equals(d.auth()))) {
        c.error(
            at + ".auth",
            "expected the name of an auth in snmpExporter.auths, got "
                + Excerpts.quoted(d.auth())
                + dev.vigil.spec.bind.Names.hint(
                    d.auth(), auths.stream().map(Auth::name).toList()));
      }
      if (d.modules().isEmpty()) {
        c.error(at + ".modules", "expected at least one module");
      }
      for (int j = 0; j < d.modules().size(); j++) {
        String module = d.modules().get(j);
        if (!MODULES.contains(module)) {
          c.error(
              at + ".modules[" + j + "]",
              "expected a module of the exporter's snmp.yml, got "
                  + Excerpts.quoted(module)
                  + dev.vigil.spec.bind.Names.hint(module, MODULES));
        }
      }
      for (String label : d.labels().keySet()) {
        if (!LABEL.matcher(label).matches() || label.startsWith("__")) {
          c.error(
              at + ".labels." + label,
              "expected a Prometheus label name, got " + Excerpts.quoted(label));
        } else if (RESERVED_LABELS.contains(label)) {
          c.error(at + ".labels." + label, "'" + label + "' is set by the device job itself");
        }
      }
    }
  }

  private static void checkAuth(Checks c, String at, Auth a) {
    if (a.usesCommunity()) {
      if (a.community() == null) {
        c.error(at + ".community", "expected a community string for " + version(a));
      } else {
        secret(c, at + ".community", a.community());
      }
      for (var unused :
          List.of(
              Map.entry("username", a.username() != null),
              Map.entry("authPassword", a.authPassword() != null),
              Map.entry("privPassword", a.privPassword() != null),
              Map.entry("contextName", a.contextName() != null))) {
        if (unused.getValue()) {
          c.error(at + "." + unused.getKey(), "applies to v3 only; this auth is " + version(a));
        }
      }
      return;
    }
    if (a.community() != null) {
      c.error(at + ".community", "applies to v1 and v2c only; this auth is v3");
    }
    if (a.username() == null || a.username().isBlank()) {
      c.error(at + ".username", "expected a user name for v3");
    }
    oneOf(c, at + ".securityLevel", a.securityLevel(), SECURITY_LEVELS);
    if (a.authenticates()) {
      oneOf(c, at + ".authProtocol", a.authProtocol(), AUTH_PROTOCOLS);
      if (a.authPassword() == null) {
        c.error(at + ".authPassword", "expected a password for " + a.securityLevel());
      }
    } else if (a.authPassword() != null) {
      c.error(at + ".authPassword", "not used at security level noAuthNoPriv");
    }
    secret(c, at + ".authPassword", a.authPassword());
    if (a.encrypts()) {
      oneOf(c, at + ".privProtocol", a.privProtocol(), PRIV_PROTOCOLS);
      if (a.privPassword() == null) {
        c.error(at + ".privPassword", "expected a privacy password for authPriv");
      }
    } else if (a.privPassword() != null) {
      c.error(at + ".privPassword", "used at security level authPriv only");
    }
    secret(c, at + ".privPassword", a.privPassword());
  }

  private static String version(Auth a) {
    return a.version().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static void oneOf(Checks c, String field, String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      c.error(
          field,
          "expected one of "
              + String.join(", ", allowed)
              + ", got "
              + Excerpts.quoted(value)
              + dev.vigil.spec.bind.Names.hint(value, allowed));
    }
  }

  private static void secret(Checks c, String field, SecretRef ref) {
    InClusterSecrets.check(c, field, ref, "The SNMP exporter");
  }
}
