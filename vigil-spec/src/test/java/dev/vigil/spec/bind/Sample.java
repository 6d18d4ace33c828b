package dev.vigil.spec.bind;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small spec model exercising every kind of field the binder supports. */
final class Sample {
  private Sample() {}

  @Doc("A test station.")
  public record Station(
      @Doc("Schema version.") @Required String apiVersion,
      @Doc("Deployment profile.") @Default("homelab") Profile profile,
      @Doc("Cluster nodes.") List<Machine> nodes,
      @Doc("Stack components.") Components components,
      @Doc("Extra labels.") Map<String, String> labels,
      @Doc("Alert receivers by name.") Map<String, Receiver> receivers)
      implements Validated {
    @Override
    public void validate(Checks checks) {
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < nodes.size(); i++) {
        if (!seen.add(nodes.get(i).name())) {
          checks.error(
              "nodes[" + i + "].name", "duplicate node name '" + nodes.get(i).name() + "'");
        }
      }
    }
  }

  public enum Profile {
    HOMELAB,
    PRODUCTION
  }

  public enum Role {
    CONTROL_PLANE,
    WORKER
  }

  @Doc("A machine of the cluster.")
  public record Machine(
      @Doc("Host name.") @Required String name,
      @Doc("Address.") @Required Ip address,
      @Doc("Role in the cluster.") @Default("worker") Role role,
      @Doc("MAC address for wake-on-LAN.") Mac mac,
      @Doc("Has a BMC.") @Default("false") boolean ipmi,
      @Doc("Node labels.") Map<String, String> labels) {}

  @Doc("Components.")
  public record Components(
      @Doc("Prometheus.") Prometheus prometheus, @Doc("Grafana.") Grafana grafana) {}

  @Doc("Prometheus settings.")
  public record Prometheus(
      @Doc("Deploy it.") @Default("true") boolean enabled,
      @Doc("Replica count.") @Default("1") int replicas,
      @Doc("Scrape interval.") @Default("30s") Duration scrapeInterval,
      @Doc("Retention limits.") Retention retention,
      @Doc("Extra scrape targets.") List<Target> extraTargets,
      @Doc("Image override.") String image) {
    public Prometheus {
      if (replicas < 0) {
        throw new IllegalArgumentException("replicas must not be negative, got " + replicas);
      }
    }
  }

  @Doc("How long and how much to keep.")
  public record Retention(
      @Doc("Retention time.") @Default("15d") Duration time,
      @Doc("Retention size.") @Default("10Gi") Size size,
      @Doc("Volume size.") @Default("20Gi") Size volume)
      implements Validated {
    @Override
    public void validate(Checks checks) {
      if (size.bytes() > volume.bytes()) {
        checks.error("size", "retention size " + size + " exceeds the volume size " + volume);
      }
    }
  }

  @Doc("A scrape target.")
  public record Target(
      @Doc("Job name.") @Required String name,
      @Doc("host:port list.") List<String> targets,
      @Doc("Labels.") Map<String, String> labels) {}

  @Doc("Grafana settings.")
  public record Grafana(
      @Doc("Replica count.") @Default("1") int replicas,
      @Doc("CPU cores.") @Default("0.5") double cpu,
      @Doc("Byte budget.") @Default("1000000000000") long maxBytes,
      @Doc("Admin password.") Secret adminPassword,
      @Doc("API token, checked as a MAC for the test.") @Sensitive Mac token) {}

  @Doc("Secret reference.")
  @Sensitive
  public record Secret(@Doc("Env var.") String env, @Doc("File.") String file)
      implements Validated {
    @Override
    public void validate(Checks checks) {
      if ((env == null) == (file == null)) {
        checks.error("", "expected exactly one of env or file");
      }
      if (env != null && !env.matches("[A-Z_][A-Z0-9_]*")) {
        checks.error("env", "expected an environment variable name, got '" + env + "'");
      }
    }
  }

  @Doc("A receiver.")
  public record Receiver(
      @Doc("Webhook URL secret.") @Required Secret url,
      @Doc("Send resolved.") @Default("true") boolean sendResolved) {}

  @Doc("Byte size such as 10Gi.")
  public record Size(String text, long bytes) {
    public static final String SCHEMA_PATTERN = "^[0-9]+(Ki|Mi|Gi|Ti)?$";

    public static Size parse(String text) {
      if (!text.matches(SCHEMA_PATTERN)) {
        throw new IllegalArgumentException("expected a size such as 10Gi, got '" + text + "'");
      }
      int unit = text.endsWith("i") ? 2 : 0;
      long n = Long.parseLong(text.substring(0, text.length() - unit));
      String suffix = text.substring(text.length() - unit);
      int shift =
          switch (suffix) {
            case "Ki" -> 10;
            case "Mi" -> 20;
            case "Gi" -> 30;
            case "Ti" -> 40;
            default -> 0;
          };
      return new Size(text, n << shift);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  @Doc("IP address.")
  public record Ip(String text) {
    public static Ip parse(String text) {
      if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
        throw new IllegalArgumentException(
            "expected an IP address such as 192.168.4.63, got '" + text + "'");
      }
      return new Ip(text);
    }
  }

  @Doc("MAC address.")
  public record Mac(String text) {
    public static final String SCHEMA_PATTERN = "^[0-9a-f]{2}(:[0-9a-f]{2}){5}$";

    public static Mac parse(String text) {
      if (!text.matches(SCHEMA_PATTERN)) {
        throw new IllegalArgumentException(
            "expected a MAC address such as aa:bb:cc:dd:ee:ff, got '" + text + "'");
      }
      return new Mac(text);
    }
  }
}
