package dev.vigil.render.contract;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.render.ComponentRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Loads the image contracts kept under {@code dev/vigil/render/contracts/}. Every image a component
 * declares has its contract in {@code <image name>.yaml} (derived from the registry, so a new
 * component lists its image nowhere else); the index names only what no component pins (the
 * Kubernetes programs Vigil scrapes) and the files of shared metric families. Each file names its
 * image, so a pinned image maps to its contract by repository. Unknown keys are errors: a misspelt
 * key would otherwise drop data silently.
 */
public final class Contracts {
  static final String DIR = "dev/vigil/render/contracts/";
  static final String INDEX = "index.yaml";

  private static final ObjectMapper MAPPER =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);

  private static volatile Contracts loaded;

  private final Map<String, ImageContract> byName;
  private final Map<String, SharedMetrics> shared;

  private Contracts(Map<String, ImageContract> byName, Map<String, SharedMetrics> shared) {
    this.byName = Collections.unmodifiableMap(byName);
    this.shared = Collections.unmodifiableMap(shared);
  }

  /**
   * The index of contract files no component declares.
   *
   * @param platform contracts of programs Vigil scrapes but does not pin
   * @param shared metric families several images expose through one library
   */
  public record Index(List<String> platform, List<String> shared) {
    public Index {
      platform = ImageContract.list(platform);
      shared = ImageContract.list(shared);
    }
  }

  /** Every contract named by the index, loaded once. */
  public static Contracts load() {
    Contracts c = loaded;
    if (c == null) {
      synchronized (Contracts.class) {
        c = loaded;
        if (c == null) {
          c = read();
          loaded = c;
        }
      }
    }
    return c;
  }

  private static Contracts read() {
    Index index = parse(INDEX, Index.class);
    Map<String, SharedMetrics> shared = new LinkedHashMap<>();
    for (String name : index.shared()) {
      SharedMetrics s = parse(name + ".yaml", SharedMetrics.class);
      if (!s.name().equals(name)) {
        throw new ContractException(
            DIR + name + ".yaml: name: expected '" + name + "', got '" + s.name() + "'");
      }
      shared.put(name, s);
    }
    Map<String, ImageContract> byName = new LinkedHashMap<>();
    Map<String, String> repositories = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(ComponentRegistry.load().images().keySet());
    for (String name : index.platform()) {
      if (names.contains(name)) {
        throw new ContractException(
            DIR
                + INDEX
                + ": platform: '"
                + name
                + "' is an image a component declares;"
                + " its contract is found without the index");
      }
      names.add(name);
    }
    for (String name : names) {
      ImageContract contract = parse(name + ".yaml", ImageContract.class);
      String other =
          contract.image() == null ? null : repositories.putIfAbsent(contract.image(), name);
      if (other != null) {
        throw new ContractException(
            DIR
                + name
                + ".yaml: image: "
                + contract.image()
                + " already has a contract in "
                + other
                + ".yaml");
      }
      for (String s : contract.sharedMetrics()) {
        if (!shared.containsKey(s)) {
          throw new ContractException(
              DIR
                  + name
                  + ".yaml: sharedMetrics: '"
                  + s
                  + "' is not a shared file of the index "
                  + index.shared());
        }
      }
      byName.put(name, contract);
    }
    return new Contracts(byName, shared);
  }

  /** Reads one file of the contracts directory as the given type, with located errors. */
  static <T> T parse(String file, Class<T> type) {
    String resource = DIR + file;
    try (InputStream in = Contracts.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ContractException(resource + ": not found on the classpath");
      }
      return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8), type);
    } catch (IOException e) {
      throw new ContractException(resource + ": " + e.getMessage(), e);
    }
  }

  /** Parses contract text; {@code name} is the file name errors are reported against. */
  static <T> T parse(String name, String text, Class<T> type) {
    try {
      T value = MAPPER.readValue(text, type);
      if (value == null) {
        throw new ContractException(name + ": empty file");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new ContractException(located(name, text, e), e);
    }
  }

  static String located(String resource, String text, JsonProcessingException e) {
    StringBuilder sb = new StringBuilder(resource);
    JsonLocation at = e.getLocation();
    String field = "";
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      field = path(m.getPath());
      // Record properties are buffered until the whole object is read, so Jackson reports the end
      // of the object; the key's own position is looked up instead.
      JsonLocation key = keyLocations(text).get(pointer(m.getPath()));
      if (key != null) {
        at = key;
      }
    }
    if (at != null && at.getLineNr() > 0) {
      sb.append(':').append(at.getLineNr()).append(':').append(at.getColumnNr());
    }
    sb.append(": ");
    if (!field.isEmpty()) {
      sb.append(field).append(": ");
    }
    if (e instanceof UnrecognizedPropertyException u) {
      sb.append("unknown key '")
          .append(u.getPropertyName())
          .append("'; expected one of ")
          .append(u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList());
    } else {
      Throwable cause = e.getCause();
      // A record constructor's own message says what was expected; Jackson's wrapper does not.
      sb.append(
          cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage());
    }
    return sb.toString();
  }

  /** JSON pointer of every key and array element → where it starts in the text. */
  private static Map<String, JsonLocation> keyLocations(String text) {
    Map<String, JsonLocation> at = new LinkedHashMap<>();
    try (JsonParser p = MAPPER.getFactory().createParser(text)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          continue;
        }
        JsonStreamContext ctx = p.getParsingContext();
        // A container's own context is the one it opens; its position belongs to the parent's path.
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          ctx = ctx.getParent();
        }
        if (ctx != null) {
          at.putIfAbsent(ctx.pathAsPointer().toString(), p.currentTokenLocation());
        }
      }
    } catch (IOException ignored) {
      // The text did not even parse; the caller falls back to Jackson's own location.
    }
    return at;
  }

  private static String pointer(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      sb.append('/');
      sb.append(
          r.getFieldName() != null
              ? r.getFieldName().replace("~", "~0").replace("/", "~1")
              : r.getIndex());
    }
    return sb.toString();
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** Contract short name (file name without .yaml) → contract, in index order. */
  public Map<String, ImageContract> all() {
    return byName;
  }

  public Optional<ImageContract> byName(String shortName) {
    return Optional.ofNullable(byName.get(shortName));
  }

  /**
   * The contract for an image reference ({@code repo:tag} or {@code repo@digest}), matched by
   * repository. The tag is not compared here: callers compare it with {@link ImageContract#tag()}
   * and {@link ImageContract#pinnedTag()}.
   */
  public Optional<ImageContract> forImage(String reference) {
    String repository = repository(reference);
    return byName.values().stream().filter(c -> repository.equals(c.image())).findFirst();
  }

  public Map<String, SharedMetrics> shared() {
    return shared;
  }

  /** The contract's own metrics plus those of the shared files it names. */
  public List<ImageContract.Metric> metricsOf(ImageContract contract) {
    List<ImageContract.Metric> all = new ArrayList<>(contract.metrics());
    for (String s : contract.sharedMetrics()) {
      all.addAll(shared.get(s).metrics());
    }
    return all;
  }

  /** Short names of every contract, sorted. */
  public List<String> names() {
    return byName.keySet().stream().sorted().collect(Collectors.toList());
  }

  /** The repository part of an image reference: without {@code :tag} and {@code @digest}. */
  public static String repository(String reference) {
    String r = reference;
    int at = r.indexOf('@');
    if (at >= 0) {
      r = r.substring(0, at);
    }
    int colon = r.lastIndexOf(':');
    int slash = r.lastIndexOf('/');
    return colon > slash ? r.substring(0, colon) : r;
  }
}
