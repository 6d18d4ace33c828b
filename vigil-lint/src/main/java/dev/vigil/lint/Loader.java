package dev.vigil.lint;

import dev.vigil.base.input.InputException;
import dev.vigil.base.input.InputFiles;
import dev.vigil.base.input.YamlLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Reads manifests and monitoring configuration from files, directories, stdin and Kustomize
 * directories. A broken file becomes an {@link InputError} and never stops the others.
 */
public final class Loader {
  private static final List<String> KUSTOMIZATION =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
  private static final List<String> EXTENSIONS =
      List.of(".yaml", ".yml", ".json", ".ini", ".alloy", ".river");

  /** The largest file, standard input or Kustomize output read; far above any real manifest set. */
  public static final long MAX_INPUT_BYTES = 32L << 20;

  /** Files a directory walk reads at most. */
  public static final int MAX_FILES = 100_000;

  /** Depth, alias expansion, scalar length and document count of every YAML or JSON text read. */
  public static final YamlLimits LIMITS = YamlLimits.MANIFESTS;

  private static final long MAX_KUBECTL_STDERR = 64 << 10;

  private final InputStream stdin;
  private final Optional<Path> kubectl;
  private final List<Manifest> manifests = new ArrayList<>();
  private final List<ConfigDoc> configs = new ArrayList<>();
  private final List<InputError> errors = new ArrayList<>();
  private final Map<String, String> texts = new HashMap<>();
  private final Map<String, Path> files = new HashMap<>();

  /** false: every input through the full parser (the reference of the differential test). */
  boolean fastPath = true;

