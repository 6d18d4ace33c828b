package dev.vigil.render.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.render.Component;
import dev.vigil.render.ComponentRegistry;
import dev.vigil.render.ComponentRenderer;
import dev.vigil.render.Tag;
import dev.vigil.testing.Repo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Locates the Prometheus rule files each component declares, beside its renderer's class, and their
 * promtool unit tests beside them on the test class path. The list comes from the component
 * registry, so a component's new rule file is found (and must have its tests) without being named
 * here.
 */
final class RuleFiles {
  static final String RULES_SUFFIX = ".rules.yaml";
  static final String TEST_SUFFIX = ".rules.test.yaml";
  static final String RUNBOOK_BASE = "https://github.com/vigil-dev/vigil/blob/main/docs/alerts.md#";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RuleFiles() {}

  /**
   * A rule file: its base name ("general", "node-exporter", ...), the component that declares it,
   * and where it is.
   */
  record RuleFile(String component, Component owner, Path path, Path testFile) {
    String fileName() {
      return path.getFileName().toString();
    }

    JsonNode yaml() {
      return read(path);
    }

    /** The docs file its alerts are indexed in: docs/alerts-TAG.md for a tag that has one. */
    String alertDoc() {
      for (Tag t : owner.tags()) {
        String name = "alerts-" + t.label() + ".md";
        if (Files.isRegularFile(repoRoot().resolve("docs").resolve(name))) {
          return name;
        }
      }
      return "alerts.md";
    }

    /** Whether its alerts are indexed in docs/alerts.md, the core index. */
    boolean core() {
      return alertDoc().equals("alerts.md");
    }

    @Override
    public String toString() {
      return fileName();
    }
  }

  /** Every rule file a component declares, sorted by base name. */
  static List<RuleFile> ruleFiles() {
    TreeMap<String, RuleFile> found = new TreeMap<>();
    for (ComponentRenderer r : ComponentRegistry.load().renderers()) {
      for (String file : r.component().ruleFiles()) {
        String base = file.substring(0, file.length() - RULES_SUFFIX.length());
        Path path = resource(r.getClass(), file);
        if (path == null) {
          throw new IllegalStateException(
              r.name() + " declares " + file + " but it is not beside " + r.getClass().getName());
        }
        found.put(
            base,
            new RuleFile(base, r.component(), path, resource(r.getClass(), base + TEST_SUFFIX)));
      }
    }
    return new ArrayList<>(found.values());
  }

  /** Base name to its {@code <name>.rules.test.yaml}, for the rule files that have one. */
  static TreeMap<String, Path> testFiles() {
    TreeMap<String, Path> out = new TreeMap<>();
    ruleFiles().stream()
        .filter(f -> f.testFile() != null)
        .forEach(f -> out.put(f.component(), f.testFile()));
    return out;
  }

  /** A resource beside {@code owner}'s class, as a path (from a jar in integration tests). */
  private static Path resource(Class<?> owner, String name) {
    URL url = owner.getResource(name);
    if (url == null) {
      return null;
    }
    try {
      return switch (url.getProtocol()) {
        case "file" -> Path.of(url.toURI());
        case "jar" -> {
          String u = url.toString();
          yield jarFileSystem(url.toURI()).getPath(u.substring(u.indexOf("!/") + 1));
        }
        default -> throw new IllegalStateException("cannot read rule file at " + url);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FileSystem jarFileSystem(URI uri) throws IOException {
    URI jar = URI.create(uri.toString().substring(0, uri.toString().indexOf("!/") + 2));
    try {
      return FileSystems.newFileSystem(jar, Map.of());
    } catch (FileSystemAlreadyExistsException e) {
      return FileSystems.getFileSystem(jar);
    }
  }

  static JsonNode read(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      JsonNode node = YAML.readTree(in);
      if (node == null || node.isMissingNode()) {
        throw new IllegalStateException(path.getFileName() + " is empty");
      }
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot parse " + path.getFileName() + ": " + e.getMessage(), e);
    }
  }

  static JsonNode parse(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every alerting rule ({@code alert:} entries) of a rule file, in file order. */
  static List<JsonNode> alerts(JsonNode rulesYaml) {
    return rules(rulesYaml, "alert");
  }

  /** Every recording rule ({@code record:} entries) of a rule file, in file order. */
  static List<JsonNode> recordings(JsonNode rulesYaml) {
    return rules(rulesYaml, "record");
  }

  private static List<JsonNode> rules(JsonNode rulesYaml, String kind) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode group : rulesYaml.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.hasNonNull(kind)) {
          out.add(rule);
        }
      }
    }
    return out;
  }

  static String runbookUrl(String alertName) {
    return RUNBOOK_BASE + alertName.toLowerCase(Locale.ROOT);
  }

  static Path repoRoot() {
    return Repo.root();
  }

  /** docs/alerts.md and every docs/alerts-*.md, sorted. */
  static List<Path> alertDocs() {
    Path docs = repoRoot().resolve("docs");
    List<Path> out = new ArrayList<>();
    if (Files.isDirectory(docs)) {
      try (Stream<Path> entries = Files.list(docs)) {
        entries
            .filter(
                p -> {
                  String n = p.getFileName().toString();
                  return n.equals("alerts.md") || (n.startsWith("alerts-") && n.endsWith(".md"));
                })
            .sorted()
            .forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }
}
