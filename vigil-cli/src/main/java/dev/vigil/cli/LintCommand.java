package dev.vigil.cli;

import dev.vigil.lint.InputError;
import dev.vigil.lint.LintConfig;
import dev.vigil.lint.LintProfile;
import dev.vigil.lint.Linter;
import dev.vigil.lint.Loader;
import dev.vigil.lint.Report;
import dev.vigil.lint.Rule;
import dev.vigil.lint.Severity;
import dev.vigil.lint.StationProfile;
import dev.vigil.lint.output.HumanFormat;
import dev.vigil.lint.output.JsonFormat;
import dev.vigil.lint.output.JunitFormat;
import dev.vigil.lint.output.SarifFormat;
import dev.vigil.lint.rules.Rules;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vigil lint}: checks Kubernetes manifests and monitoring configuration. */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    description = {
      "Check Kubernetes manifests and the monitoring configuration inside them against the Pod"
          + " Security Standards and the stack's standards.",
      "Inputs: files, directories (recursive), '-' for stdin, multi-document YAML, JSON, kind:"
          + " List, Kustomize directories (through kubectl kustomize).",
      "Formats (-o): human (default), json, sarif, junit; --out FILE writes the report to a file.",
      "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error."
    },
    sortOptions = false)
public final class LintCommand implements Callable<Integer> {
  /** Output formats. */
  enum Format {
    human,
    json,
    sarif,
    junit
  }

