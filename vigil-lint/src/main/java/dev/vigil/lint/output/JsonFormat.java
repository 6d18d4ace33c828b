package dev.vigil.lint.output;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.vigil.lint.Finding;
import dev.vigil.lint.InputError;
import dev.vigil.lint.Report;
import dev.vigil.lint.Severity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * A stable, machine-readable report: summary, findings, input errors. Written with Jackson's
 * streaming generator (indented like an ObjectMapper with INDENT_OUTPUT): a large report needs no
 * tree in memory, and a CLI run does not pay for data binding.
 */
public final class JsonFormat {
  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  private JsonFormat() {}

  public static void write(Report report, Writer out) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      g.writeStartObject();
      g.writeStringField("tool", "vigil-lint");
      g.writeStringField("profile", report.config().profile().label());
      g.writeStringField("failOn", report.config().failOn().label());
      g.writeObjectFieldStart("summary");
      g.writeNumberField("objects", report.objects());
      g.writeNumberField("configs", report.configs());
      g.writeNumberField("errors", report.count(Severity.ERROR));
      g.writeNumberField("warnings", report.count(Severity.WARNING));
      g.writeNumberField("info", report.count(Severity.INFO));
      g.writeNumberField("exempted", report.suppressed());
      g.writeNumberField("inputErrors", report.errors().size());
      g.writeNumberField("exitCode", report.exitCode());
      g.writeEndObject();
      g.writeArrayFieldStart("findings");
      for (Finding f : report.findings()) {
        g.writeStartObject();
        g.writeStringField("rule", f.ruleId());
        g.writeStringField("severity", f.severity().label());
        g.writeStringField("message", HumanFormat.show(f.message()));
        g.writeStringField("file", f.source());
        g.writeNumberField("line", f.line());
        if (f.object() != null) {
          g.writeObjectFieldStart("object");
          g.writeStringField("kind", f.object().kind());
          g.writeStringField("namespace", f.object().namespace());
          g.writeStringField("name", f.object().name());
          g.writeEndObject();
        }
        g.writeStringField("fix", f.fix());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("inputErrors");
      for (InputError e : report.errors()) {
        g.writeStartObject();
        g.writeStringField("file", e.source());
        g.writeNumberField("line", e.line());
        if (e.column() > 0) {
          g.writeNumberField("column", e.column());
        }
        g.writeStringField("message", HumanFormat.show(e.message()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
      g.flush();
      out.write(System.lineSeparator());
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
