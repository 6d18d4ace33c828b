package dev.vigil.render.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.Tools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Holds an image's contract against the Debian build of the same program: the checks that {@link
 * DebianBinaryContractIT} runs for the core programs and that a component's own test runs for its
 * exporter (as {@code blackbox/BlackboxExporterDebianIT} does). Debian's builds are older than the
 * pins, so a name that exists in both is unlikely to be a typo in the contract.
 */
public final class DebianBuilds {
  static final Path GOLDEN = Path.of("..").resolve("vigil-cli/src/test/resources/golden");
  private static final Pattern HELP_FLAG = Pattern.compile("--(?:\\[no-])?([a-zA-Z0-9][\\w.-]*)");
  private static final Pattern TYPE_LINE = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$");
  private static String queries;

  private DebianBuilds() {}

  private static synchronized String queries() {
    if (queries == null) {
      try {
        queries = rulesAndDashboards();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return queries;
  }

  /**
   * Flags Vigil passes ({@code used}, bare names) must be in the contract and in the Debian build's
   * {@code --help} (or the contract must say they came later).
   */
  public static void checkFlags(ImageContract contract, Path bin, Set<String> used) {
    Tools.Run help = Tools.run(null, 30, bin.toString(), "--help");
    assertThat(help.ok()).as(bin + " --help\n" + help.output()).isTrue();
    Set<String> debian = new TreeSet<>();
    Matcher m = HELP_FLAG.matcher(help.output());
    while (m.find()) {
      debian.add(m.group(1));
    }
    assertThat(used).as("flags Vigil renders for " + contract.image()).isNotEmpty();
    List<String> problems = new ArrayList<>();
    for (String flag : used) {
      var f = contract.flag(flag);
      if (f.isEmpty()) {
        problems.add(
            "Vigil passes --" + flag + ", which " + contract.reference() + " does not accept");
      } else if (!debian.contains(flag) && f.get().since() == null) {
        problems.add("--" + flag + " is not in " + bin + " --help and the contract has no since:");
      }
    }
    System.out.printf(
        "%s: %d flags Vigil passes checked against %s --help%n",
        contract.image(), used.size(), bin);
    assertThat(problems).isEmpty();
  }

  /**
   * Metrics Vigil queries must be exposed by the Debian build with the same type, or be newer.
   *
   * @param scraped family name → type, as the build exposed them ({@link #types})
   * @param notHere why a metric cannot be produced on this machine, or null when it can
   */
  public static void checkMetrics(
      ImageContract contract,
      String version,
      Map<String, String> scraped,
      Function<ImageContract.Metric, String> notHere) {
    Contracts contracts = Contracts.load();
    List<String> problems = new ArrayList<>();
    List<String> notChecked = new ArrayList<>();
    int checked = 0;
    for (ImageContract.Metric metric : contracts.metricsOf(contract)) {
      if (!usedByVigil(metric.name())) {
        continue;
      }
      if ("synthetic".equals(metric.collector())) {
        notChecked.add(metric.name() + " (written into the TSDB, not on /metrics)");
        continue;
      }
      String why = notHere.apply(metric);
      if (why != null) {
        notChecked.add(metric.name() + " (" + why + ")");
        continue;
      }
      String type = scraped.get(metric.name());
      if (type == null) {
        if (metric.since() == null) {
          problems.add(
              metric.name() + " is not exposed by " + version + " and the contract has no since:");
        }
        continue;
      }
      checked++;
      if (!type.equals(metric.type())) {
        problems.add(
            metric.name()
                + ": "
                + version
                + " exposes a "
                + type
                + ", the contract says "
                + metric.type());
      }
    }
    System.out.printf(
        "%s: %d queried metrics checked against %s; not checkable here: %s%n",
        contract.image(), checked, version, notChecked);
    assertThat(checked).as("metrics Vigil queries that were checked").isPositive();
    assertThat(problems).isEmpty();
  }

  /** Whether a rule file or a rendered dashboard reads the family. */
  public static boolean usedByVigil(String name) {
    return Pattern.compile("(?<![\\w:])" + Pattern.quote(name) + "(_bucket|_sum|_count)?(?![\\w:])")
        .matcher(queries())
        .find();
  }

  /** Family name → type, from the {@code # TYPE} lines of an exposition. */
  public static Map<String, String> types(String exposition) {
    Map<String, String> types = new TreeMap<>();
    Matcher m = TYPE_LINE.matcher(exposition);
    while (m.find()) {
      types.put(m.group(1), m.group(2));
    }
    return types;
  }

  /** The program and the first line of its {@code --version}, printed for the test log. */
  public static String version(Path bin) {
    Tools.Run v = Tools.run(null, 30, bin.toString(), "--version");
    String first = v.output().lines().findFirst().orElse("?");
    System.out.println("ran " + bin + ": " + first);
    return bin.getFileName() + " (" + first + ")";
  }

  /** The text of Vigil's rule files and of every rendered dashboard. */
  private static String rulesAndDashboards() throws IOException {
    List<Path> files = new ArrayList<>();
    // Rule files live beside the renderer of the component that ships them.
    try (Stream<Path> s = Files.walk(Path.of("src/main/resources/dev/vigil/render"))) {
      s.filter(p -> p.toString().endsWith(".rules.yaml")).forEach(files::add);
    }
    try (Stream<Path> s = Files.walk(GOLDEN)) {
      s.filter(p -> p.getFileName().toString().startsWith("configmap-grafana-dashboard-"))
          .forEach(files::add);
    }
    // Dashboard goldens live beside the definitions of their component's dashboards.
    try (Stream<Path> s = Files.walk(Path.of("src/test/resources/dev/vigil/render"))) {
      s.filter(p -> p.toString().endsWith(".dashboard.json")).forEach(files::add);
    }
    Set<String> texts = new LinkedHashSet<>();
    for (Path f : files) {
      try {
        texts.add(Files.readString(f));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    assertThat(texts).as("rule files and dashboards").hasSizeGreaterThan(10);
    return String.join("\n", texts);
  }
}