  private static final List<String> FORMATS = List.of("human", "json", "sarif", "junit");

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "PATH",
      arity = "0..*",
      description = "Files or directories; '-' reads stdin.")
  List<String> paths = new ArrayList<>();

  @Option(
      names = {"-p", "--profile"},
      paramLabel = "PROFILE",
      description = "baseline, restricted or vigil (default: vigil, or the config file's profile).")
  String profile;

  @Option(
      names = "--fail-on",
      paramLabel = "SEVERITY",
      description =
          "Exit 1 when a finding is at or above: error, warning or info (default: warning).")
  String failOn;

  @Mixin FormatOption formatOption;

  @Mixin OutOption outOption;

  /** The spelling before -o/--output selected the format everywhere; kept for one release. */
  @Option(
      names = {"-f", "--format"},
      hidden = true)
  Format legacyFormat;

  private Format format;
  private Path output;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "Config file: profile, failOn, stationProfile, kubernetesVersion, registries, requiredLabels, statefulImages, rules.")
  Path configFile;

  @Option(
      names = "--station-profile",
      paramLabel = "PROFILE",
      description =
          "homelab (default) or production; production flags NodePort/LoadBalancer Services.")
  String stationProfile;

  @Option(
      names = "--registry",
      paramLabel = "REGISTRY",
      description =
          "Allowed registry or registry/path prefix (repeatable; replaces the configured list).")
  List<String> registries;

  @Option(
      names = "--required-label",
      paramLabel = "LABEL",
      description = "Required label key (repeatable; replaces the configured list).")
  List<String> requiredLabels;

  @Option(
      names = "--kubernetes-version",
      paramLabel = "VERSION",
      description =
          "Kubernetes release the manifests are for, e.g. 1.30: which API versions are deprecated or removed (default: the newest known).")
  String kubernetesVersion;

  @Option(
      names = "--stateful-image",
      paramLabel = "IMAGE",
      description =
          "Image short name that keeps state and belongs in a StatefulSet (repeatable; replaces the list, default: Vigil's stateful components).")
  List<String> statefulImages;

  @Option(
      names = "--promtool",
      description =
          "Also run 'promtool check rules' (from PATH) on every Prometheus rule file, at most 20 s each.")
  boolean promtool;

  @Option(names = "--disable", paramLabel = "RULE", description = "Turn a rule off (repeatable).")
  List<String> disabled;

  @Option(
      names = "--enable",
      paramLabel = "RULE",
      description = "Turn a rule on outside its profile (repeatable).")
  List<String> enabled;

  @Option(
      names = "--no-color",
      description = "Never colour the human output (NO_COLOR is honoured too).")
  boolean noColor;

  @Option(
      names = "--list-rules",
      description = "Print every rule with its id, severity and profile, then exit.")
  boolean listRules;

  private final InputStream stdin;
  private final Function<String, String> env;
  private final boolean terminal;

  public LintCommand() {
    this(System.in, System::getenv, System.console() != null);
  }

  /** For tests and embedding: explicit stdin, environment and whether stdout is a terminal. */
  public LintCommand(InputStream stdin, Function<String, String> env, boolean terminal) {
    this.stdin = stdin;
    this.env = env;
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    output = outOption.out;
    boolean[] oNamedAFile = {false};
    format =
        Format.valueOf(
            formatOption.resolve(
                spec,
                "human",
                FORMATS,
                legacy -> {
                  output = Path.of(legacy);
                  oNamedAFile[0] = true;
                }));
    if (legacyFormat != null) {
      err.println(
          "vigil lint: -f/--format is now -o/--output (the same everywhere in vigil); taking "
              + legacyFormat
              + " this time. The old spelling goes in the next release.");
      if (formatOption.output == null || oNamedAFile[0]) {
        format = legacyFormat;
      }
    }
    LintConfig config;
    try {
      config = configure();
    } catch (LintConfig.ConfigException | IllegalArgumentException e) {
      err.println("vigil lint: " + e.getMessage());
      err.flush();
      return 2;
    }
    if (listRules) {
      return listRules(config);
    }
    if (paths.isEmpty()) {
      err.println("vigil lint: no input; give files, directories or '-' for stdin");
      err.println(spec.commandLine().getUsageMessage());
      err.flush();
      return 2;
    }
    Linter linter = new Linter(config);
    Report report = linter.lintInputs(paths, stdin, Loader.findOnPath("kubectl"));
    try {
      if (output != null) {
        try (PrintWriter w =
            new PrintWriter(
                new OutputStreamWriter(Files.newOutputStream(output), StandardCharsets.UTF_8))) {
          render(report, w, false);
        }
      } else {
        render(report, spec.commandLine().getOut(), color());
      }
    } catch (IOException e) {
      err.println("vigil lint: cannot write " + output + ": " + e.getMessage());
      err.flush();
      return 2;
    }
    if (format != Format.human || output != null) {
      // Machine formats go to stdout or a file; input errors still reach the person on stderr.
      for (InputError e : report.errors()) {
        err.println("vigil lint: " + e);
      }
      err.flush();
    }
    return report.exitCode();
  }

  private void render(Report report, PrintWriter w, boolean color) {
    switch (format) {
      case human -> HumanFormat.write(report, w, color);
      case json -> JsonFormat.write(report, w);
      case sarif -> SarifFormat.write(report, w, version());
      case junit -> JunitFormat.write(report, w);
    }
    w.flush();
  }

  private boolean color() {
    String noColorEnv = env.apply("NO_COLOR");
    return terminal && !noColor && (noColorEnv == null || noColorEnv.isEmpty());
  }

  static String version() {
    return VersionProvider.version();
  }

  private LintConfig configure() throws LintConfig.ConfigException {
    LintConfig c = LintConfig.defaults().withStatefulImages(StackLint.statefulImageNames());
    if (configFile != null) {
      c = LintConfig.load(configFile, c, Linter.ruleIds());
    }
    if (profile != null) {
      c = c.withProfile(LintProfile.parse(profile));
    }
    if (failOn != null) {
      c = c.withFailOn(Severity.parse(failOn));
    }
    if (stationProfile != null) {
      c = c.withStationProfile(StationProfile.parse(stationProfile));
    }
    if (registries != null) {
      c = c.withRegistries(registries);
    }
    if (requiredLabels != null) {
      c = c.withRequiredLabels(requiredLabels);
    }
    if (kubernetesVersion != null) {
      c = c.withKubernetesVersion(kubernetesVersion);
    }
    if (statefulImages != null) {
      c = c.withStatefulImages(statefulImages);
    }
    if (promtool) {
      c =
          c.withPromtool(
              Loader.findOnPath("promtool")
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "--promtool: promtool is not on PATH (it comes with Prometheus; Debian: apt-get install prometheus)")));
    }
    for (String id : Optional.ofNullable(disabled).orElse(List.of())) {
      c = c.withRuleOverride(known(id), new LintConfig.RuleOverride(false, null));
    }
    for (String id : Optional.ofNullable(enabled).orElse(List.of())) {
      c = c.withRuleOverride(known(id), new LintConfig.RuleOverride(true, null));
    }
    return c;
  }

  private static String known(String id) {
    if (!Linter.ruleIds().contains(id)) {
      throw new IllegalArgumentException("unknown rule id '" + id + "' (see --list-rules)");
    }
    return id;
  }

  private int listRules(LintConfig config) {
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Report.RuleRun> active = new java.util.HashMap<>();
    new Linter(config).activeRules().forEach(r -> active.put(r.rule().id(), r));
    out.printf("%-30s %-8s %-11s %-6s %s%n", "RULE", "SEVERITY", "PROFILE", "ACTIVE", "TITLE");
    for (Rule r : Rules.all()) {
      Report.RuleRun run = active.get(r.id());
      out.printf(
          "%-30s %-8s %-11s %-6s %s%n",
          r.id(),
          (run == null ? r.severity() : run.severity()).label(),
          r.level().label(),
          run == null ? "no" : "yes",
          r.title());
    }
    out.flush();
    return 0;
  }
}
