package dev.vigil.agent.syslog;

import dev.vigil.base.LabelValues;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One log entry as Loki stores it: stream labels, timestamp, line and structured metadata. This is
 * also what the journal holds, so a replay pushes exactly what was first accepted.
 */
public record LokiEntry(
    Map<String, String> labels, Instant timestamp, String line, Map<String, String> metadata) {

  public LokiEntry {
    labels = new TreeMap<>(labels);
    metadata = new LinkedHashMap<>(metadata);
  }

  /** The stream selector in Loki's text form, labels sorted: {@code {app="sshd", host="a"}}. */
  public String labelString() {
    return labelString(labels);
  }

  /** {@link #labelString()} of labels given in sorted order. */
  static String labelString(Map<String, String> sortedLabels) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, String> e : sortedLabels.entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(e.getKey()).append('=');
      LabelValues.appendQuoted(sb, e.getValue());
    }
    return sb.append('}').toString();
  }

  /** The journal record of this entry ({@link RecordFormat}). */
  public byte[] encode() {
    return RecordFormat.encode(this);
  }

  /** An entry from its journal record, of either layout the journal has used. */
  public static LokiEntry decode(byte[] data) throws IOException {
    return RecordFormat.decode(data);
  }
}
