package dev.vigil.render.grafana.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes the golden dashboard files that {@link DashboardGoldenTest} compares against, each beside
 * its definition: {@code <uid>.dashboard.json} in the test resources of the definition's package.
 * Run it explicitly after an intended dashboard change (the test never rewrites them itself):
 *
 * <pre>
 * ./mvnw -B -q -pl vigil-render test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.vigil.render.grafana.dashboard.DashboardGoldens
 * </pre>
 */
public final class DashboardGoldens {
  static final String SUFFIX = ".dashboard.json";

  /** The resource tree every component's test resources live under. */
  static final String ROOT = "dev/vigil/render";

  private DashboardGoldens() {}

  /** uid → the resource path of its golden file, beside the class that defines the dashboard. */
  static Map<String, String> resources() {
    Map<String, String> out = new TreeMap<>();
    for (DashboardDefinition def : Dashboards.catalog()) {
      out.put(
          def.uid(), def.getClass().getPackageName().replace('.', '/') + "/" + def.uid() + SUFFIX);
    }
    return out;
  }

  /** Every golden dashboard file under {@code resources}, as resource paths. */
  static List<String> existing(Path resources) {
    try (Stream<Path> files = Files.walk(resources.resolve(ROOT))) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(SUFFIX))
          .map(p -> resources.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void main(String[] args) throws IOException {
    Path resources = args.length > 0 ? Path.of(args[0]) : defaultDir();
    for (String old : existing(resources)) {
      Files.delete(resources.resolve(old));
    }
    Map<String, String> where = resources();
    List<Dashboard> dashboards = QueryCorpus.all();
    for (Dashboard d : dashboards) {
      Path file = resources.resolve(where.get(d.uid()));
      Files.createDirectories(file.getParent());
      Files.writeString(file, d.toJson(), StandardCharsets.UTF_8);
    }
    System.out.println("wrote " + dashboards.size() + " dashboards beside their definitions");
  }

  /** The module's test resources, whether run from the repository root or the module. */
  private static Path defaultDir() {
    Path module =
        Files.isDirectory(Path.of("vigil-render")) ? Path.of("vigil-render") : Path.of(".");
    return module.resolve("src/test/resources");
  }
}
