package dev.vigil.lint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads manifests and monitoring configuration from files, directories, stdin and Kustomize
 * directories. A broken file becomes an {@link InputError} and never stops the others.
 */
public final class Loader {
  private static final List<String> KUSTOMIZATION =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
  private static final List<String> EXTENSIONS =
      List.of(".yaml", ".yml", ".json", ".ini", ".alloy", ".river");

  private final InputStream stdin;
  private final Optional<Path> kubectl;
  private final List<Manifest> manifests = new ArrayList<>();
  private final List<ConfigDoc> configs = new ArrayList<>();
  private final List<InputError> errors = new ArrayList<>();

  /** Everything read from the inputs. */
  public record Loaded(List<Manifest> manifests, List<ConfigDoc> configs, List<InputError> errors) {}

  public Loader(InputStream stdin, Optional<Path> kubectl) {
    this.stdin = stdin;
    this.kubectl = kubectl;
  }

  /** A loader that reads stdin from the process and finds kubectl on PATH. */
  public static Loader standard() {
    return new Loader(System.in, findOnPath("kubectl"));
  }

  public static Optional<Path> findOnPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  public Loaded load(List<String> inputs) {
    for (String input : inputs) {
      if (input.equals("-")) {
        try {
          loadText("-", new String(stdin.readAllBytes(), StandardCharsets.UTF_8), "-");
        } catch (IOException e) {
          errors.add(new InputError("-", 0, "cannot read stdin: " + e.getMessage()));
        }
        continue;
      }
      Path p = Path.of(input);
      if (Files.isDirectory(p)) {
        loadDirectory(p, input);
      } else if (Files.isRegularFile(p)) {
        if (KUSTOMIZATION.contains(p.getFileName().toString())) {
          kustomize(p.getParent() == null ? Path.of(".") : p.getParent());
        } else {
          loadFile(p, input);
        }
      } else {
        errors.add(new InputError(input, 0, "no such file or directory"));
      }
    }
    return new Loaded(List.copyOf(manifests), List.copyOf(configs), List.copyOf(errors));
  }

  private void loadDirectory(Path dir, String display) {
    if (isKustomization(dir)) {
      kustomize(dir);
      return;
    }
    List<Path> children;
    try (Stream<Path> s = Files.list(dir)) {
      children = s.sorted().toList();
    } catch (IOException e) {
      errors.add(new InputError(display, 0, "cannot list directory: " + e.getMessage()));
      return;
    }
    for (Path c : children) {
      String name = c.getFileName().toString();
      if (name.startsWith(".")) {
        continue;
      }
      if (Files.isDirectory(c)) {
        loadDirectory(c, c.toString());
      } else if (hasExtension(name)) {
        loadFile(c, c.toString());
      }
    }
  }

  private static boolean hasExtension(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(lower::endsWith);
  }

  private static boolean isKustomization(Path dir) {
    return KUSTOMIZATION.stream().anyMatch(k -> Files.isRegularFile(dir.resolve(k)));
  }

