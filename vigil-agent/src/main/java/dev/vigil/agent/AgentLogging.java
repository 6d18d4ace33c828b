package dev.vigil.agent;

import dev.vigil.base.LabelValues;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The agent's own logs: one logfmt line per event on stderr ({@code ts=... level=... logger=...
 * msg="..."}), which Alloy or journald keep as is and Loki's {@code | logfmt} parses.
 */
public final class AgentLogging {
  private AgentLogging() {}

  public static void configure() {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler h = new ConsoleHandler();
    h.setFormatter(new Logfmt());
    h.setLevel(Level.INFO);
    root.addHandler(h);
    root.setLevel(Level.INFO);
    // Netty is chatty at debug levels; its warnings still come through.
    Logger.getLogger("io.netty").setLevel(Level.WARNING);
  }

  /** logfmt formatter. */
  public static final class Logfmt extends Formatter {
    @Override
    public String format(LogRecord r) {
      StringBuilder sb = new StringBuilder(160);
      sb.append("ts=").append(Instant.ofEpochMilli(r.getMillis()));
      sb.append(" level=").append(level(r.getLevel()));
      String name = r.getLoggerName() == null ? "" : r.getLoggerName();
      sb.append(" logger=").append(name.substring(name.lastIndexOf('.') + 1));
      sb.append(" msg=");
      LabelValues.appendQuoted(sb, formatMessage(r));
      if (r.getThrown() != null) {
        sb.append(" error=");
        LabelValues.appendQuoted(sb, r.getThrown().toString());
      }
      return sb.append('\n').toString();
    }

    private static String level(Level l) {
      if (l.intValue() >= Level.SEVERE.intValue()) {
        return "error";
      }
      if (l.intValue() >= Level.WARNING.intValue()) {
        return "warn";
      }
      return l.intValue() >= Level.INFO.intValue() ? "info" : "debug";
    }
  }
}
