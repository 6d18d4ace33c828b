package dev.vigil.lint;

import dev.vigil.lint.rules.Rules;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The library entry point: load inputs, run the profile's rules, apply exemptions. */
public final class Linter {
  public static final String IGNORE = "vigil.dev/ignore";
  public static final String IGNORE_REASON = "vigil.dev/ignore-reason";

  private final LintConfig config;

  public Linter(LintConfig config) {
    this.config = config;
  }

  public LintConfig config() {
    return config;
  }

  /** Lints files and directories (recursively); kubectl is looked up on PATH for Kustomize. */
  public Report lint(List<Path> paths) {
    return lintInputs(
        paths.stream().map(Path::toString).toList(), System.in, Loader.findOnPath("kubectl"));
  }

  /** Lints inputs as given on the command line ({@code -} reads {@code stdin}). */
  public Report lintInputs(List<String> inputs, InputStream stdin, Optional<Path> kubectl) {
    return lint(new Loader(stdin, kubectl).load(inputs));
  }

  /** Lints YAML or JSON text, as if read from a file called {@code name}. */
  public Report lintText(String name, String text) {
    Loader l = new Loader(InputStream.nullInputStream(), Optional.empty());
    l.loadText(name, text, name);
    return lint(l.load(List.of()));
  }

  /**
   * Lints files held in memory, by name, as one set (cross-object rules see all of them), as if
   * each had been read from a file of that name. Kustomization files among them are skipped: the
   * objects they list are the other files.
   */
  public Report lintTexts(java.util.Map<String, String> files) {
    Loader l = new Loader(InputStream.nullInputStream(), Optional.empty());
    files.forEach(
        (name, text) -> {
          String base = name.substring(name.lastIndexOf('/') + 1);
          if (!Loader.isKustomizationFile(base)) {
            l.loadText(name, text, name);
          }
        });
    return lint(l.load(List.of()));
  }

  /** The rules this configuration runs, with their effective severities. */
  public List<Report.RuleRun> activeRules() {
    List<Report.RuleRun> out = new ArrayList<>();
    for (Rule r : Rules.all()) {
      LintConfig.RuleOverride o = config.rules().get(r.id());
      boolean enabled =
          o != null && o.enabled() != null ? o.enabled() : config.profile().includes(r.level());
      if (enabled) {
        out.add(
            new Report.RuleRun(r, o != null && o.severity() != null ? o.severity() : r.severity()));
      }
    }
    return out;
  }

  public Report lint(Loader.Loaded loaded) {
    Context ctx =
        new Context(loaded.manifests(), loaded.configs(), config, loaded.texts(), loaded.files());
    List<Report.RuleRun> active = activeRules();
    for (Report.RuleRun run : active) {
      ctx.begin(run.rule(), run.severity());
      run.rule().check(ctx);
    }
    List<Finding> kept = new ArrayList<>();
    int suppressed = 0;
    for (Context.Raw raw : ctx.findings()) {
      if (exempted(raw)) {
        suppressed++;
      } else {
        kept.add(raw.finding());
      }
    }
    kept.sort(
        Comparator.comparing(Finding::source)
            .thenComparingInt(Finding::line)
            .thenComparing(Finding::ruleId)
            .thenComparing(Finding::message));
    return new Report(
        active,
        kept,
        loaded.errors(),
        loaded.manifests().size(),
        loaded.configs().size(),
        suppressed,
        config);
  }

  /** Ids of every rule, for validating configuration and exemption annotations. */
  public static Set<String> ruleIds() {
    return RULE_IDS;
  }

  private static final Set<String> RULE_IDS = ids();

  private static Set<String> ids() {
    Set<String> ids = new HashSet<>();
    Rules.all().forEach(r -> ids.add(r.id()));
    return Set.copyOf(ids);
  }

  // An exemption only counts with a reason: without one the finding stays and exemption-reason
  // reports the annotation as well, so nobody silences a rule by accident.
  private static boolean exempted(Context.Raw raw) {
    if (raw.owner() == null || raw.finding().ruleId().startsWith("exemption-")) {
      return false;
    }
    String ids = YamlValues.str(raw.owner().annotations(), IGNORE);
    String reason = YamlValues.str(raw.owner().annotations(), IGNORE_REASON);
    return ids != null
        && reason != null
        && !reason.isBlank()
        && Manifest.split(ids).contains(raw.finding().ruleId());
  }
}