  /**
   * Everything read from the inputs.
   *
   * @param texts the text of sources that cannot be read again (standard input, Kustomize output),
   *     by display name, for locating a key on its line
   * @param files the file behind every other source, read again only to locate a key
   */
  public record Loaded(
      List<Manifest> manifests,
      List<ConfigDoc> configs,
      List<InputError> errors,
      Map<String, String> texts,
      Map<String, Path> files) {
    public Loaded(List<Manifest> manifests, List<ConfigDoc> configs, List<InputError> errors) {
      this(manifests, configs, errors, Map.of(), Map.of());
    }
  }

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
          byte[] bytes = InputFiles.readBounded("-", stdin, MAX_INPUT_BYTES);
          loadText("-", InputFiles.decodeUtf8("-", bytes), "-");
        } catch (InputException e) {
          errors.add(InputError.of("-", e));
        } catch (IOException e) {
          errors.add(new InputError("-", 0, "cannot read stdin: " + e.getMessage()));
        }
        continue;
      }
      String display = InputFiles.printable(input, 512);
      Path p;
      BasicFileAttributes attrs;
      try {
        p = Path.of(input);
        attrs = Files.readAttributes(p, BasicFileAttributes.class);
      } catch (NoSuchFileException | java.nio.file.InvalidPathException e) {
        errors.add(new InputError(display, 0, "no such file or directory"));
        continue;
      } catch (IOException e) {
        errors.add(new InputError(display, 0, "cannot read: " + e.getMessage()));
        continue;
      }
      if (attrs.isDirectory()) {
        loadDirectory(p, display);
      } else if (!attrs.isRegularFile()) {
        errors.add(
            new InputError(
                display,
                0,
                "not a regular file (a device, FIFO or socket); to lint a stream, pipe it in: ... | vigil lint -"));
      } else if (KUSTOMIZATION.contains(p.getFileName().toString())) {
        kustomize(p.getParent() == null ? Path.of(".") : p.getParent());
      } else {
        loadFile(p, display);
      }
    }
    return new Loaded(
        List.copyOf(manifests),
        List.copyOf(configs),
        List.copyOf(errors),
        Map.copyOf(texts),
        Map.copyOf(files));
  }

  // Every real directory and file is read once, however many symlinks lead to it; FIFOs and
  // devices are refused, not opened (a FIFO blocks forever, /dev/zero never ends).
  private void loadDirectory(Path dir, String display) {
    if (isKustomization(dir)) {
      kustomize(dir);
      return;
    }
    List<Path> kustomizations = new ArrayList<>();
    InputFiles.Walk walk =
        InputFiles.walk(
            dir,
            d -> {
              if (hidden(d)) {
                return false;
              }
              if (isKustomization(d)) {
                kustomizations.add(d);
                return false;
              }
              return true;
            },
            f -> !hidden(f) && hasExtension(f.getFileName().toString()),
            MAX_FILES);
    for (InputFiles.Refusal r : walk.refused()) {
      errors.add(new InputError(InputFiles.display(r.path()), 0, r.reason()));
    }
    // Files and Kustomize directories in path order, as a sorted depth-first walk meets them.
    java.util.TreeMap<Path, Boolean> inputs = new java.util.TreeMap<>();
    walk.files().forEach(f -> inputs.put(f, false));
    java.util.Set<Path> rendered = new java.util.HashSet<>();
    for (Path k : kustomizations) {
      Path real;
      try {
        real = k.toRealPath();
      } catch (IOException e) {
        real = k.toAbsolutePath().normalize();
      }
      if (rendered.add(real)) {
        inputs.put(k, true);
      }
    }
    inputs.forEach(
        (p, kustomization) -> {
          if (kustomization) {
            kustomize(p);
          } else {
            loadFile(p, InputFiles.display(p));
          }
        });
  }

  private static boolean hidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  private static boolean hasExtension(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(lower::endsWith);
  }

  static boolean isKustomizationFile(String fileName) {
    return KUSTOMIZATION.contains(fileName);
  }

  private static boolean isKustomization(Path dir) {
    return KUSTOMIZATION.stream().anyMatch(k -> Files.isRegularFile(dir.resolve(k)));
  }

  private void kustomize(Path dir) {
    String display = InputFiles.display(dir);
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
          String why;
          try (InputStream in = Files.newInputStream(err)) {
            why =
                new String(
                    InputFiles.readBounded(display, in, MAX_KUBECTL_STDERR),
                    StandardCharsets.UTF_8);
          } catch (InputException tooLong) {
            why = "(more than " + MAX_KUBECTL_STDERR + " bytes of error output)";
          }
          errors.add(new InputError(display, 0, "kubectl kustomize failed: " + why.strip()));
          return;
        }
        String source = display + " (kustomize)";
        String text;
        try {
          text = InputFiles.decodeUtf8(source, InputFiles.readBytes(out, MAX_INPUT_BYTES));
        } catch (InputException e) {
          errors.add(new InputError(source, 0, e.reason()));
          return;
        }
        loadText(source, text, display);
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
      text = InputFiles.readText(file, MAX_INPUT_BYTES);
    } catch (InputException e) {
      errors.add(InputError.of(display, e));
      return;
    }
    files.put(display, file);
    loadText(display, text, file.getFileName().toString());
  }

  /** Parses one input's text; {@code fileName} decides INI and Alloy handling. */
  void loadText(String display, String text, String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".ini")) {
      InputError bad = Syntax.ini(display, text);
      if (bad != null) {
        errors.add(bad);
      } else {
        configs.add(
            new ConfigDoc(ConfigDoc.Type.GRAFANA_INI, text, null, null, display, display, 1));
      }
      return;
    }
    if (lower.endsWith(".alloy") || lower.endsWith(".river")) {
      InputError bad = Syntax.alloy(display, text);
      if (bad != null) {
        errors.add(bad);
      } else {
        configs.add(new ConfigDoc(ConfigDoc.Type.ALLOY, text, null, null, display, display, 1));
      }
      return;
    }
    if (lower.endsWith(".json")) {
      InputError bad = Syntax.json(display, text, LIMITS);
      if (bad != null) {
        errors.add(bad);
        return;
      }
    }
    if (!files.containsKey(display)) {
      // Holding every file's text would cost as much memory again as the parsed objects; a
      // file is read again in the rare case a finding needs a key's line.
      texts.put(display, text);
    }
    if (fastPath) {
      try {
        List<FastYaml.Doc> docs = FastYaml.parse(text, scalars);
        for (FastYaml.Doc d : docs) {
          if (d.root() instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> root = (Map<String, Object>) m;
            addDocument(display, d.line(), root, fileName);
          }
        }
        return;
      } catch (FastYaml.Unsupported e) {
        // YAML beyond the manifest subset, or beyond a limit: the full parser reads the whole
        // text, once the bounds are checked on its event stream.
      }
    }
    try {
      LIMITS.check(display, text);
    } catch (InputException e) {
      errors.add(InputError.of(display, e));
      return;
    }
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(display)
            .setCodePointLimit(Integer.MAX_VALUE)
            .setAllowDuplicateKeys(false)
            .build();
    try {
      Iterator<Event> events = new Parse(settings).parseString(text).iterator();
      ScalarResolver resolver = settings.getSchema().getScalarResolver();
      while (events.hasNext()) {
        Event e = events.next();
        if (e.getEventId() != Event.ID.DocumentStart) {
          continue;
        }
        Map<Anchor, Object> anchors = new HashMap<>();
        Event first = events.next();
        Object value = build(first, events, resolver, anchors);
        if (value instanceof Map<?, ?> m) {
          @SuppressWarnings("unchecked")
          Map<String, Object> root = (Map<String, Object>) m;
          addDocument(display, lineOf(first), root, fileName);
        }
      }
    } catch (Problem e) {
      errors.add(new InputError(display, e.line, "invalid YAML: " + e.getMessage()));
    } catch (MarkedYamlEngineException e) {
      // An unclosed construct is reported at the end of the stream; where it opened helps more.
      boolean atEnd = String.valueOf(e.getProblem()).contains("<stream end>");
      Optional<Mark> mark =
          atEnd && e.getContextMark().isPresent()
              ? e.getContextMark()
              : e.getProblemMark().or(e::getContextMark);
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

  private void addDocument(String display, int line, Map<String, Object> root, String fileName) {
    String kind = YamlValues.str(root, "kind");
    if (kind == null) {
      ConfigDoc.Type t = Sniffer.sniffYaml(root, fileName);
      if (t != null) {
        configs.add(new ConfigDoc(t, null, root, null, display, display, line));
      }
      return;
    }
    if (kind.endsWith("List") && root.get("items") instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof Map<?, ?> m && YamlValues.str(m, "kind") != null) {
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
      configs.addAll(Sniffer.fromConfigMap(m, fastPath, errors));
    }
  }

  /** A located problem the parser does not report itself (duplicate key, unknown alias). */
  private static final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;

    Problem(int line, String message) {
      super(message, null, false, false);
      this.line = line;
    }
  }

  private static int lineOf(Event e) {
    return e.getStartMark().map(Mark::getLine).orElse(0) + 1;
  }

  // Keys and short values repeat across thousands of objects ("name", "image", "ALL");
  // sharing one String per spelling keeps large inputs small.
  private final Map<String, String> strings = new HashMap<>();

  /**
   * Plain scalars the fast reader met, by spelling: the value once resolved, without a new String.
   */
  private static final int RECENT = 1 << 12;

  private final char[][] recentSpellings = new char[RECENT][];
  private final Object[] recentValues = new Object[RECENT];

  private final FastYaml.Scalars scalars =
      new FastYaml.Scalars() {
        @Override
        public Object scalar(String v, boolean plain) {
          return Loader.this.scalar(v, JsonTags.resolve(v, plain));
        }

        // Most plain scalars of a large input are spellings seen a moment ago: the slot of their
        // hash answers with the value resolved then (Strings, Longs and Booleans are immutable),
        // and
        // neither a String nor a lookup in the shared-string map is made.
        @Override
        public Object plain(char[] cs, int from, int to) {
          int length = to - from;
          if (length > 48) {
            return scalar(new String(cs, from, length), true);
          }
          int h = 0;
          for (int i = from; i < to; i++) {
            h = 31 * h + cs[i];
          }
          int slot = (h ^ (h >>> 16)) & (RECENT - 1);
          char[] seen = recentSpellings[slot];
          if (seen != null && java.util.Arrays.equals(seen, 0, seen.length, cs, from, to)) {
            return recentValues[slot];
          }
          String v = new String(cs, from, length);
          Object value = scalar(v, true);
          if (value != null) {
            recentSpellings[slot] = java.util.Arrays.copyOfRange(cs, from, to);
            recentValues[slot] = value;
          }
          return value;
        }
      };

  private String share(String s) {
    if (s.length() > 48) {
      return s;
    }
    String shared = strings.get(s);
    if (shared == null) {
      // The JVM's own copy: a rule looking up "spec" or "containers" passes a literal, which is
      // that copy too, so the map finds its key by identity before comparing any characters.
      shared = s.intern();
      if (strings.size() > 100_000) {
        strings.clear();
      }
      strings.put(shared, shared);
    }
    return shared;
  }

  // Builds plain maps and lists straight from parser events: no intermediate node tree, which
  // halves the garbage on large inputs. Tags are resolved as the composer would.
  private Object build(
      Event e, Iterator<Event> events, ScalarResolver resolver, Map<Anchor, Object> anchors) {
    Object value;
    switch (e.getEventId()) {
      case MappingStart -> {
        Located.LineMap map = new Located.LineMap(4, lineOf(e));
        anchor(e, map, anchors);
        while (true) {
          Event k = events.next();
          if (k.getEventId() == Event.ID.MappingEnd) {
            break;
          }
          String key = String.valueOf(build(k, events, resolver, anchors));
          if (map.containsKey(key)) {
            // Kubernetes rejects duplicate keys; silently keeping one would lint a different
            // object.
            throw new Problem(lineOf(k), "duplicate key '" + key + "'");
          }
          map.put(key, build(events.next(), events, resolver, anchors));
        }
        return map;
      }
      case SequenceStart -> {
        Located.LineList list = new Located.LineList(2, lineOf(e));
        anchor(e, list, anchors);
        while (true) {
          Event item = events.next();
          if (item.getEventId() == Event.ID.SequenceEnd) {
            break;
          }
          list.add(build(item, events, resolver, anchors));
        }
        return list;
      }
      case Scalar -> {
        ScalarEvent s = (ScalarEvent) e;
        Optional<String> explicit = s.getTag();
        Tag tag =
            explicit.isEmpty() || explicit.get().equals("!")
                ? resolver.resolve(s.getValue(), s.getImplicit().canOmitTagInPlainScalar())
                : new Tag(explicit.get());
        value = scalar(s.getValue(), tag);
        anchor(e, value, anchors);
        return value;
      }
      case Alias -> {
        Anchor a = ((AliasEvent) e).getAlias();
        if (!anchors.containsKey(a)) {
          throw new Problem(lineOf(e), "unknown alias '" + a + "'");
        }
        return anchors.get(a);
      }
      default -> throw new Problem(lineOf(e), "unexpected " + e.getEventId());
    }
  }

  private static void anchor(Event e, Object value, Map<Anchor, Object> anchors) {
    if (e instanceof NodeEvent ne) {
      ne.getAnchor().ifPresent(a -> anchors.put(a, value));
    }
  }

  private Object scalar(String v, Tag tag) {
    if (tag == Tag.STR) {
      return share(v); // the common case, decided without comparing tag names
    }
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
      } catch (NumberFormatException ex) {
        return v;
      }
    }
    if (tag.equals(Tag.FLOAT)) {
      try {
        return Double.parseDouble(v);
      } catch (NumberFormatException ex) {
        return v;
      }
    }
    return share(v);
  }
}
