package dev.vigil.lint.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.lint.Finding;
import dev.vigil.lint.InputError;
import dev.vigil.lint.Report;
import dev.vigil.lint.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.Map;

/** SARIF 2.1.0, as code-scanning services ingest it. */
public final class SarifFormat {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

  private SarifFormat() {}

  static String level(Severity s) {
    return switch (s) {
      case ERROR -> "error";
      case WARNING -> "warning";
      case INFO -> "note";
    };
  }

  /** A relative URI reference for a path as the user gave it (forward slashes, escaped). */
  static String uri(String path) {
    String p = path.replace('\\', '/');
    if (p.startsWith("./")) {
      p = p.substring(2);
    }
    try {
      return new URI(null, null, p, null).toASCIIString();
    } catch (URISyntaxException e) {
      return "unknown";
    }
  }

  public static void write(Report report, Writer out, String version) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("$schema", SCHEMA);
    root.put("version", "2.1.0");
    ObjectNode run = root.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "vigil-lint");
    driver.put("semanticVersion", version);
    ArrayNode rules = driver.putArray("rules");
    Map<String, Integer> index = new HashMap<>();
    for (Report.RuleRun r : report.rules()) {
      index.put(r.rule().id(), index.size());
      ObjectNode n = rules.addObject();
      n.put("id", r.rule().id());
      n.put("name", camel(r.rule().id()));
      n.putObject("shortDescription").put("text", r.rule().title());
      n.putObject("fullDescription").put("text", r.rule().doc());
      // The rule reference lives in docs/lint.md under a heading named by the rule id.
      n.putObject("help").put("text", r.rule().fix() + " (docs/lint.md#" + r.rule().id() + ")");
      n.putObject("defaultConfiguration").put("level", level(r.severity()));
      n.putObject("properties")
          .putArray("tags")
          .add(r.rule().category())
          .add(r.rule().level().label());
    }
    ArrayNode results = run.putArray("results");
    for (Finding f : report.findings()) {
      ObjectNode n = results.addObject();
      n.put("ruleId", f.ruleId());
      Integer i = index.get(f.ruleId());
      if (i != null) {
        n.put("ruleIndex", i);
      }
      n.put("level", level(f.severity()));
      n.putObject("message").put("text", HumanFormat.show(f.message()));
      ObjectNode loc = n.putArray("locations").addObject();
      ObjectNode phys = loc.putObject("physicalLocation");
      phys.putObject("artifactLocation").put("uri", uri(f.source()));
      phys.putObject("region").put("startLine", Math.max(1, f.line()));
      if (f.object() != null) {
        ObjectNode logical = loc.putArray("logicalLocations").addObject();
        logical.put("fullyQualifiedName", HumanFormat.show(f.object().toString()));
        logical.put("kind", "object");
      }
      n.putObject("partialFingerprints")
          .put(
              "vigilObject/v1",
              f.ruleId() + "|" + f.source() + "|" + (f.object() == null ? f.line() : f.object()));
    }
    ObjectNode inv = run.putArray("invocations").addObject();
    inv.put("executionSuccessful", report.errors().isEmpty());
    inv.put("exitCode", report.exitCode());
    ArrayNode notes = inv.putArray("toolExecutionNotifications");
    for (InputError e : report.errors()) {
      ObjectNode n = notes.addObject();
      n.put("level", "error");
      n.putObject("message").put("text", HumanFormat.show(e.message()));
      ObjectNode phys = n.putArray("locations").addObject().putObject("physicalLocation");
      phys.putObject("artifactLocation").put("uri", uri(e.source()));
      if (e.line() > 0) {
        ObjectNode region = phys.putObject("region").put("startLine", e.line());
        if (e.column() > 0) {
          region.put("startColumn", e.column());
        }
      }
    }
    run.put("columnKind", "unicodeCodePoints");
    try {
      MAPPER.writeValue(new NonClosing(out), root);
      out.write(System.lineSeparator());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String camel(String id) {
    StringBuilder b = new StringBuilder();
    for (String part : id.split("-")) {
      b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return b.toString();
  }

  /** Jackson closes what it writes to; the command's writer must stay open. */
  private static final class NonClosing extends java.io.FilterWriter {
    NonClosing(Writer w) {
      super(w);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
