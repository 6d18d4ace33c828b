package dev.vigil.render.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Locates the Prometheus rule files shipped in {@code dev/vigil/render/rules/} and their promtool
 * unit tests, wherever they sit on the test class path (main resources and test resources are
 * separate directories, and other modules' engineers add files there later).
 */
final class RuleFiles {
  static final String FOLDER = "dev/vigil/render/rules";
  static final String RULES_SUFFIX = ".rules.yaml";
  static final String TEST_SUFFIX = ".rules.test.yaml";
  static final String RUNBOOK_BASE = "https://github.com/vigil-dev/vigil/blob/main/docs/alerts.md#";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RuleFiles() {}

  /** A rule file and the component it belongs to ("general", "node-exporter", ...). */
  record RuleFile(String component, Path path) {
    String fileName() {
      return path.getFileName().toString();
    }

    JsonNode yaml() {
      return read(path);
    }

    /** The promtool unit-test file next to it on the test class path, if there is one. */
    Path testFile() {
      return testFiles().get(component);
    }

    @Override
    public String toString() {
      return fileName();
    }
  }

  /** Every {@code <component>.rules.yaml} on the class path, sorted by component. */
  static List<RuleFile> ruleFiles() {
    TreeMap<String, Path> found = scan(RULES_SUFFIX);
    List<RuleFile> files = new ArrayList<>();
    found.forEach((component, path) -> files.add(new RuleFile(component, path)));
    return files;
  }

  /** Component name to its {@code <component>.rules.test.yaml}. */
  static TreeMap<String, Path> testFiles() {
    return scan(TEST_SUFFIX);
  }

  private static TreeMap<String, Path> scan(String suffix) {
    TreeMap<String, Path> found = new TreeMap<>();
    for (Path dir : folders()) {
      try (Stream<Path> entries = Files.list(dir)) {
        entries
            .filter(p -> p.getFileName().toString().endsWith(suffix))
            .forEach(
                p -> {
                  String name = p.getFileName().toString();
                  String component = name.substring(0, name.length() - suffix.length());
                  Path previous = found.put(component, p);
                  if (previous != null && !previous.equals(p)) {
                    throw new IllegalStateException(
                        "two files for component " + component + ": " + previous + " and " + p);
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }

  private static List<Path> folders() {
    List<Path> dirs = new ArrayList<>();
    try {
      Enumeration<URL> urls = RuleFiles.class.getClassLoader().getResources(FOLDER);
      for (URL url : Collections.list(urls)) {
        switch (url.getProtocol()) {
          case "file" -> dirs.add(Path.of(url.toURI()));
          // Integration tests see the module's packaged jar instead of target/classes.
          case "jar" -> dirs.add(jarFileSystem(url.toURI()).getPath("/" + FOLDER));
          default -> throw new IllegalStateException("cannot list rule files at " + url);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return dirs;
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
