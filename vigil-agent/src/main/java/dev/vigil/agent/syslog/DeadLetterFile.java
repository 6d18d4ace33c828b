package dev.vigil.agent.syslog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Entries Loki refused for good (see {@link LokiPusher} for which answers), one JSON object per
 * line, with the status and Loki's reason, so an operator can fix and re-send them. Never silently
 * dropped.
 */
public final class DeadLetterFile {
  private final Path file;

  public DeadLetterFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  public synchronized void write(List<LokiEntry> entries, int status, String reason)
      throws IOException {
    write(entries, i -> reason, status);
  }

  /** Entries Loki refused one by one, each with its own reason. */
  synchronized void write(List<LokiEntry> entries, List<LokiRejections.Refused> refused, int status)
      throws IOException {
    write(entries, i -> refused.get(i).reason(), status);
  }

  private void write(
      List<LokiEntry> entries, java.util.function.IntFunction<String> reasons, int status)
      throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder sb = new StringBuilder();
    String at = Instant.now().toString();
    for (int i = 0; i < entries.size(); i++) {
      LokiEntry e = entries.get(i);
      String reason = reasons.apply(i);
      sb.append("{\"deadLetteredAt\":");
      json(sb, at);
      sb.append(",\"status\":").append(status).append(",\"reason\":");
      json(sb, reason);
      sb.append(",\"labels\":");
      json(sb, e.labelString());
      sb.append(",\"timestamp\":");
      json(sb, e.timestamp().toString());
      sb.append(",\"line\":");
      json(sb, e.line());
      sb.append(",\"metadata\":{");
      boolean first = true;
      for (Map.Entry<String, String> m : e.metadata().entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        json(sb, m.getKey());
        sb.append(':');
        json(sb, m.getValue());
      }
      sb.append("}}\n");
    }
    Files.writeString(
        file, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static void json(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
