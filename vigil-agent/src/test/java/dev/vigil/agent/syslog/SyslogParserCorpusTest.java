package dev.vigil.agent.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.syslog.SyslogMessage.SdElement;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of the corpus: real-world formats with the fields they must yield. The corpus is
 * one file per reader: {@code corpus-<dialect>.txt} for each {@link SyslogDialect}, plus {@code
 * corpus-rfc5424.txt} and {@code corpus-framing.txt}; each case must be read by its file's dialect.
 */
class SyslogParserCorpusTest {
  static final Instant RECEIVED = Instant.parse("2026-01-12T10:00:00Z");
  static final SyslogParser PARSER =
      new SyslogParser(
          (sender, host) ->
              "10.0.0.50".equals(sender) ? ZoneId.of("Europe/Berlin") : ZoneOffset.UTC);

  record Case(String dialect, String name, byte[] raw, String sender, Map<String, String> expect) {}

  /** The corpus files: one per dialect, then the RFC 5424 reader's and the framing step's. */
  static List<String> readers() {
    List<String> names = new ArrayList<>();
    for (SyslogDialect d : SyslogParser.dialects()) {
      names.add(d.name());
    }
    names.add("rfc5424");
    names.add("framing");
    return names;
  }

  static List<Case> load() throws IOException {
    List<Case> cases = new ArrayList<>();
    for (String reader : readers()) {
      cases.addAll(load(reader));
    }
    return cases;
  }

  static List<Case> load(String dialect) throws IOException {
    List<Case> cases = new ArrayList<>();
    String text;
    try (InputStream in =
        SyslogParserCorpusTest.class.getResourceAsStream("corpus-" + dialect + ".txt")) {
      if (in == null) {
        throw new AssertionError("corpus-" + dialect + ".txt is missing");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String name = null;
    byte[] raw = null;
    String sender = "10.0.0.9";
    Map<String, String> expect = new LinkedHashMap<>();
    for (String line : (text + "\n== end").split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      if (line.startsWith("== ")) {
        if (name != null) {
          cases.add(new Case(dialect, name, raw, sender, expect));
        }
        name = line.substring(3);
        raw = null;
        sender = "10.0.0.9";
        expect = new LinkedHashMap<>();
        continue;
      }
      int colon = line.indexOf(':');
      String key = line.substring(0, colon);
      String value = line.substring(colon + 1).stripLeading();
      if (key.equals("raw")) {
        raw = unescape(line.substring("raw: ".length()));
      } else if (key.equals("sender")) {
        sender = value;
      } else {
        expect.put(key, value);
      }
    }
    return cases;
  }

  static byte[] unescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\\' && i + 1 < b.length) {
        char n = (char) b[i + 1];
        if (n == 't') {
          out.write('\t');
          i++;
          continue;
        } else if (n == 'r') {
          out.write('\r');
          i++;
          continue;
        } else if (n == 'n') {
          out.write('\n');
          i++;
          continue;
        } else if (n == '\\') {
          out.write('\\');
          i++;
          continue;
        } else if (n == '0') {
          out.write(0);
          i++;
          continue;
        } else if (n == 'x') {
          out.write(Integer.parseInt(new String(b, i + 2, 2, StandardCharsets.US_ASCII), 16));
          i += 3;
          continue;
        }
      }
      out.write(b[i]);
    }
    return out.toByteArray();
  }

  @Test
  void corpusHasAtLeastSixtyCases() throws IOException {
    assertThat(load()).hasSizeGreaterThanOrEqualTo(60);
  }

  @TestFactory
  Stream<DynamicTest> everyCaseYieldsItsFields() throws IOException {
    return load().stream()
        .map(c -> DynamicTest.dynamicTest(c.dialect() + ": " + c.name(), () -> check(c)));
  }

  @Test
  void everyReaderHasExamples() throws IOException {
    for (String reader : readers()) {
      assertThat(load(reader)).as("cases of corpus-%s.txt", reader).hasSizeGreaterThanOrEqualTo(2);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyCaseIsReadByItsFilesDialect() throws IOException {
    return load().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.dialect() + ": " + c.name(),
                    () ->
                        assertThat(PARSER.dialectsReading(c.raw(), RECEIVED, c.sender()))
                            .as("dialects that read %s", c.name())
                            .contains(c.dialect())));
  }

  private static void check(Case c) {
    SyslogMessage m = PARSER.parse(c.raw(), RECEIVED, c.sender());
    SoftAssertions soft = new SoftAssertions();
    for (Map.Entry<String, String> e : c.expect().entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      String actual;
      if (k.equals("format")) {
        actual = m.format().name().toLowerCase();
      } else if (k.equals("facility")) {
        actual = m.facilityName();
      } else if (k.equals("severity")) {
        actual = m.severityName();
      } else if (k.equals("host")) {
        actual = m.hostname();
      } else if (k.equals("app")) {
        actual = m.appName();
      } else if (k.equals("procid")) {
        actual = m.procId();
      } else if (k.equals("msgid")) {
        actual = m.msgId();
      } else if (k.equals("message")) {
        actual = m.message();
        v = v.replace("\\n", "\n");
      } else if (k.equals("time")) {
        actual = m.eventTime() == null ? "none" : m.eventTime().toString();
        if (!v.equals("none")) {
          v = Instant.parse(v).toString();
        }
      } else if (k.equals("error")) {
        if (v.equals("none")) {
          soft.assertThat(m.parseError()).as(c.name() + " error").isNull();
        } else {
          soft.assertThat(m.parseError()).as(c.name() + " error").isNotNull().contains(v);
        }
        continue;
      } else if (k.startsWith("field.")) {
        String f = m.fields().get(k.substring(6));
        actual = f == null ? "absent" : f;
      } else if (k.startsWith("sd.")) {
        String rest = k.substring(3);
        int dot = rest.lastIndexOf('.');
        String id = rest.substring(0, dot);
        String param = rest.substring(dot + 1);
        actual = "absent";
        for (SdElement sd : m.structuredData()) {
          if (sd.id().equals(id)) {
            for (Map.Entry<String, String> p : sd.params()) {
              if (p.getKey().equals(param)) {
                actual = p.getValue();
              }
            }
          }
        }
      } else {
        throw new AssertionError("unknown expectation key " + k + " in case " + c.name());
      }
      soft.assertThat(actual).as(c.name() + " " + k + " (parsed " + m + ")").isEqualTo(v);
    }
    soft.assertAll();
  }
}
