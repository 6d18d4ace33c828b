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

/** A stable, machine-readable report: summary, findings, input errors. */
public final class JsonFormat {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonFormat() {}

  public static void write(Report report, Writer out) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("tool", "vigil-lint");
    root.put("profile", report.config().profile().label());
    root.put("failOn", report.config().failOn().label());
    ObjectNode summary = root.putObject("summary");
    summary.put("objects", report.objects());
    summary.put("configs", report.configs());
    summary.put("errors", report.count(Severity.ERROR));
    summary.put("warnings", report.count(Severity.WARNING));
    summary.put("info", report.count(Severity.INFO));
    summary.put("exempted", report.suppressed());
    summary.put("inputErrors", report.errors().size());
    summary.put("exitCode", report.exitCode());
    ArrayNode findings = root.putArray("findings");
    for (Finding f : report.findings()) {
      ObjectNode n = findings.addObject();
      n.put("rule", f.ruleId());
      n.put("severity", f.severity().label());
      n.put("message", f.message());
      n.put("file", f.source());
      n.put("line", f.line());
      if (f.object() != null) {
        ObjectNode o = n.putObject("object");
        o.put("kind", f.object().kind());
        o.put("namespace", f.object().namespace());
        o.put("name", f.object().name());
      }
      n.put("fix", f.fix());
    }
    ArrayNode errors = root.putArray("inputErrors");
    for (InputError e : report.errors()) {
      ObjectNode n = errors.addObject();
      n.put("file", e.source());
      n.put("line", e.line());
      n.put("message", e.message());
    }
    try {
      MAPPER.writeValue(new NonClosing(out), root);
      out.write(System.lineSeparator());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Jackson closes what it writes to; the command's writer must stay open. */
  static final class NonClosing extends java.io.FilterWriter {
    NonClosing(Writer w) {
      super(w);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
