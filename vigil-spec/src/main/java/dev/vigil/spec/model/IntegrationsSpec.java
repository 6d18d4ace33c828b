package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Excerpts;
import dev.vigil.spec.bind.Required;
import dev.vigil.spec.bind.Validated;
import dev.vigil.spec.types.SecretRef;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

@Doc(
    "Applications the stack watches through their exporters: each entry runs one exporter in the"
        + " stack's namespace, scraped by Prometheus, with its alerts and dashboard.")
public record IntegrationsSpec(
    @Doc("PostgreSQL servers (TimescaleDB included), through postgres_exporter.")
        List<Postgres> postgres,
    @Doc("Redis servers, through redis_exporter.") List<Redis> redis,
    @Doc("NGINX servers with the stub_status page, through nginx-prometheus-exporter.")
        List<Nginx> nginx,
    @Doc("Kafka clusters, through kafka_exporter.") List<Kafka> kafka)
    implements Validated {

  private static final Pattern HOST_PORT =
      Pattern.compile("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.\\-]+):(\\d{1,5})$");

  @Doc("A PostgreSQL server.")
  public record Postgres(
      @Doc("Name (lower case, digits, '-', at most 30): the `instance` label of its series.")
          @Required
          String name,
      @Doc(
              "Connection string (postgresql://user:password@host:port/db?sslmode=...) in a Kubernetes"
                  + " Secret; the monitoring role needs pg_monitor.")
          @Required
          SecretRef dsn,
      @Doc("TCP port of the server, which the exporter's NetworkPolicy lets it reach.")
          @Default("5432")
          int port,
      @Doc("Container resources.") Resources resources) {}

  @Doc("A Redis server.")
  public record Redis(
      @Doc("Name (lower case, digits, '-', at most 30): the `instance` label of its series.")
          @Required
          String name,
      @Doc("host:port of the server, e.g. redis.shop.svc:6379.") @Required String address,
      @Doc(
              "Password (requirepass, or the ACL user's) in a Kubernetes Secret, if the server has one.")
          SecretRef password,
      @Doc("ACL user name (Redis 6 and newer), if not the default user.") String user,
      @Doc("Container resources.") Resources resources) {}

  @Doc("An NGINX server.")
  public record Nginx(
      @Doc("Name (lower case, digits, '-', at most 30): the `instance` label of its series.")
          @Required
          String name,
      @Doc(
              "URL of its stub_status page, e.g. http://web.shop.svc:8080/stub_status. An https URL's"
                  + " certificate is verified against the exporter image's trusted roots.")
          @Required
          String statusUrl,
      @Doc("Container resources.") Resources resources) {}

  @Doc(
      "A Kafka cluster, reached over plaintext (kafka_exporter's TLS and SASL options are not rendered).")
  public record Kafka(
      @Doc("Name (lower case, digits, '-', at most 30): the `instance` label of its series.")
          @Required
          String name,
      @Doc(
              "host:port of one or more brokers to bootstrap from; the brokers they advertise must listen on"
                  + " these ports, which the exporter's NetworkPolicy opens.")
          @Required
          List<String> brokers,
      @Doc("Container resources.") Resources resources) {}

  @Override
  public void validate(Checks c) {
    names(c, "postgres", postgres.stream().map(Postgres::name).toList());
    names(c, "redis", redis.stream().map(Redis::name).toList());
    names(c, "nginx", nginx.stream().map(Nginx::name).toList());
    names(c, "kafka", kafka.stream().map(Kafka::name).toList());
    for (int i = 0; i < postgres.size(); i++) {
      Postgres p = postgres.get(i);
      String at = "postgres[" + i + "]";
      secret(c, at + ".dsn", p.dsn());
      if (p.port() < 1 || p.port() > 65535) {
        c.error(at + ".port", "expected a port in 1-65535, got " + p.port());
      }
      ResourceChecks.check(c, at + ".resources", p.resources());
    }
    for (int i = 0; i < redis.size(); i++) {
      Redis r = redis.get(i);
      String at = "redis[" + i + "]";
      hostPort(c, at + ".address", r.address());
      secret(c, at + ".password", r.password());
      ResourceChecks.check(c, at + ".resources", r.resources());
    }
    for (int i = 0; i < nginx.size(); i++) {
      Nginx n = nginx.get(i);
      String at = "nginx[" + i + "]";
      if (urlPort(n.statusUrl()) < 0) {
        c.error(
            at + ".statusUrl",
            "expected an http:// or https:// URL with a host, got "
                + Excerpts.quoted(n.statusUrl()));
      }
      ResourceChecks.check(c, at + ".resources", n.resources());
    }
    for (int i = 0; i < kafka.size(); i++) {
      Kafka k = kafka.get(i);
      String at = "kafka[" + i + "]";
      if (k.brokers().isEmpty()) {
        c.error(at + ".brokers", "expected at least one broker host:port");
      }
      for (int j = 0; j < k.brokers().size(); j++) {
        hostPort(c, at + ".brokers[" + j + "]", k.brokers().get(j));
      }
      ResourceChecks.check(c, at + ".resources", k.resources());
    }
  }

  /** The TCP port an http or https URL connects to, or -1 for anything else. */
  public static int urlPort(String url) {
    try {
      URI u = new URI(url);
      boolean http = "http".equals(u.getScheme());
      if (!(http || "https".equals(u.getScheme())) || u.getHost() == null || u.getPort() > 65535) {
        return -1;
      }
      return u.getPort() > 0 ? u.getPort() : http ? 80 : 443;
    } catch (URISyntaxException e) {
      return -1;
    }
  }

  /** Instance names: part of the exporter's object names and the `instance` label of its series. */
  private static void names(Checks c, String list, List<String> names) {
    UniqueNames unique = new UniqueNames(list, 30);
    for (int i = 0; i < names.size(); i++) {
      unique.check(c, list + "[" + i + "].name", names.get(i));
    }
  }

  private static void secret(Checks c, String field, SecretRef ref) {
    InClusterSecrets.check(c, field, ref, "The exporter");
  }

  private static void hostPort(Checks c, String field, String value) {
    var m = HOST_PORT.matcher(value);
    if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
      c.error(field, "expected host:port, got " + Excerpts.quoted(value));
    }
  }

  /** The port of a host:port already checked. */
  public static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }
}