  private void kustomize(Path dir) {
    String display = dir.toString();
    if (kubectl.isEmpty()) {
      errors.add(
          new InputError(
              display,
              0,
              "Kustomize directory, but kubectl is not on PATH: install kubectl, or render it"
                  + " yourself and pipe it in (kustomize build "
                  + display
                  + " | vigil lint -)"));
      return;
    }
    try {
      Path out = Files.createTempFile("vigil-kustomize", ".yaml");
      Path err = Files.createTempFile("vigil-kustomize", ".err");
      try {
        Process proc =
            new ProcessBuilder(kubectl.get().toString(), "kustomize", dir.toString())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        if (!proc.waitFor(120, TimeUnit.SECONDS)) {
          proc.destroyForcibly();
          errors.add(new InputError(display, 0, "kubectl kustomize timed out after 120 s"));
          return;
        }
        if (proc.exitValue() != 0) {
          errors.add(
              new InputError(
                  display, 0, "kubectl kustomize failed: " + Files.readString(err).strip()));
          return;
        }
        loadText(display + " (kustomize)", Files.readString(out), display);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      errors.add(new InputError(display, 0, "cannot run kubectl kustomize: " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      errors.add(new InputError(display, 0, "interrupted while running kubectl kustomize"));
    }
  }

  private void loadFile(Path file, String display) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      errors.add(new InputError(display, 0, "cannot read file: " + e.getMessage()));
      return;
    } catch (RuntimeException e) {
      errors.add(new InputError(display, 0, "not UTF-8 text"));
      return;
    }
    loadText(display, text, file.getFileName().toString());
  }

  /** Parses one input's text; {@code fileName} decides INI and Alloy handling. */
  void loadText(String display, String text, String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".ini")) {
      configs.add(new ConfigDoc(ConfigDoc.Type.GRAFANA_INI, text, null, null, display, display, 1));
      return;
    }
    if (lower.endsWith(".alloy") || lower.endsWith(".river")) {
      configs.add(new ConfigDoc(ConfigDoc.Type.ALLOY, text, null, null, display, display, 1));
      return;
    }
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(display)
            .setCodePointLimit(Integer.MAX_VALUE)
            .setAllowDuplicateKeys(false)
            .build();
    try {
      for (Node doc : new Compose(settings).composeAllFromString(text)) {
        if (doc == null) {
          continue;
        }
        Object value = convert(doc);
        if (value instanceof Map<?, ?> m) {
          @SuppressWarnings("unchecked")
          Map<String, Object> root = (Map<String, Object>) m;
          addDocument(display, lineOf(doc), root, fileName);
        }
      }
    } catch (DuplicateKey e) {
      errors.add(new InputError(display, e.line, "invalid YAML: duplicate key '" + e.key + "'"));
    } catch (MarkedYamlEngineException e) {
      // An unclosed construct is reported at the end of the stream; where it opened helps more.
      boolean atEnd = String.valueOf(e.getProblem()).contains("<stream end>");
      Optional<Mark> mark =
          atEnd && e.getContextMark().isPresent() ? e.getContextMark() : e.getProblemMark().or(e::getContextMark);
      int line = mark.map(m -> m.getLine() + 1).orElse(0);
      errors.add(new InputError(display, line, "invalid YAML: " + firstLine(e)));
    } catch (YamlEngineException e) {
      errors.add(new InputError(display, 0, "invalid YAML: " + firstLine(e)));
    }
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    if (e instanceof MarkedYamlEngineException me) {
      String problem = me.getProblem();
      String context = me.getContext();
      m = (context == null ? "" : context + ": ") + (problem == null ? m : problem);
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private void addDocument(
      String display, int line, Map<String, Object> root, String fileName) {
    String kind = Y.str(root, "kind");
    if (kind == null) {
      ConfigDoc.Type t = Sniffer.sniffYaml(root, fileName);
      if (t != null) {
        configs.add(new ConfigDoc(t, null, root, null, display, display, line));
      }
      return;
    }
    if (kind.endsWith("List") && root.get("items") instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof Map<?, ?> m && Y.str(m, "kind") != null) {
          @SuppressWarnings("unchecked")
          Map<String, Object> child = (Map<String, Object>) m;
          int l = Located.line(child);
          manifests.add(new Manifest(display, l > 0 ? l : line, child));
        }
      }
      return;
    }
    Manifest m = new Manifest(display, line, root);
    manifests.add(m);
    if (kind.equals("ConfigMap")) {
      configs.addAll(Sniffer.fromConfigMap(m));
    }
  }

  private static final class DuplicateKey extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;
    final String key;

    DuplicateKey(int line, String key) {
      super(null, null, false, false);
      this.line = line;
      this.key = key;
    }
  }

  private static int lineOf(Node n) {
    return n.getStartMark().map(Mark::getLine).orElse(0) + 1;
  }

  // Keys and short values repeat across thousands of objects ("name", "image", "ALL");
  // sharing one String per spelling keeps large inputs small.
  private final Map<String, String> strings = new HashMap<>();

  private String share(String s) {
    if (s.length() > 48) {
      return s;
    }
    String shared = strings.putIfAbsent(s, s);
    if (shared == null && strings.size() > 100_000) {
      strings.clear();
    }
    return shared == null ? s : shared;
  }

  private Object convert(Node node) {
    if (node instanceof MappingNode mn) {
      List<NodeTuple> tuples = mn.getValue();
      Located.LineMap map = new Located.LineMap((int) (tuples.size() / 0.75f) + 1, lineOf(node));
      for (NodeTuple t : tuples) {
        String k = String.valueOf(convert(t.getKeyNode()));
        if (map.containsKey(k)) {
          // Kubernetes rejects duplicate keys; silently keeping one would lint a different object.
          throw new DuplicateKey(lineOf(t.getKeyNode()), k);
        }
        map.put(k, convert(t.getValueNode()));
      }
      return map;
    }
    if (node instanceof SequenceNode sn) {
      Located.LineList list = new Located.LineList(sn.getValue().size(), lineOf(node));
      for (Node c : sn.getValue()) {
        list.add(convert(c));
      }
      return list;
    }
    ScalarNode s = (ScalarNode) node;
    String v = s.getValue();
    Tag tag = s.getTag();
    if (tag.equals(Tag.NULL)) {
      return null;
    }
    if (tag.equals(Tag.BOOL)) {
      return Boolean.parseBoolean(v.toLowerCase(Locale.ROOT));
    }
    if (tag.equals(Tag.INT)) {
      try {
        if (v.startsWith("0x")) {
          return Long.parseLong(v.substring(2), 16);
        }
        if (v.startsWith("0o")) {
          return Long.parseLong(v.substring(2), 8);
        }
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        return v;
      }
    }
    if (tag.equals(Tag.FLOAT)) {
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException e) {
        return v;
      }
    }
    return share(v);
  }
}
