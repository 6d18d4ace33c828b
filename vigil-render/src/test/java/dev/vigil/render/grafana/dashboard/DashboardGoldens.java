package dev.vigil.render.grafana.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the golden dashboard files that {@link DashboardGoldenTest} compares against. Run it
 * explicitly after an intended dashboard change (the test never rewrites them itself):
 *
 * <pre>
 * ./mvnw -B -q -pl vigil-render test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.vigil.render.grafana.dashboard.DashboardGoldens
 * </pre>
 */
public final class DashboardGoldens {
  static final String RESOURCE_DIR = "dev/vigil/render/grafana/dashboard/golden";

  private DashboardGoldens() {}

  public static void main(String[] args) throws IOException {
    Path dir = args.length > 0 ? Path.of(args[0]) : defaultDir();
    Files.createDirectories(dir);
    try (Stream<Path> old = Files.list(dir)) {
      for (Path p : old.filter(p -> p.toString().endsWith(".json")).toList()) {
        Files.delete(p);
      }
    }
    List<Dashboard> dashboards = QueryCorpus.all();
    for (Dashboard d : dashboards) {
      Files.writeString(dir.resolve(d.fileName()), d.toJson(), StandardCharsets.UTF_8);
    }
    System.out.println("wrote " + dashboards.size() + " dashboards to " + dir);
  }

  /** The module's test resources, whether run from the repository root or the module. */
  private static Path defaultDir() {
    Path module =
        Files.isDirectory(Path.of("vigil-render")) ? Path.of("vigil-render") : Path.of(".");
    return module.resolve("src/test/resources").resolve(RESOURCE_DIR);
  }
}
