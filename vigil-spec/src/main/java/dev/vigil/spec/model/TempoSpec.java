package dev.vigil.spec.model;

import dev.vigil.spec.bind.Default;
import dev.vigil.spec.bind.Doc;
import dev.vigil.spec.bind.Excerpts;
import dev.vigil.spec.bind.Required;
import dev.vigil.spec.bind.Validated;
import dev.vigil.spec.types.Quantity;
import dev.vigil.spec.types.SecretRef;
import java.time.Duration;
import java.util.regex.Pattern;

@Doc(
    "Grafana Tempo, single binary: stores traces and answers Grafana's trace queries. Only the"
        + " cluster reaches it (the OpenTelemetry Collector writes, Grafana reads): its HTTP port also"
        + " serves /flush and /shutdown without authentication, so it is never exposed.")
public record TempoSpec(
    @Doc("Deploy it.") @Default("false") boolean enabled,
    @Doc("Container resources.") Resources resources,
    @Doc(
            "Volume for the write-ahead log and, with the local backend, the trace blocks (default 10Gi).")
        Storage storage,
    @Doc("How long traces are kept (default 14d); the compactor deletes older blocks. Time only.")
        Retention retention,
    @Doc("Where trace blocks are stored: local (the volume) or s3 (an S3-compatible object store).")
        @Default("local")
        Backend backend,
    @Doc("The object store, for backend s3.") S3 s3,
    @Doc("Ingestion limits (overrides.defaults).") TempoLimits limits,
    @Doc(
            "Derive span metrics (requests, errors and latency per service and operation) and the"
                + " service graph from the spans, and remote-write them to the stack's Prometheus"
                + " (docs/decisions/0301-telemetry-pushed-into-prometheus.md). They feed the Traces"
                + " dashboard and Grafana's service graph.")
        @Default("true")
        boolean metricsGenerator)
    implements Validated {

  private static final Pattern ENDPOINT =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\\d{1,5})?");

  /** Where the trace blocks live. */
  public enum Backend {
    LOCAL,
    S3
  }

  @Doc("An S3-compatible object store (AWS S3, MinIO, Ceph RGW, ...).")
  public record S3(
      @Doc("Bucket name.") @Required String bucket,
      @Doc(
              "Endpoint as host or host:port, without a scheme, e.g. s3.eu-west-1.amazonaws.com or"
                  + " minio.storage.svc:9000.")
          @Required
          String endpoint,
      @Doc("Region, where the store needs one.") String region,
      @Doc("Key prefix inside the bucket.") String prefix,
      @Doc("Plain HTTP instead of HTTPS (an in-cluster store without TLS).") @Default("false")
          boolean insecure,
      @Doc("Path-style requests (bucket in the path), as MinIO and most S3-compatible stores need.")
          @Default("true")
          boolean forcePathStyle,
      @Doc(
              "Access key id, from a Kubernetes Secret. With neither key set, Tempo uses the pod's cloud"
                  + " identity (an IAM role for the service account).")
          SecretRef accessKeyId,
      @Doc("Secret access key, from a Kubernetes Secret.") SecretRef secretAccessKey)
      implements Validated {

    @Override
    public void validate(Checks checks) {
      if (!ENDPOINT.matcher(endpoint).matches()) {
        checks.error(
            "endpoint",
            "expected host or host:port without a scheme or path, got "
                + Excerpts.quoted(endpoint));
      } else if (endpoint.contains(":")) {
        int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
        if (port < 1 || port > 65535) {
          checks.error("endpoint", "expected a port in 1-65535, got " + port);
        }
      }
      if ((accessKeyId == null) != (secretAccessKey == null)) {
        checks.error(
            accessKeyId == null ? "accessKeyId" : "secretAccessKey",
            "set both accessKeyId and secretAccessKey, or neither (to use the pod's cloud identity)");
      }
      inCluster(checks, "accessKeyId", accessKeyId);
      inCluster(checks, "secretAccessKey", secretAccessKey);
    }

    /** The port Tempo dials: the endpoint's own, else the scheme's. */
    public int port() {
      int colon = endpoint.lastIndexOf(':');
      return colon > 0 ? Integer.parseInt(endpoint.substring(colon + 1)) : insecure ? 80 : 443;
    }
  }

  @Doc("Tempo's per-tenant ingestion limits; spans over them are refused and counted as discarded.")
  public record TempoLimits(
      @Doc("Ingestion rate, MB/s.") @Default("15") int ingestionRateMb,
      @Doc("Ingestion burst, MB.") @Default("20") int ingestionBurstMb,
      @Doc("Most traces being assembled at once.") @Default("10000") int maxTracesPerUser,
      @Doc("Largest trace, MB; spans past it are discarded.") @Default("5") int maxBytesPerTraceMb)
      implements Validated {
    @Override
    public void validate(Checks checks) {
      positive(checks, "ingestionRateMb", ingestionRateMb);
      positive(checks, "ingestionBurstMb", ingestionBurstMb);
      positive(checks, "maxTracesPerUser", maxTracesPerUser);
      positive(checks, "maxBytesPerTraceMb", maxBytesPerTraceMb);
      if (ingestionBurstMb < ingestionRateMb && ingestionBurstMb > 0) {
        checks.error(
            "ingestionBurstMb",
            "a burst of "
                + ingestionBurstMb
                + " MB is below the rate of "
                + ingestionRateMb
                + " MB/s; one second of traffic would already be refused");
      }
    }
  }

  /** The volume size when the spec sets none. */
  public static final Quantity DEFAULT_VOLUME = Quantity.parse("10Gi");

  /** The retention when the spec sets none. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(14);

  /** The volume size in effect. */
  public Quantity volume() {
    return storage.size() != null ? storage.size() : DEFAULT_VOLUME;
  }

  /** The retention in effect. */
  public Duration retentionTime() {
    return retention.time() != null ? retention.time() : DEFAULT_RETENTION;
  }

  @Override
  public void validate(Checks checks) {
    if (retention.size() != null) {
      checks.error(
          "retention.size",
          "Tempo retains by time only; set retention.time and size the volume for it");
    }
    if (retention.time() != null && retention.time().compareTo(Duration.ofHours(1)) < 0) {
      checks.error(
          "retention.time", "expected 1h or more: the compactor works on hour-long windows");
    }
    if (backend == Backend.S3 && s3 == null) {
      checks.error("s3", "backend s3 needs the object store: set s3.bucket and s3.endpoint");
    }
    if (backend == Backend.LOCAL && s3 != null) {
      checks.error("s3", "set for backend local, where it is unused; set backend: s3 or remove it");
    }
    Resources.Amounts req = resources.requests();
    Resources.Amounts lim = resources.limits();
    if (req.cpu() != null && lim.cpu() != null && req.cpu().compareTo(lim.cpu()) > 0) {
      checks.error(
          "resources.requests.cpu", "request " + req.cpu() + " is above the limit " + lim.cpu());
    }
    if (req.memory() != null && lim.memory() != null && req.memory().compareTo(lim.memory()) > 0) {
      checks.error(
          "resources.requests.memory",
          "request " + req.memory() + " is above the limit " + lim.memory());
    }
  }

  private static void positive(Checks checks, String field, int value) {
    if (value < 1) {
      checks.error(field, "expected 1 or more, got " + value);
    }
  }

  /**
   * Tempo runs in the cluster and reads its keys from Kubernetes Secrets: an environment variable
   * or a file exists only where the spec is rendered.
   */
  static void inCluster(Checks checks, String field, SecretRef ref) {
    if (ref != null && ref.secret() == null) {
      checks.error(
          field,
          "Tempo runs in the cluster and reads secrets from Kubernetes Secrets: expected"
              + " secret: {name, key}, got "
              + ref.describe());
    }
  }
}
