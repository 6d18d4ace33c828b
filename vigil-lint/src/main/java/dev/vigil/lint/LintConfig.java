package dev.vigil.lint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Linter settings. Precedence: command-line flag, then config file, then these defaults.
 *
 * @param rules per-rule overrides by rule id
 * @param kubernetesVersion the Kubernetes release the manifests are for ({@code 1.29}), or null for
 *     the newest: decides which API versions are deprecated or removed
 * @param statefulImages short names of the images that keep state ({@code prometheus}, the last
 *     path segment of the repository): {@code stateful-monitoring} wants them in StatefulSets.
 *     Empty by default: which images keep state is the caller's knowledge, not the linter's
 * @param promtool the {@code promtool} executable that checks every Prometheus rule file as well,
 *     or null to check them with the linter's own rules only
 */
public record LintConfig(
    LintProfile profile,
    Severity failOn,
    StationProfile stationProfile,
    List<String> registries,
    List<String> requiredLabels,
    Map<String, RuleOverride> rules,
    String kubernetesVersion,
    List<String> statefulImages,
    Path promtool) {

  public static final List<String> DEFAULT_REGISTRIES =
      List.of("docker.io", "quay.io", "ghcr.io", "registry.k8s.io");
  public static final List<String> DEFAULT_REQUIRED_LABELS = List.of("app.kubernetes.io/name");

  /** {@code enabled} and {@code severity} are null when the file leaves them alone. */
  public record RuleOverride(Boolean enabled, Severity severity) {}

  public LintConfig {
    registries = List.copyOf(registries);
    requiredLabels = List.copyOf(requiredLabels);
    rules = Map.copyOf(rules);
    statefulImages = List.copyOf(statefulImages);
    if (kubernetesVersion != null) {
      kubernetesMinor(kubernetesVersion); // rejects what is not a 1.x version
    }
  }

  public LintConfig(
      LintProfile profile,
      Severity failOn,
      StationProfile stationProfile,
      List<String> registries,
      List<String> requiredLabels,
      Map<String, RuleOverride> rules,
      String kubernetesVersion) {
    this(
        profile,
        failOn,
        stationProfile,
        registries,
        requiredLabels,
        rules,
        kubernetesVersion,
        List.of(),
        null);
  }

  public LintConfig(
      LintProfile profile,
      Severity failOn,
      StationProfile stationProfile,
      List<String> registries,
      List<String> requiredLabels,
      Map<String, RuleOverride> rules) {
    this(profile, failOn, stationProfile, registries, requiredLabels, rules, null);
  }

  private static final java.util.regex.Pattern KUBERNETES_VERSION =
      java.util.regex.Pattern.compile("v?1\\.(\\d{1,3})(\\.\\d+)?");

  /** The minor version of a {@code 1.x} release ({@code 1.29}, {@code v1.29.3}). */
  public static int kubernetesMinor(String version) {
    java.util.regex.Matcher m = KUBERNETES_VERSION.matcher(version.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "unknown Kubernetes version '" + version + "' (expected 1.MINOR, for example 1.31)");
    }
    return Integer.parseInt(m.group(1));
  }

  /** The target's minor version, or {@link Integer#MAX_VALUE} for the newest. */
  public int kubernetesMinor() {
    return kubernetesVersion == null ? Integer.MAX_VALUE : kubernetesMinor(kubernetesVersion);
  }

  public static LintConfig defaults() {
    return new LintConfig(
        LintProfile.VIGIL,
        Severity.WARNING,
        StationProfile.HOMELAB,
        DEFAULT_REGISTRIES,
        DEFAULT_REQUIRED_LABELS,
        Map.of());
  }

  public LintConfig withKubernetesVersion(String v) {
    return new LintConfig(
        profile,
        failOn,
        stationProfile,
        registries,
        requiredLabels,
        rules,
        v,
        statefulImages,
        promtool);
  }

  public LintConfig withProfile(LintProfile p) {
    return new LintConfig(
        p,
        failOn,
        stationProfile,
        registries,
        requiredLabels,
        rules,
        kubernetesVersion,
        statefulImages,
        promtool);
  }

  public LintConfig withFailOn(Severity s) {
    return new LintConfig(
        profile,
        s,
        stationProfile,
        registries,
        requiredLabels,
        rules,
        kubernetesVersion,
        statefulImages,
        promtool);
  }

  public LintConfig withStationProfile(StationProfile s) {
    return new LintConfig(
        profile,
        failOn,
        s,
        registries,
        requiredLabels,
        rules,
        kubernetesVersion,
        statefulImages,
        promtool);
  }

  public LintConfig withRegistries(List<String> r) {
    return new LintConfig(
        profile,
        failOn,
        stationProfile,
        r,
        requiredLabels,
        rules,
        kubernetesVersion,
        statefulImages,
        promtool);
  }

  public LintConfig withRequiredLabels(List<String> l) {
    return new LintConfig(
        profile,
        failOn,
        stationProfile,
        registries,
        l,
        rules,
        kubernetesVersion,
        statefulImages,
        promtool);
  }

  /** Image short names ({@code prometheus}, {@code loki}) that must run in StatefulSets. */
  public LintConfig withStatefulImages(List<String> images) {
    return new LintConfig(
        profile,
        failOn,
        stationProfile,
        registries,
        requiredLabels,
        rules,
        kubernetesVersion,
        images,
        promtool);
  }

  /** Runs {@code promtool check rules} on every rule file as well; null turns it off. */
  public LintConfig withPromtool(Path executable) {
    return new LintConfig(
        profile,
        failOn,
        stationProfile,
        registries,
        requiredLabels,
        rules,
        kubernetesVersion,
        statefulImages,
        executable);
  }

  public LintConfig withRuleOverride(String id, RuleOverride o) {
    Map<String, RuleOverride> m = new LinkedHashMap<>(rules);
    m.merge(
        id,
        o,
        (a, b) ->
            new RuleOverride(
                b.enabled() != null ? b.enabled() : a.enabled(),
                b.severity() != null ? b.severity() : a.severity()));
    return new LintConfig(
        profile,
        failOn,
        stationProfile,
        registries,
        requiredLabels,
        m,
        kubernetesVersion,
        statefulImages,
        promtool);
  }

  /** A configuration file could not be used; the message names file and key. */
  public static final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
      super(message);
    }
  }

  private static final long MAX_CONFIG_BYTES = 1 << 20;

  private static final Set<String> KEYS =
      Set.of(
          "profile",
          "failOn",
          "stationProfile",
          "registries",
          "requiredLabels",
          "rules",
          "kubernetesVersion",
          "statefulImages");

  /**
   * Reads a config file over {@code base}. Unknown keys and unknown rule ids are errors, so a typo
   * never silently turns a rule off.
   */
  public static LintConfig load(Path file, LintConfig base, Set<String> knownRules)
      throws ConfigException {
    String where = dev.vigil.base.input.InputFiles.display(file);
    Object doc;
    try {
      String text = dev.vigil.base.input.InputFiles.readText(file, MAX_CONFIG_BYTES);
      dev.vigil.base.input.YamlLimits.SPEC.check(where, text);
      doc =
          new Load(LoadSettings.builder().setLabel(where).setAllowDuplicateKeys(false).build())
              .loadFromString(text);
    } catch (dev.vigil.base.input.InputException e) {
      throw new ConfigException(e.getMessage());
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new ConfigException(where + ":" + line + ": invalid YAML: " + e.getProblem());
    } catch (YamlEngineException e) {
      throw new ConfigException(where + ": invalid YAML: " + e.getMessage());
    }
    if (doc == null) {
      return base;
    }
    if (!(doc instanceof Map<?, ?> root)) {
      throw new ConfigException(where + ": expected a mapping at the top level");
    }
    LintConfig c = base;
    try {
      for (Map.Entry<?, ?> e : root.entrySet()) {
        String key = String.valueOf(e.getKey());
        Object v = e.getValue();
        switch (key) {
          case "profile" -> c = c.withProfile(LintProfile.parse(text(where, key, v)));
          case "failOn" -> c = c.withFailOn(Severity.parse(text(where, key, v)));
          case "stationProfile" ->
              c = c.withStationProfile(StationProfile.parse(text(where, key, v)));
          case "registries" -> c = c.withRegistries(strings(where, key, v));
          case "requiredLabels" -> c = c.withRequiredLabels(strings(where, key, v));
          case "statefulImages" -> c = c.withStatefulImages(strings(where, key, v));
          case "rules" -> c = rules(where, v, c, knownRules);
          case "kubernetesVersion" -> {
            if (v instanceof Number) {
              // YAML reads 1.30 as the number 1.3: a version must be quoted.
              throw new ConfigException(
                  where
                      + ": kubernetesVersion: expected a quoted version such as '1.30', found the number "
                      + v);
            }
            c = c.withKubernetesVersion(text(where, key, v));
          }
          default ->
              throw new ConfigException(
                  where
                      + ": unknown key '"
                      + key
                      + "' (known: "
                      + String.join(", ", KEYS.stream().sorted().toList())
                      + ")");
        }
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": " + e.getMessage());
    }
    return c;
  }

  private static LintConfig rules(String where, Object v, LintConfig c, Set<String> known)
      throws ConfigException {
    if (!(v instanceof Map<?, ?> m)) {
      throw new ConfigException(where + ": rules: expected a mapping of rule id to settings");
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String id = String.valueOf(e.getKey());
      if (!known.contains(id)) {
        throw new ConfigException(where + ": rules." + id + ": unknown rule id");
      }
      if (!(e.getValue() instanceof Map<?, ?> s)) {
        throw new ConfigException(
            where + ": rules." + id + ": expected a mapping with enabled and/or severity");
      }
      Boolean enabled = null;
      Severity sev = null;
      for (Map.Entry<?, ?> f : s.entrySet()) {
        String k = String.valueOf(f.getKey());
        if (k.equals("enabled")) {
          if (!(f.getValue() instanceof Boolean b)) {
            throw new ConfigException(where + ": rules." + id + ".enabled: expected true or false");
          }
          enabled = b;
        } else if (k.equals("severity")) {
          sev = Severity.parse(text(where, "rules." + id + ".severity", f.getValue()));
        } else {
          throw new ConfigException(
              where + ": rules." + id + ": unknown key '" + k + "' (known: enabled, severity)");
        }
      }
      c = c.withRuleOverride(id, new RuleOverride(enabled, sev));
    }
    return c;
  }

  private static String text(String where, String key, Object v) throws ConfigException {
    if (v == null || v instanceof Map || v instanceof List) {
      throw new ConfigException(where + ": " + key + ": expected a string");
    }
    return String.valueOf(v);
  }

  private static List<String> strings(String where, String key, Object v) throws ConfigException {
    if (!(v instanceof List<?> l)) {
      throw new ConfigException(where + ": " + key + ": expected a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object o : l) {
      out.add(text(where, key + "[]", o));
    }
    return out;
  }
}
