package dev.vigil.render.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Set;

/**
 * What one pinned image version really does: the ports it listens on, the flags it accepts, the
 * metrics it exposes, the paths it writes at run time and the user it runs as, each taken from that
 * version's own source or from running the program. Rendered manifests, rules and dashboards are
 * checked against it, so a renderer cannot pass a flag the version rejects or query a metric it
 * never exposes.
 *
 * @param image repository without tag, e.g. {@code quay.io/prometheus/prometheus}
 * @param tag the version the contract describes
 * @param pinnedTag set when the tag Vigil pins differs from {@code tag} (e.g. a pin that was never
 *     published): the pinned tag and what was found about it
 * @param featureFlags values of a feature-flag option (Prometheus {@code --enable-feature}) and how
 *     this version treats each
 * @param configDirectives directives the program's own configuration file accepts, where Vigil
 *     renders that file (chrony.conf)
 */
public record ImageContract(
    String image,
    String platform,
    List<String> versions,
    String tag,
    Publication published,
    Publication pinnedTag,
    List<Source> sources,
    User user,
    List<String> entrypoint,
    List<String> command,
    List<Port> ports,
    List<Flag> flags,
    List<FeatureFlag> featureFlags,
    List<String> configDirectives,
    List<ConfigKey> configKeys,
    List<Write> writes,
    List<Metric> metrics,
    Boolean metricsComplete,
    List<String> metricsSource,
    List<String> sharedMetrics,
    List<Verification> verifiedWith,
    List<String> notes) {

  public ImageContract {
    if (image == null && platform == null) {
      throw new IllegalArgumentException(
          "image: required (or platform, for a program Vigil does not pin)");
    }
    require(tag, "tag");
    require(published, "published");
    require(user, "user");
    require(metricsComplete, "metricsComplete");
    if (image != null
        && (image.contains("@") || image.substring(image.lastIndexOf('/') + 1).contains(":"))) {
      throw new IllegalArgumentException("image: the repository without tag, got '" + image + "'");
    }
    versions = list(versions);
    configKeys = list(configKeys);
    sources = list(sources);
    entrypoint = list(entrypoint);
    command = list(command);
    ports = list(ports);
    flags = list(flags);
    featureFlags = list(featureFlags);
    configDirectives = list(configDirectives);
    writes = list(writes);
    metrics = list(metrics);
    metricsSource = list(metricsSource);
    sharedMetrics = list(sharedMetrics);
    verifiedWith = list(verifiedWith);
    notes = list(notes);
  }

  /** {@code image:tag}, or the platform and version for a program Vigil does not pin. */
  public String reference() {
    return image != null ? image + ":" + tag : platform + " " + tag;
  }

  /**
   * The configuration key at this path (e.g. {@code server.http_server_write_timeout}), if known.
   */
  public java.util.Optional<ConfigKey> configKey(String path) {
    return configKeys.stream().filter(k -> k.path().equals(path)).findFirst();
  }

  /** The flag with this long name (without leading dashes), if the version accepts it. */
  public java.util.Optional<Flag> flag(String name) {
    String bare = bare(name);
    return flags.stream().filter(f -> bare(f.name()).equals(bare)).findFirst();
  }

  /** The metric family with this name as exposed, if the version exposes it. */
  public java.util.Optional<Metric> metric(String name) {
    return metrics.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  public static String bare(String flag) {
    String s = flag;
    while (s.startsWith("-")) {
      s = s.substring(1);
    }
    int eq = s.indexOf('=');
    return eq < 0 ? s : s.substring(0, eq);
  }

  /**
   * Whether a tag was published.
   *
   * @param tag only in {@code pinnedTag}: the tag this entry is about
   * @param exists whether the tag exists upstream and the release process pushes an image for it
   * @param checked what was looked at
   * @param evidence what was found
   */
  public record Publication(String tag, Boolean exists, List<String> checked, String evidence) {
    public Publication {
      require(exists, "exists");
      require(evidence, "evidence");
      checked = list(checked);
      if (checked.isEmpty()) {
        throw new IllegalArgumentException("checked: say what was looked at");
      }
    }
  }

  /** An upstream repository at a ref, and the files of it that were read. */
  public record Source(String repo, String ref, List<String> files) {
    public Source {
      require(repo, "repo");
      require(ref, "ref");
      files = list(files);
      if (files.isEmpty()) {
        throw new IllegalArgumentException("files: name the files read");
      }
    }
  }

  /** The user the image runs as unless the pod overrides it. */
  public record User(Integer uid, Integer gid, String name, String source) {
    public User {
      require(uid, "uid");
      require(gid, "gid");
      require(source, "source");
    }
  }

  /**
   * A port the program listens on.
   *
   * @param flag the flag or configuration directive that sets it
   * @param defaultValue its default when not set
   */
  public record Port(
      Integer port,
      String protocol,
      String name,
      String flag,
      @JsonProperty("default") String defaultValue,
      String condition,
      String source) {
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP");

    public Port {
      require(port, "port");
      require(protocol, "protocol");
      require(source, "source");
      if (!PROTOCOLS.contains(protocol)) {
        throw new IllegalArgumentException("protocol: expected TCP or UDP, got '" + protocol + "'");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port: expected 1-65535, got " + port);
      }
    }
  }

  /**
   * A command-line flag the version accepts.
   *
   * @param name as written on the command line: {@code --web.listen-address}, or {@code -d} for
   *     programs with short options
   * @param booleanFlag a switch; kingpin booleans also accept {@code --no-<name>}
   * @param repeatable may be given more than once
   * @param hidden accepted but left out of {@code --help}
   * @param since the upstream version that introduced it, where later than the Debian build the
   *     tests run
   */
  public record Flag(
      String name,
      @JsonProperty("boolean") Boolean booleanFlag,
      Boolean repeatable,
      Boolean hidden,
      @JsonProperty("default") String defaultValue,
      String since,
      String source,
      String note) {
    public Flag {
      require(name, "name");
      if (!name.startsWith("-")) {
        throw new IllegalArgumentException(
            "name: a flag as written on the command line, got '" + name + "'");
      }
    }

    public boolean isBoolean() {
      return Boolean.TRUE.equals(booleanFlag);
    }
  }

  /**
   * One value of a feature-flag option.
   *
   * @param status {@code enabled}: the version turns something on; {@code no-op}: accepted with a
   *     warning, the behaviour is permanent; {@code unknown}: not recognised by this version
   *     (logged as unknown, nothing changes)
   */
  public record FeatureFlag(String name, String status, String note, String source) {
    private static final Set<String> STATUSES = Set.of("enabled", "no-op", "unknown");

    public FeatureFlag {
      require(name, "name");
      require(status, "status");
      if (!STATUSES.contains(status)) {
        throw new IllegalArgumentException(
            "status: expected one of " + STATUSES + ", got '" + status + "'");
      }
    }
  }

  /**
   * A path the program writes at run time with the configuration Vigil renders.
   *
   * @param rendered the absolute directory this lands in with Vigil's configuration: a container
   *     with a read-only root filesystem must mount something writable there (checked); absent for
   *     conditional writes that Vigil's configuration does not trigger
   */
  public record Write(String path, String why, String condition, String rendered, String source) {
    public Write {
      require(path, "path");
      if (rendered != null && !rendered.startsWith("/")) {
        throw new IllegalArgumentException(
            "rendered: an absolute directory, got '" + rendered + "'");
      }
      require(why, "why");
      require(source, "source");
    }
  }

  /**
   * A metric family as exposed.
   *
   * @param name as exposed: counters with {@code _total}, histograms and summaries by base name
   * @param collector the collector, module or option that produces it, where not always on
   */
  public record Metric(
      String name,
      String type,
      String collector,
      String since,
      String note,
      List<String> labels,
      String stability,
      String source) {
    public static final Set<String> TYPES =
        Set.of("counter", "gauge", "histogram", "summary", "untyped", "info", "stateset");

    public Metric {
      require(name, "name");
      require(type, "type");
      if (!TYPES.contains(type)) {
        throw new IllegalArgumentException(
            "type: expected one of " + TYPES + ", got '" + type + "'");
      }
      if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
        throw new IllegalArgumentException("name: not a metric name: '" + name + "'");
      }
      labels = list(labels);
    }
  }

  /**
   * A key of the program's configuration file that Vigil renders, found in the version's config
   * structs.
   *
   * @param path dotted path as written in the file ({@code limits_config.query_timeout})
   * @param defaultValue the version's default, where it decides how the rendered keys behave
   */
  public record ConfigKey(
      String path, @JsonProperty("default") String defaultValue, String source, String note) {
    public ConfigKey {
      require(path, "path");
      require(source, "source");
    }
  }

  /** A real program the contract was compared against, and what the comparison covered. */
  public record Verification(String program, String version, List<String> checked, String notes) {
    public Verification {
      require(program, "program");
      require(version, "version");
      checked = list(checked);
    }
  }

  static <T> T require(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": required");
    }
    return value;
  }

  static <T> List<T> list(List<T> value) {
    return value == null ? List.of() : List.copyOf(value);
  }
}
